/**
 * Graph algorithms over the explored state graph. States are dense ids 0..n-1 and edges are in
 * compressed sparse row form ({@link Csr}): the successors of `state` are
 * `targets[start[state] .. start[state + 1])`. Reverse edges, multi-source reachability, strongly
 * connected components (iterative Tarjan on typed arrays, no recursion so deep graphs cannot
 * overflow the stack) and shortest cycles inside a component.
 */
import { assert } from '../assert.ts';

/** Edges in compressed sparse row form; `start` has one entry per state plus one. */
export interface Csr {
  readonly start: Int32Array;
  readonly targets: Int32Array;
}

export function stateCount(graph: Csr): number {
  return graph.start.length - 1;
}

/** A CSR graph from successor lists (for tests and small hand-built graphs). */
export function csrOf(successors: readonly (readonly number[])[]): Csr {
  const start = new Int32Array(successors.length + 1);
  successors.forEach((targets, state) => (start[state + 1] = (start[state] as number) + targets.length));
  return { start, targets: Int32Array.from(successors.flat()) };
}

/** The successor lists of a CSR graph (for tests and reports). */
export function successorLists(graph: Csr): number[][] {
  return Array.from({ length: stateCount(graph) }, (_, state) => Array.from(graph.targets.subarray(graph.start[state], graph.start[state + 1])));
}

export function reverseEdges(graph: Csr): Csr {
  const count = stateCount(graph);
  const start = new Int32Array(count + 1);
  const edges = graph.targets.length;
  for (let edge = 0; edge < edges; edge++) {
    const slot = (graph.targets[edge] as number) + 1;
    start[slot] = (start[slot] as number) + 1;
  }
  for (let state = 0; state < count; state++) start[state + 1] = (start[state + 1] as number) + (start[state] as number);
  const fill = start.slice(0, count);
  const targets = new Int32Array(edges);
  for (let source = 0; source < count; source++) {
    for (let edge = graph.start[source] as number; edge < (graph.start[source + 1] as number); edge++) {
      const target = graph.targets[edge] as number;
      const at = fill[target] as number;
      targets[at] = source;
      fill[target] = at + 1;
    }
  }
  return { start, targets };
}

/** Every state that can reach one of `sources` following `edges` backwards (pass predecessors). */
export function reachableFrom(sources: Iterable<number>, edges: Csr): Uint8Array {
  const count = stateCount(edges);
  const seen = new Uint8Array(count);
  const stack = new Int32Array(count);
  let top = 0;
  for (const source of sources) {
    if (seen[source] === 0) {
      seen[source] = 1;
      stack[top++] = source;
    }
  }
  while (top > 0) {
    const state = stack[--top] as number;
    for (let edge = edges.start[state] as number; edge < (edges.start[state + 1] as number); edge++) {
      const next = edges.targets[edge] as number;
      if (seen[next] === 0) {
        seen[next] = 1;
        stack[top++] = next;
      }
    }
  }
  return seen;
}

/** Component id of every state (Tarjan); ids are numbered in reverse topological order. */
export function stronglyConnectedComponents(graph: Csr): { component: Int32Array; components: number } {
  const count = stateCount(graph);
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack = new Int32Array(count);
  // The explicit call stack: the state of each frame and the next edge it will look at.
  const workState = new Int32Array(count);
  const workEdge = new Int32Array(count);
  let top = 0;
  let work = 0;
  let nextIndex = 0;
  let nextComponent = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    workState[work] = root;
    workEdge[work++] = graph.start[root] as number;
    index[root] = low[root] = nextIndex++;
    stack[top++] = root;
    onStack[root] = 1;
    while (work > 0) {
      const state = workState[work - 1] as number;
      const edge = workEdge[work - 1] as number;
      if (edge < (graph.start[state + 1] as number)) {
        workEdge[work - 1] = edge + 1;
        const next = graph.targets[edge] as number;
        if (index[next] === -1) {
          index[next] = low[next] = nextIndex++;
          stack[top++] = next;
          onStack[next] = 1;
          workState[work] = next;
          workEdge[work++] = graph.start[next] as number;
        } else if (onStack[next] === 1) {
          low[state] = Math.min(low[state] as number, index[next] as number);
        }
        continue;
      }
      work--;
      if (work > 0) {
        const parent = workState[work - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[state] as number);
      }
      if (low[state] === index[state]) {
        let member: number;
        do {
          member = stack[--top] as number;
          onStack[member] = 0;
          component[member] = nextComponent;
        } while (member !== state);
        nextComponent++;
      }
    }
  }
  assert(top === 0, 'Tarjan left states on the stack');
  return { component, components: nextComponent };
}

/**
 * The shortest non-empty cycle from `start` back to itself using only states of its component, as
 * the list of states after `start` (ending with `start`); null when there is none (a lone state
 * without a self-loop).
 */
export function shortestCycle(start: number, graph: Csr, component: Int32Array): number[] | null {
  const home = component[start];
  const parent = new Map<number, number>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    for (let edge = graph.start[state] as number; edge < (graph.start[state + 1] as number); edge++) {
      const next = graph.targets[edge] as number;
      if (component[next] !== home) continue;
      if (next === start) {
        const cycle = [start];
        for (let at = state; at !== start; at = parent.get(at) as number) cycle.unshift(at);
        return cycle;
      }
      if (!parent.has(next)) {
        parent.set(next, state);
        queue.push(next);
      }
    }
  }
  return null;
}
