/**
 * Stuck states from the explored graph (DESIGN.md §1–§2). For each `eventually` property P:
 * a terminal component (a strongly connected component with no edge out, which the world can
 * never leave once in it) is *good* when P holds in every one of its states — the world settled
 * with P true and keeps it. A state is *stuck* when no path from it reaches a good terminal
 * component: a deadlock (a terminal state where P is false) or a livelock (a cycle the world can
 * never leave, in which P never holds or keeps coming and going: reconcile loops that spin,
 * controllers that undo each other).
 *
 * Soundness under limits: only states whose whole reachable subgraph was expanded ("closed"
 * states) are judged; a state that can reach an unexpanded one is never called stuck.
 */
import { assert } from '../assert.ts';
import { reachableFrom, reverseEdges, shortestCycle, stateCount, stronglyConnectedComponents, type Csr } from './graph.ts';
import type { SearchGraph } from './search.ts';

export type StuckKind = 'deadlock' | 'livelock';

export interface StuckFinding {
  /** Index of the `eventually` property among the model's eventually properties. */
  readonly property: number;
  /** The stuck state reported: in a bad terminal component, P false, nearest to an initial state. */
  readonly state: number;
  readonly kind: StuckKind;
  /** States of the bad terminal component. */
  readonly componentSize: number;
  /** The cycle from `state` back to itself (states after `state`), or null for a deadlock. */
  readonly cycle: readonly number[] | null;
  /** Livelock only: P holds in some states of the cycle (it comes and goes) rather than never. */
  readonly flapping: boolean;
  /** Stuck states (reachable, closed, that cannot reach a good component) for this property. */
  readonly stuckStates: number;
  /** 1 for every stuck state. */
  readonly stuck: Uint8Array;
}

export interface Analysis {
  /** States whose whole reachable subgraph was explored. */
  readonly closedStates: number;
  readonly terminalComponents: number;
  readonly finding: StuckFinding | null;
}

/** The states on the BFS tree path from an initial state to `state`, first to last. */
export function pathTo(graph: SearchGraph, state: number): number[] {
  const path: number[] = [];
  for (let at = state; at !== -1; at = graph.parent[at] as number) path.unshift(at);
  return path;
}

export function analyse(graph: SearchGraph, eventuallyCount: number): Analysis {
  const count = stateCount(graph);
  const predecessors = reverseEdges(graph);
  const unexpanded: number[] = [];
  for (let state = 0; state < count; state++) if (graph.expanded[state] === 0) unexpanded.push(state);
  const open = reachableFrom(unexpanded, predecessors);
  const { component, components } = stronglyConnectedComponents(graph);
  const terminal = new Uint8Array(components).fill(1);
  const size = new Int32Array(components);
  for (let state = 0; state < count; state++) {
    const home = component[state] as number;
    size[home] = (size[home] as number) + 1;
    if (open[state] === 1) terminal[home] = 0;
    for (let edge = graph.start[state] as number; edge < (graph.start[state + 1] as number); edge++) {
      if (component[graph.targets[edge] as number] !== home) terminal[home] = 0;
    }
  }
  let closedStates = 0;
  for (let state = 0; state < count; state++) if (open[state] === 0) closedStates++;
  let terminalComponents = 0;
  for (let home = 0; home < components; home++) terminalComponents += terminal[home] as number;
  for (let property = 0; property < eventuallyCount; property++) {
    const finding = findStuck(graph, property, component, terminal, size, open, predecessors);
    if (finding !== null) return { closedStates, terminalComponents, finding };
  }
  return { closedStates, terminalComponents, finding: null };
}

function holds(graph: SearchGraph, state: number, property: number): boolean {
  return ((graph.eventuallyBits[state] as number) & (1 << property)) !== 0;
}

function findStuck(
  graph: SearchGraph,
  property: number,
  component: Int32Array,
  terminal: Uint8Array,
  size: Int32Array,
  open: Uint8Array,
  predecessors: Csr,
): StuckFinding | null {
  const count = stateCount(graph);
  const good = Uint8Array.from(terminal);
  for (let state = 0; state < count; state++) {
    if (!holds(graph, state, property) || graph.settled[state] === 0) good[component[state] as number] = 0;
  }
  const goodStates: number[] = [];
  for (let state = 0; state < count; state++) if (good[component[state] as number] === 1) goodStates.push(state);
  const canReachGood = reachableFrom(goodStates, predecessors);
  let stuckStates = 0;
  let best = -1;
  const stuck = new Uint8Array(count);
  for (let state = 0; state < count; state++) {
    if (open[state] === 1 || canReachGood[state] === 1) continue;
    stuckStates++;
    stuck[state] = 1;
    const home = component[state] as number;
    if (terminal[home] === 1 && !holds(graph, state, property) && (best === -1 || (graph.depth[state] as number) < (graph.depth[best] as number))) best = state;
  }
  if (stuckStates === 0) return null;
  // Every stuck state leads into a bad terminal component, which has a state where P is false.
  assert(best !== -1, 'stuck states without a bad terminal component: the graph analysis is broken');
  const home = component[best] as number;
  const cycle = shortestCycle(best, graph, component);
  let anyHolds = false;
  for (let state = 0; state < count; state++) if (component[state] === home && holds(graph, state, property)) anyHolds = true;
  const kind: StuckKind = cycle === null ? 'deadlock' : 'livelock';
  return { property, state: best, kind, componentSize: size[home] as number, cycle, flapping: anyHolds, stuckStates, stuck };
}
