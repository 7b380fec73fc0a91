/**
 * Breadth-first search over the explorer's transition relation with canonical state keys. BFS
 * order makes the first path found to any state a shortest one, so a safety violation is reported
 * with the shortest path to it. Worlds are kept only while in the frontier; a path is rebuilt by
 * replaying the recorded move indices from the initial world (as Stateright does).
 *
 * Storage is flat: a state is a 64-bit hash in an open-addressing table (table.ts), its parent,
 * move, depth and flags are typed-array columns, and edges are appended in compressed sparse row
 * form as states are expanded (in id order, which BFS guarantees). Only frontier nodes hold worlds.
 */
import { AssertionError, assert } from '../assert.ts';
import { LimitError } from '../limits.ts';
import type { Model, SimAction } from '../model.ts';
import type { Property } from '../property.ts';
import type { Tick } from '../ticks.ts';
import { HashTable, int32Column, uint8Column } from './table.ts';
import type { Csr } from './graph.ts';
import { avalanche, stepHi, stepLo, type Hash64 } from './hash.ts';
import { applyMove, movesOf, type Budget, type ExploreNode } from './moves.ts';

export interface SearchLimits {
  /** States discovered at most; the search stops (and says so) when one more would cross it. */
  readonly statesMax: number;
  /** Moves from an initial state at most; deeper states are not expanded. */
  readonly depthMax: number;
}

/**
 * Writes the 64-bit hash of a world's canonical key at virtual time `now` into `out`. It may
 * return a memo (a hash tree) that the search hands back as `previous` when it hashes the worlds
 * derived from this one, so that shared parts are not hashed again.
 */
export type WorldHasher<W> = (world: W, now: Tick, out: Hash64, previous: unknown) => unknown;

/**
 * A model may carry its own {@link WorldHasher} for the explorer (beside the `fingerprint` text it
 * stands for, which traces and replays use): it must give equal hashes exactly for worlds whose
 * `fingerprint` texts are equal, and the same hash with or without `previous`. It spares hashing
 * the text and lets the model reuse what it kept of the world a successor came from.
 */
export interface ExploreHashing<W> {
  /** Used only while `model.fingerprint` is still `fingerprint` (a copy of the model with a fingerprint of its own drops it). */
  readonly exploreHasher?: { readonly fingerprint: (world: W) => string; readonly hasher: WorldHasher<W> };
}

export interface SearchConfig<W, A extends SimAction, O> {
  readonly model: Model<W, A, O>;
  readonly configurations: readonly O[];
  readonly budget: Budget;
  readonly limits: SearchLimits;
  readonly hasher: WorldHasher<W>;
}

/** A broken property found during the search: at `state`, or while applying a move out of `state`. */
export type SearchStop =
  | { readonly kind: 'safety'; readonly state: number; readonly property: Property<unknown> }
  | { readonly kind: 'error'; readonly state: number; readonly move: number; readonly error: Error };

/** The explored graph. State ids are dense, in discovery (BFS) order; edges in CSR form ({@link Csr}). */
export interface SearchGraph extends Csr {
  /** The 64-bit state key of each state (world hash mixed with the phase and budget spent). */
  readonly hashHi: Uint32Array;
  readonly hashLo: Uint32Array;
  /** -1 for an initial state. */
  readonly parent: Int32Array;
  /** Index of the move (in {@link movesOf} order at the parent) that first reached the state. */
  readonly via: Int32Array;
  readonly depth: Int32Array;
  /** Which initial configuration a root comes from (-1 for non-roots). */
  readonly root: Int32Array;
  readonly settled: Uint8Array;
  readonly expanded: Uint8Array;
  /** Bit i set: the model's i-th `eventually` property holds in the state. */
  readonly eventuallyBits: Int32Array;
  readonly edges: number;
  readonly limitHit: 'statesMax' | 'depthMax' | null;
  readonly stop: SearchStop | null;
  readonly sometimesSeen: readonly string[];
  readonly depthReached: number;
}

/** The model's eventually properties, in order (at most 30: their bits share one number). */
export function eventuallyProperties<W>(model: Model<W, SimAction, unknown>): Property<W>[] {
  const eventually = model.properties.filter((property) => property.kind === 'eventually');
  assert(eventually.length <= 30, `explore handles at most 30 eventually properties, ${model.name} has ${eventually.length}`);
  return eventually;
}

const phaseSettled = 0x5e771ed;
const phaseEnvironment = 0xe4a1c0de;

/**
 * The state key of a node: the world's hash mixed with the phase (settled, or the fault and
 * request budget spent so far: the same world with budget left is another state).
 */
export function nodeHashInto<W>(hasher: WorldHasher<W>, model: Model<W, SimAction, unknown>, node: ExploreNode<W>, out: Hash64, previous: unknown = null): unknown {
  const memo = hasher(node.world, model.now(node.world), out, previous);
  let hi = stepHi(stepHi(0x1d8e4e27, out.hi), out.lo);
  let lo = stepLo(stepLo(0x3c6ef372, out.lo), out.hi);
  if (node.settled) {
    hi = stepHi(hi, phaseSettled);
    lo = stepLo(lo, phaseSettled);
  } else {
    hi = stepHi(stepHi(stepHi(hi, phaseEnvironment), node.faults), node.requests);
    lo = stepLo(stepLo(stepLo(lo, phaseEnvironment), node.faults), node.requests);
  }
  out.hi = avalanche(hi);
  out.lo = avalanche(lo);
  return memo;
}

/** Frontier nodes waiting to be expanded; ids are consecutive, so the queue is a window of ids. */
class Frontier<W> {
  private nodes: (ExploreNode<W> | undefined)[] = [];
  private memos: unknown[] = [];
  private base = 0;

