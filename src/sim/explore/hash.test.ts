import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clockCreate, clockSchedule } from '../clock.ts';
import { canonicalFingerprint, type FingerprintRules } from './fingerprint.ts';
import { canonicalHash, canonicalHashTree, hashHex, type Hash64, type HashTree } from './hash.ts';
import { HashTable } from './table.ts';
import { Table } from '../cluster/table.ts';
import { csrOf, reverseEdges, stronglyConnectedComponents, successorLists } from './graph.ts';

// Worlds shaped like the models' (records, arrays, tick stamps, clocks, Event rows, counts), small enough to collide often.
const leaf = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', '1', ''), fc.boolean(), fc.constant(null), fc.constantFrom(0.5, -0, 1e21));
const eventRow = fc.record({ type: fc.constant('Normal'), reason: fc.constantFrom('Scaled', 'Failed'), message: fc.constantFrom('m', 'n'), involvedObject: fc.constant('Pod/p'), source: fc.constant('s'), count: fc.nat(3), firstTick: fc.nat(3), lastTick: fc.nat(3) });
const clock = fc.array(fc.tuple(fc.constantFrom('t1', 't2'), fc.nat(4)), { maxLength: 2 }).chain((timers) =>
  fc.nat(3).map((now) => timers.reduce((built, [id, delay]) => clockSchedule(built, id, delay, { id }), clockCreate<{ id: string }>(now))),
);
const { world } = fc.letrec((tie) => ({
  world: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('record'), clock, eventRow),
  array: fc.array(tie('world'), { maxLength: 3 }),
  record: fc.dictionary(fc.constantFrom('name', 'phase', 'count', 'now', 'readyTick', 'spec', 'items', 'x'), tie('world'), { maxKeys: 4 }),
}));

function hashOf(value: unknown, now: number, previous: HashTree | null = null, rules?: FingerprintRules): { hash: string; tree: HashTree | null } {
  const out: Hash64 = { hi: 0, lo: 0 };
  const tree = canonicalHashTree(value, now, out, previous, rules);
  return { hash: hashHex(out), tree };
}

// A copy of `value` with one leaf replaced, sharing every untouched object (as a model's apply does).
// A clock is replaced whole: its timers only change through the clock functions.
function edited(value: unknown, path: readonly number[], replacement: unknown): unknown {
  if (typeof value !== 'object' || value === null || path.length === 0 || 'timers' in value) return replacement;
  const [step, ...rest] = path as [number, ...number[]];
  if (Array.isArray(value)) {
    if (value.length === 0) return [replacement];
    const index = step % value.length;
    const copy = value.slice();
    copy[index] = edited(value[index], rest, replacement);
    return copy;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) return { x: replacement };
  const key = keys[step % keys.length] as string;
  return { ...(value as Record<string, unknown>), [key]: edited((value as Record<string, unknown>)[key], rest, replacement) };
}

