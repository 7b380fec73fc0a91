/**
 * Breadth-first search over the explorer's transition relation with canonical state keys. BFS
 * order makes the first path found to any state a shortest one, so a safety violation is reported
 * with the shortest path to it. Worlds are kept only while in the frontier; a path is rebuilt by
 * replaying the recorded move indices from the initial world (as Stateright does).
 */
import { AssertionError } from '../assert.ts';
import { LimitError } from '../limits.ts';
import type { Model, SimAction } from '../model.ts';
import type { Property } from '../property.ts';
import type { Tick } from '../ticks.ts';
import { hashKey } from './fingerprint.ts';
import { applyMove, movesOf, type Budget, type ExploreNode } from './moves.ts';

export interface SearchLimits {
  /** States discovered at most; the search stops (and says so) when one more would cross it. */
  readonly statesMax: number;
  /** Moves from an initial state at most; deeper states are not expanded. */
  readonly depthMax: number;
}

export interface SearchConfig<W, A extends SimAction, O> {
  readonly model: Model<W, A, O>;
  readonly configurations: readonly O[];
  readonly budget: Budget;
  readonly limits: SearchLimits;
  readonly fingerprint: (world: W, now: Tick) => string;
}

/** A broken property found during the search: at `state`, or while applying a move out of `state`. */
export type SearchStop =
  | { readonly kind: 'safety'; readonly state: number; readonly property: Property<unknown> }
  | { readonly kind: 'error'; readonly state: number; readonly move: number; readonly error: Error };

/** The explored graph. State ids are dense, in discovery (BFS) order. */
export interface SearchGraph {
  readonly successors: number[][];
  /** The hashed canonical key of each state. */
  readonly keys: string[];
  readonly parent: Int32Array | number[];
  /** Index of the move (in {@link movesOf} order at the parent) that first reached the state. */
  readonly via: number[];
  readonly depth: number[];
  /** Which initial configuration a root comes from (-1 for non-roots). */
  readonly root: number[];
  readonly settled: Uint8Array | number[];
  readonly expanded: number[];
  /** Bit i set: the model's i-th `eventually` property holds in the state. */
  readonly eventuallyBits: number[];
  readonly edges: number;
  readonly limitHit: 'statesMax' | 'depthMax' | null;
  readonly stop: SearchStop | null;
  readonly sometimesSeen: readonly string[];
  readonly depthReached: number;
}

/** The model's eventually properties, in order (at most 30: their bits share one number). */
export function eventuallyProperties<W>(model: Model<W, SimAction, unknown>): Property<W>[] {
  return model.properties.filter((property) => property.kind === 'eventually');
}

export function nodeKey<W>(config: SearchConfig<W, SimAction, unknown>, node: ExploreNode<W>): string {
  const print = config.fingerprint(node.world, config.model.now(node.world));
  return hashKey(node.settled ? `S|${print}` : `F${node.faults},${node.requests}|${print}`);
}

export function search<W, A extends SimAction, O>(config: SearchConfig<W, A, O>): SearchGraph {
  const model = config.model as unknown as Model<W, SimAction, unknown>;
  const always = model.properties.filter((property) => property.kind === 'always');
  const eventually = eventuallyProperties(model);
  const sometimes = model.properties.filter((property) => property.kind === 'sometimes');
  const ids = new Map<string, number>();
  const graph = {
    successors: [] as number[][],
    keys: [] as string[],
    parent: [] as number[],
    via: [] as number[],
    depth: [] as number[],
    root: [] as number[],
    settled: [] as number[],
    expanded: [] as number[],
    eventuallyBits: [] as number[],
  };
  const seen = new Set<string>();
  const frontier: { id: number; node: ExploreNode<W> }[] = [];
  let edges = 0;
  let limitHit: SearchGraph['limitHit'] = null;
  let stop: SearchStop | null = null;
  let depthReached = 0;

  // Adds a state if new; returns its id, or -1 when statesMax is reached.
  const discover = (node: ExploreNode<W>, parent: number, via: number, root: number): number => {
    const key = nodeKey(config as unknown as SearchConfig<W, SimAction, unknown>, node);
    const known = ids.get(key);
    if (known !== undefined) return known;
    if (ids.size >= config.limits.statesMax) return -1;
    const id = ids.size;
    ids.set(key, id);
    const depth = parent === -1 ? 0 : (graph.depth[parent] as number) + 1;
    depthReached = Math.max(depthReached, depth);
    graph.successors.push([]);
    graph.keys.push(key);
    graph.parent.push(parent);
    graph.via.push(via);
    graph.depth.push(depth);
    graph.root.push(root);
    graph.settled.push(node.settled ? 1 : 0);
    graph.expanded.push(0);
    // Goals count only once the environment has settled (analysis.ts), so only settled states need the bits.
    let bits = 0;
    if (node.settled) {
      eventually.forEach((property, index) => {
        if (property.holds(node.world)) bits |= 1 << index;
      });
    }
    graph.eventuallyBits.push(bits);
    for (const property of sometimes) if (!seen.has(property.name) && property.holds(node.world)) seen.add(property.name);
    const broken = always.find((property) => !property.holds(node.world));
    if (broken !== undefined && stop === null) stop = { kind: 'safety', state: id, property: broken as Property<unknown> };
    frontier.push({ id, node });
    return id;
  };

  config.configurations.forEach((options, index) => {
    if (stop === null) discover({ world: model.init(options), settled: false, faults: 0, requests: 0 }, -1, -1, index);
  });
  for (let head = 0; head < frontier.length && stop === null && limitHit === null; head++) {
    const { id, node } = frontier[head] as { id: number; node: ExploreNode<W> };
    frontier[head] = undefined as never; // let the world go
    if ((graph.depth[id] as number) >= config.limits.depthMax) {
      continue;
    }
    const moves = movesOf(model, node, config.budget);
    const targets: number[] = [];
    let complete = true;
    for (let index = 0; index < moves.length && stop === null; index++) {
      let next: ExploreNode<W>;
      try {
        next = applyMove(model, node, moves[index] as (typeof moves)[number]);
      } catch (error) {
        if (!(error instanceof AssertionError || error instanceof LimitError)) throw error;
        stop = { kind: 'error', state: id, move: index, error };
        break;
      }
      const target = discover(next, id, index, -1);
      if (target === -1) {
        complete = false;
        limitHit = 'statesMax';
        break;
      }
      targets.push(target);
    }
    graph.successors[id] = targets;
    edges += targets.length;
    if (complete && stop === null) graph.expanded[id] = 1;
  }
  const depthLimited = limitHit === null && stop === null && graph.expanded.some((done, id) => done === 0 && (graph.depth[id] as number) >= config.limits.depthMax);
  return {
    ...graph,
    edges,
    limitHit: depthLimited ? 'depthMax' : limitHit,
    stop,
    sometimesSeen: [...seen].sort(),
    depthReached,
  };
}