  push(id: number, node: ExploreNode<W>, memo: unknown): void {
    assert(id === this.base + this.nodes.length, `explore frontier expects state ${this.base + this.nodes.length}, got ${id}`);
    this.nodes.push(node);
    this.memos.push(memo);
  }

  /** The hasher's memo for `id`'s world; read it before {@link take}. */
  memo(id: number): unknown {
    return this.memos[id - this.base];
  }

  /** Hands out the node of `id` and lets the frontier forget it (its world can be collected). */
  take(id: number): ExploreNode<W> {
    const node = this.nodes[id - this.base];
    assert(node !== undefined, `explore frontier has no node for state ${id}`);
    this.nodes[id - this.base] = undefined;
    this.memos[id - this.base] = undefined;
    const done = id + 1 - this.base;
    if (done >= 4096 && done * 2 >= this.nodes.length) {
      this.nodes = this.nodes.slice(done);
      this.memos = this.memos.slice(done);
      this.base += done;
    }
    return node;
  }
}

export function search<W, A extends SimAction, O>(config: SearchConfig<W, A, O>): SearchGraph {
  const model = config.model as unknown as Model<W, SimAction, unknown>;
  const always = model.properties.filter((property) => property.kind === 'always');
  const eventually = eventuallyProperties(model);
  let sometimesLeft = model.properties.filter((property) => property.kind === 'sometimes');
  const seen: string[] = [];
  const table = new HashTable();
  const parent = int32Column();
  const via = int32Column();
  const depth = int32Column();
  const root = int32Column();
  const settled = uint8Column();
  const expanded = uint8Column();
  const eventuallyBits = int32Column();
  const start = int32Column();
  const targets = int32Column();
  const frontier = new Frontier<W>();
  const hash: Hash64 = { hi: 0, lo: 0 };
  let limitHit: SearchGraph['limitHit'] = null;
  let stop: SearchStop | null = null;
  let depthReached = 0;

  // Adds a state if new; returns its id, or -1 when statesMax is reached.
  const discover = (node: ExploreNode<W>, from: number, move: number, configuration: number, previous: unknown): number => {
    const memo = nodeHashInto(config.hasher, model, node, hash, previous);
    const known = table.find(hash.hi, hash.lo);
    if (known !== -1) return known;
    if (table.size >= config.limits.statesMax) return -1;
    const id = table.add(hash.hi, hash.lo);
    const level = from === -1 ? 0 : (depth.data[from] as number) + 1;
    if (level > depthReached) depthReached = level;
    parent.push(from);
    via.push(move);
    depth.push(level);
    root.push(configuration);
    settled.push(node.settled ? 1 : 0);
    expanded.push(0);
    // Goals count only once the environment has settled (analysis.ts), so only settled states need the bits.
    let bits = 0;
    if (node.settled) {
      for (let index = 0; index < eventually.length; index++) if ((eventually[index] as Property<W>).holds(node.world)) bits |= 1 << index;
    }
    eventuallyBits.push(bits);
    if (sometimesLeft.length > 0 && sometimesLeft.some((property) => property.holds(node.world))) {
      for (const property of sometimesLeft) if (property.holds(node.world)) seen.push(property.name);
      sometimesLeft = sometimesLeft.filter((property) => !seen.includes(property.name));
    }
    if (stop === null) {
      for (const property of always) {
        if (!property.holds(node.world)) {
          stop = { kind: 'safety', state: id, property: property as Property<unknown> };
          break;
        }
      }
    }
    frontier.push(id, node, memo);
    return id;
  };

  config.configurations.forEach((options, index) => {
    if (stop === null) discover({ world: model.init(options), settled: false, faults: 0, requests: 0 }, -1, -1, index, null);
  });
  let head = 0;
  for (; head < table.size && stop === null && limitHit === null; head++) {
    start.push(targets.length);
    const memo = frontier.memo(head);
    const node = frontier.take(head);
    if ((depth.data[head] as number) >= config.limits.depthMax) continue;
    const moves = movesOf(model, node, config.budget);
    let complete = true;
    for (let index = 0; index < moves.length && stop === null; index++) {
      let next: ExploreNode<W>;
      try {
        next = applyMove(model, node, moves[index] as (typeof moves)[number]);
      } catch (error) {
        if (!(error instanceof AssertionError || error instanceof LimitError)) throw error;
        stop = { kind: 'error', state: head, move: index, error };
        break;
      }
      const target = discover(next, head, index, -1, memo);
      if (target === -1) {
        complete = false;
        limitHit = 'statesMax';
        break;
      }
      targets.push(target);
    }
    if (complete && stop === null) expanded.data[head] = 1;
  }
  // States never taken from the frontier have no edges.
  const count = table.size;
  for (let state = head; state <= count; state++) start.push(targets.length);
  assert(start.length === count + 1, `explore CSR has ${start.length} row starts for ${count} states`);
  let depthLimited = false;
  if (limitHit === null && stop === null) {
    for (let state = 0; state < count && !depthLimited; state++) depthLimited = expanded.data[state] === 0 && (depth.data[state] as number) >= config.limits.depthMax;
  }
  return {
    start: start.trimmed(),
    targets: targets.trimmed(),
    hashHi: table.hi.trimmed(),
    hashLo: table.lo.trimmed(),
    parent: parent.trimmed(),
    via: via.trimmed(),
    depth: depth.trimmed(),
    root: root.trimmed(),
    settled: settled.trimmed(),
    expanded: expanded.trimmed(),
    eventuallyBits: eventuallyBits.trimmed(),
    edges: targets.length,
    limitHit: depthLimited ? 'depthMax' : limitHit,
    stop,
    sometimesSeen: [...seen].sort(),
    depthReached,
  };
}
