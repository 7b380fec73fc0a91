import { describe, expect, it } from 'vitest';
import { exploreVariant } from '../../sim/explore.ts';
import { hashHex, type Hash64 } from '../../sim/explore/hash.ts';
import type { WorldHasher } from '../../sim/explore.ts';
import { runSwarm } from '../../sim/swarm.ts';
import { pgoSwitchoverTargetLeader } from '../pgo-switchover-target-leader/index.ts';
import type { PgoAction } from './actions.ts';
import { abstractWorldForTest, pgoFingerprint, pgoFingerprintText, pgoHashInto } from './fingerprint.ts';
import type { pgoReplicaDeletedModel } from './model.ts';
import { pgoReplicaDeleted } from './index.ts';
import type { PgoScenarioOptions, PgoWorld } from './world.ts';

type PgoModel = ReturnType<typeof pgoReplicaDeletedModel>;

const worldsPerRun = 1_200;

interface Keyed {
  readonly world: PgoWorld;
  readonly key: string;
  /** Keyed against the memo of the world it was made from (else compiled whole). */
  readonly fromMemo: boolean;
  /** Keyed by the explorer (else by this test, from swarm runs). */
  readonly explored: boolean;
}

/**
 * Worlds keyed by the explorer (through the model's `exploreHasher`, with the memo of the parent
 * world the explorer hands over) and worlds of swarm runs and their successors (each successor
 * keyed against its parent's memo), with the key each got.
 */
function keyedWorlds(): Keyed[] {
  const out: Keyed[] = [];
  const hash: Hash64 = { hi: 0, lo: 0 };
  for (const scenario of [pgoReplicaDeleted, pgoSwitchoverTargetLeader]) {
    for (const variant of scenario.variants) {
      const model = variant.model as PgoModel;
      const own = model.exploreHasher as NonNullable<PgoModel['exploreHasher']>;
      const hasher: WorldHasher<PgoWorld> = (world, now, into, previous) => {
        const memo = own.hasher(world, now, into, previous);
        out.push({ world, key: hashHex(into), fromMemo: previous !== null, explored: true });
        return memo;
      };
      // Same fingerprint, so the explorer takes this hasher (explore.ts hasherFor).
      const spied: PgoModel = { ...model, exploreHasher: { fingerprint: own.fingerprint, hasher } };
      exploreVariant(scenario, { ...variant, model: spied }, { statesMax: 600 });
      const seen: PgoWorld[] = [];
      // Without the action split, so the run loop asks `actions` once per step (the split's traces are the same: action-split.test.ts).
      const { systemActions: _system, environmentActions: _environment, ...unsplit } = model;
      const spy = { ...unsplit, actions: (world: PgoWorld) => (seen.push(world), model.actions(world)) };
      runSwarm(spy, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed: 1, swarm: { ...scenario.swarm, actionsPerRunMax: worldsPerRun } }, false);
      for (const [index, world] of seen.entries()) {
        const memo = pgoHashInto(world, hash, null);
        out.push({ world, key: hashHex(hash), fromMemo: false, explored: false });
        if (index % 10 !== 0) continue;
        for (const action of model.actions(world)) {
          const next = model.apply(world, action);
          pgoHashInto(next, hash, memo);
          out.push({ world: next, key: hashHex(hash), fromMemo: true, explored: false });
        }
      }
    }
  }
  return out;
}