describe('structural state hash', () => {
  it('agrees with the canonical text: equal hashes exactly for equal texts', () => {
    // Proves: hashing the structure keeps the canonical key's semantics (relative time, dropped history, key order).
    fc.assert(
      fc.property(world, world, fc.nat(5), fc.nat(5), (left, right, nowLeft, nowRight) => {
        const sameText = canonicalFingerprint(left, nowLeft) === canonicalFingerprint(right, nowRight);
        expect(hashOf(left, nowLeft).hash === hashOf(right, nowRight).hash).toBe(sameText);
      }),
      { numRuns: 3_000, seed: 11 },
    );
  });

  it('gives a successor hashed against its parent tree the same hash as from scratch', () => {
    // Proves: reusing the parent's hash tree (identity per place) never reuses a stale or now-dependent hash.
    fc.assert(
      fc.property(world, fc.array(fc.nat(7), { maxLength: 4 }), leaf, fc.nat(5), fc.nat(5), (parent, path, replacement, nowParent, nowChild) => {
        const child = edited(parent, path, replacement);
        const { tree } = hashOf(parent, nowParent);
        expect(hashOf(child, nowChild, tree).hash).toBe(hashOf(structuredClone(child), nowChild).hash);
        // Hashing the parent again against its own tree changes nothing either.
        expect(hashOf(parent, nowChild, tree).hash).toBe(hashOf(structuredClone(parent), nowChild).hash);
        // Nor does a step later, at yet another now: a tree made against a prior tree is reused right too.
        const grandchild = edited(child, path.slice().reverse(), replacement);
        const { tree: childTree } = hashOf(child, nowChild, tree);
        for (const nowLater of [nowChild, nowParent, nowChild + 1]) {
          expect(hashOf(grandchild, nowLater, childTree).hash).toBe(hashOf(structuredClone(grandchild), nowLater).hash);
          expect(hashOf(child, nowLater, childTree).hash).toBe(hashOf(structuredClone(child), nowLater).hash);
        }
      }),
      { numRuns: 3_000, seed: 12 },
    );
  });

  it('gives a record hashed against a tree of another shape the same hash as from scratch', () => {
    // Proves: a prior record tree is reused field by field only while the keys match in order; a
    // record with keys added, removed or reordered (or an array or clock at its place) is read by its own keys.
    const records = fc.dictionary(fc.constantFrom('name', 'phase', 'count', 'now', 'readyTick', 'spec', 'items', 'x'), world, { maxKeys: 5 });
    fc.assert(
      fc.property(records, records, fc.oneof(fc.constant('keys'), fc.constant('reversed'), fc.constant('array')), fc.nat(5), (left, right, mode, now) => {
        const reversed = Object.fromEntries(Object.entries(left).reverse());
        const prior = mode === 'keys' ? right : mode === 'reversed' ? reversed : Object.values(right);
        const { tree } = hashOf(prior, now);
        expect(hashOf(left, now, tree).hash).toBe(hashOf(structuredClone(left), now).hash);
        // The same values under the prior's keys, shared (as a step that adds or moves a field leaves them).
        const shared = { ...right, ...left };
        expect(hashOf(shared, now, tree).hash).toBe(hashOf(structuredClone(shared), now).hash);
      }),
      { numRuns: 2_000, seed: 13 },
    );
  });

  it('hashes a Table exactly as the plain record it stands for, also against the trees of earlier versions', () => {
    // Proves: Cluster.pods as a Table keeps every state hash and canonical text; a version hashed
    // against the tree of an earlier version (same keys: by position; other keys: by the prior
    // table's positions; another now: the moved path) equals a fresh hash.
    const keyArb = fc.constantFrom('default/a', 'ns/b', 'readyTick', 'now', 'count', 'x');
    const opArb = fc.record({ from: fc.nat(), prior: fc.nat(), key: keyArb, value: fc.option(world, { nil: null }), now: fc.nat(5) });
    fc.assert(
      fc.property(fc.dictionary(keyArb, world, { maxKeys: 4 }), fc.array(opArb, { maxLength: 12 }), fc.nat(5), (start, ops, now) => {
        const versions: { table: Table<unknown>; tree: HashTree | null }[] = [];
        const first = Table.fromRecord(start);
        versions.push({ table: first, tree: hashOf({ pods: first }, now).tree });
        for (const op of ops) {
          const parent = versions[op.from % versions.length] as { table: Table<unknown>; tree: HashTree | null };
          const table = op.value === null ? parent.table.without(op.key) : parent.table.with(op.key, op.value);
          const plain = structuredClone({ pods: table.toJSON() });
          // Against the tree of any earlier version (the explorer's last world may be a sibling: same size, other keys).
          const prior = versions[op.prior % versions.length] as { tree: HashTree | null };
          const { hash, tree } = hashOf({ pods: table }, op.now, prior.tree);
          expect(hash).toBe(hashOf(plain, op.now).hash);
          expect(canonicalFingerprint({ pods: table }, op.now)).toBe(canonicalFingerprint(plain, op.now));
          // The same table at another now, against its own tree.
          expect(hashOf({ pods: table }, op.now + 1, tree).hash).toBe(hashOf(plain, op.now + 1).hash);
          versions.push({ table, tree });
        }
      }),
      { numRuns: 2_000, seed: 14 },
    );
  });

  it('tells apart values that JSON keeps apart and merges what it merges', () => {
    // Proves: type tags and JSON's own merges (-0 is 0, NaN is null, undefined fields are absent) in worked examples.
    expect(canonicalHash({ a: 1 }, 0)).not.toBe(canonicalHash({ a: '1' }, 0));
    expect(canonicalHash({ a: [1, 2] }, 0)).not.toBe(canonicalHash({ a: [2, 1] }, 0));
    expect(canonicalHash({ a: 1, b: 2 }, 0)).not.toBe(canonicalHash({ a: 2, b: 1 }, 0));
    expect(canonicalHash({ a: true }, 0)).not.toBe(canonicalHash({ a: 'true' }, 0));
    expect(canonicalHash({ a: -0 }, 0)).toBe(canonicalHash({ a: 0 }, 0));
    expect(canonicalHash({ a: Number.NaN }, 0)).toBe(canonicalHash({ a: null }, 0));
    expect(canonicalHash({ a: 1, b: undefined }, 0)).toBe(canonicalHash({ a: 1 }, 0));
    expect(canonicalHash({ readyTick: 15 }, 10)).toBe(canonicalHash({ readyTick: 25 }, 20));
  });
});

describe('hash table and CSR graph', () => {
  it('maps many hashes, some sharing a lane, to dense ids and finds each again', () => {
    // Proves: linear probing and growth keep every (hi, lo) pair distinct and findable.
    const table = new HashTable();
    const pairs: [number, number][] = [];
    for (let index = 0; index < 50_000; index++) pairs.push([index % 97 === 0 ? 7 : (index * 2654435761) >>> 0, index]);
    const added = pairs.map(([hi, lo]) => table.add(hi, lo));
    expect(table.size).toBe(pairs.length);
    const found = pairs.map(([hi, lo]) => table.find(hi, lo));
    const ids = pairs.map((_, index) => index);
    expect(added).toEqual(ids);
    expect(found).toEqual(ids);
    expect(table.find(7, 1)).toBe(-1);
  });

  it('reverses edges and finds components on a chain deeper than the call stack', () => {
    // Proves: graph algorithms are iterative (a 300,000-state chain with a loop at its end is 2 components + chain).
    const count = 300_000;
    const successors = Array.from({ length: count }, (_, state) => (state + 1 < count ? [state + 1] : [count - 2]));
    const graph = csrOf(successors);
    expect(successorLists(reverseEdges(csrOf([[1, 2], [2], []])))).toEqual([[], [0], [0, 1]]);
    const { component, components } = stronglyConnectedComponents(graph);
    expect(components).toBe(count - 1);
    expect(component[count - 1]).toBe(component[count - 2]);
  });
});