describe('pgoFingerprint hash', () => {
  it('splits worlds exactly as the canonical text does, whether hashed against a parent memo or whole', () => {
    // Proves: the hash of the canonical value (pieces kept per object, holes filled per world) equates the worlds whose texts are equal and no others.
    const all = keyedWorlds();
    const hashByText = new Map<string, string>();
    const textByHash = new Map<string, string>();
    for (const [index, { world, key }] of all.entries()) {
      const text = pgoFingerprintText(world);
      // Every 16th world is also compiled whole (no memo): the same key.
      if (index % 16 === 0) expect(pgoFingerprint(world)).toBe(key);
      expect(hashByText.get(text) ?? key).toBe(key);
      expect(textByHash.get(key) ?? text).toBe(text);
      hashByText.set(text, key);
      textByHash.set(key, text);
    }
    expect(all.length).toBeGreaterThan(10_000);
    // The explorer's path (a parent's memo handed over) is most of what is checked.
    expect(all.filter((keyed) => keyed.fromMemo).length).toBeGreaterThan(5_000);
    expect(all.filter((keyed) => keyed.explored && keyed.fromMemo).length).toBeGreaterThan(4_000);
    // Neither split is trivial: many worlds have keys of their own and many share one with another.
    expect(hashByText.size).toBeGreaterThan(2_000);
    expect(all.length - hashByText.size).toBeGreaterThan(1_000);
  });

  it('gives a world hashed against an unrelated memo the key it has when compiled whole', () => {
    // Proves: a memo of another world (the start, or a sibling) only costs work, never changes the key.
    const variant = pgoReplicaDeleted.variants[0] as (typeof pgoReplicaDeleted.variants)[number];
    const model = variant.model as PgoModel;
    const hash: Hash64 = { hi: 0, lo: 0 };
    const start = model.init(model.options.parse(pgoReplicaDeleted.explore?.configurations[0]));
    const startMemo = pgoHashInto(start, hash, null);
    let world = start;
    let memo = startMemo;
    for (let step = 0; step < 60; step++) {
      const actions = model.actions(world);
      const next = model.apply(world, actions[step % actions.length] as PgoAction);
      const whole = pgoFingerprint(next);
      pgoHashInto(next, hash, startMemo);
      expect(hashHex(hash)).toBe(whole);
      memo = pgoHashInto(next, hash, memo);
      expect(hashHex(hash)).toBe(whole);
      // One input of the holes changed alone (a volume, the time), hashed against the memo of the world before.
      const leaderLsn = next.patroni.dcs.leaderLsn;
      for (const changed of [
        { ...next, volumes: { ...next.volumes, 'extra-pgdata': { hasData: true, walLsn: leaderLsn - 5, timeline: 1 } } },
        { ...next, volumes: { ...next.volumes, 'extra-pgdata': { hasData: true, walLsn: leaderLsn + 7, timeline: 1 } } },
        { ...next, now: next.now + 3 },
      ]) {
        pgoHashInto(changed, hash, memo);
        expect(hashHex(hash)).toBe(pgoFingerprint(changed));
      }
      // The same world against its own memo (a settle that changed nothing): the memo's key, no work.
      hash.hi = 0;
      hash.lo = 0;
      expect(pgoHashInto(next, hash, memo)).toBe(memo);
      expect(hashHex(hash)).toBe(whole);
      world = next;
    }
  });

  it('keys every field of a world: the abstract world lists them all, with the same values, and adds the two booleans', () => {
    // Proves: the literal that abstractWorld builds leaves no world field out of the key (a field added to worlds must be added there).
    const all = keyedWorlds().filter((_, index) => index % 50 === 0);
    for (const { world } of all) {
      const abstract = abstractWorldForTest(world, false) as unknown as Record<string, unknown>;
      expect(Object.keys(abstract).sort()).toEqual([...Object.keys(world), 'reportedFailed', 'zeroLagging'].sort());
      for (const key of Object.keys(world)) if (key !== 'pgo' && key !== 'stats') expect(abstract[key]).toBe((world as unknown as Record<string, unknown>)[key]);
    }
    expect(all.length).toBeGreaterThan(200);
  });

  it('applies each field rule as the canonical text does: stamps dropped, capped, present or exact', () => {
    // Proves: per rule kind, two worlds that differ in one such field get equal keys exactly when their texts are equal.
    const variant = pgoReplicaDeleted.variants[0] as (typeof pgoReplicaDeleted.variants)[number];
    const model = variant.model as PgoModel;
    let world = model.init(model.options.parse(pgoReplicaDeleted.explore?.configurations[0]));
    const worlds: PgoWorld[] = [];
    for (let step = 0; step < 400; step++) {
      const actions = model.actions(world);
      world = model.apply(world, (actions.find((action) => action.kind !== 'fault' && action.kind !== 'user' && action.kind !== 'time') ?? actions.find((action) => action.kind === 'time')) as PgoAction);
      if (step % 40 === 0) worlds.push(world);
    }
    type Member = PgoWorld['patroni']['members'][number];
    type Pod = NonNullable<ReturnType<PgoWorld['cluster']['pods']['get']>>;
    const withMember = (at: PgoWorld, change: Partial<Member>): PgoWorld => ({ ...at, patroni: { ...at.patroni, members: at.patroni.members.map((member, index) => (index === 0 ? { ...member, ...change } : member)) } });
    const withPod = (at: PgoWorld, change: (pod: Pod) => Pod): PgoWorld => {
      const key = at.cluster.pods.keys()[0] as string;
      return { ...at, cluster: { ...at.cluster, pods: at.cluster.pods.with(key, change(at.cluster.pods.get(key) as Pod)) } };
    };
    // A pod condition not True, with its stamp (read by nothing inside pods, unlike a node's).
    const falseCondition = (pod: Pod, tick: number): Pod => ({ ...pod, status: { ...pod.status, conditions: pod.status.conditions.map((condition) => ({ ...condition, status: 'False' as const, lastTransitionTick: tick })) } });
    let equal = 0;
    let different = 0;
    for (const at of worlds) {
      const now = at.now;
      const ttl = at.patroni.config.ttl;
      const pairs: [PgoWorld, PgoWorld][] = [
        // present: only null or not
        [withMember(at, { dcsRetrySinceTick: now - 5 }), withMember(at, { dcsRetrySinceTick: now - 9 })],
        [withMember(at, { dcsRetrySinceTick: now - 5 }), withMember(at, { dcsRetrySinceTick: null })],
        // relative, capped at 0 (past) and at -ttl
        [withMember(at, { leaseUntilTick: now - 3 }), withMember(at, { leaseUntilTick: now - 8 })],
        [withMember(at, { leaseUntilTick: now + 3 }), withMember(at, { leaseUntilTick: now + 5 })],
        [withMember(at, { releasedLeaderKeyTick: now - ttl - 5 }), withMember(at, { releasedLeaderKeyTick: now - ttl - 50 })],
        [withMember(at, { releasedLeaderKeyTick: now - 5 }), withMember(at, { releasedLeaderKeyTick: now - 6 })],
        // dropped
        [withMember(at, { lastMessage: 'one' }), withMember(at, { lastMessage: 'two' })],
        [{ ...at, pgo: { ...at.pgo, reconciles: 1 } }, { ...at, pgo: { ...at.pgo, reconciles: 2 } }],
        // in pods: deletion present, creation dropped, a condition's stamp dropped
        [withPod(at, (pod) => ({ ...pod, deletionTick: now - 1 })), withPod(at, (pod) => ({ ...pod, deletionTick: now - 2 }))],
        [withPod(at, (pod) => ({ ...pod, creationTick: 1 })), withPod(at, (pod) => ({ ...pod, creationTick: 2 }))],
        [withPod(at, (pod) => ({ ...pod, resourceVersion: 1 })), withPod(at, (pod) => ({ ...pod, resourceVersion: 2 }))],
        [withPod(at, (pod) => falseCondition(pod, now - 1)), withPod(at, (pod) => falseCondition(pod, now - 2))],
      ];
      for (const [left, right] of pairs) {
        const sameText = pgoFingerprintText(left) === pgoFingerprintText(right);
        expect(pgoFingerprint(left) === pgoFingerprint(right)).toBe(sameText);
        if (sameText) equal++;
        else different++;
      }
    }
    expect(equal).toBeGreaterThan(30);
    expect(different).toBeGreaterThan(20);
  });
});
