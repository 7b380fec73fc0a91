/**
 * Graph algorithms over the explored state graph (states are dense ids 0..n-1, edges are
 * successor lists): reverse edges, multi-source reachability, strongly connected components
 * (iterative Tarjan, no recursion so deep graphs cannot overflow the stack) and shortest paths
 * inside a component.
 */
import { assert } from '../assert.ts';

export type Successors = readonly (readonly number[])[];

export function reverseEdges(successors: Successors): number[][] {
  const predecessors: number[][] = successors.map(() => []);
  successors.forEach((targets, source) => {
    for (const target of targets) (predecessors[target] as number[]).push(source);
  });
  return predecessors;
}

/** Every state that can reach one of `sources` following `edges` backwards (pass predecessors). */
export function reachableFrom(sources: Iterable<number>, edges: Successors): Uint8Array {
  const seen = new Uint8Array(edges.length);
  const stack: number[] = [];
  for (const source of sources) {
    if (seen[source] === 0) {
      seen[source] = 1;
      stack.push(source);
    }
  }
  while (stack.length > 0) {
    const state = stack.pop() as number;
    for (const next of edges[state] as readonly number[]) {
      if (seen[next] === 0) {
        seen[next] = 1;
        stack.push(next);
      }
    }
  }
  return seen;
}

/** Component id of every state (Tarjan); ids are numbered in reverse topological order. */
export function stronglyConnectedComponents(successors: Successors): Int32Array {
  const count = successors.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const component = new Int32Array(count).fill(-1);
  const onStack = new Uint8Array(count);
  const stack: number[] = [];
  const work: { state: number; edge: number }[] = [];
  let nextIndex = 0;
  let nextComponent = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    work.push({ state: root, edge: 0 });
    index[root] = low[root] = nextIndex++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { state: number; edge: number };
      const targets = successors[frame.state] as readonly number[];
      if (frame.edge < targets.length) {
        const next = targets[frame.edge++] as number;
        if (index[next] === -1) {
          index[next] = low[next] = nextIndex++;
          stack.push(next);
          onStack[next] = 1;
          work.push({ state: next, edge: 0 });
        } else if (onStack[next] === 1) {
          low[frame.state] = Math.min(low[frame.state] as number, index[next] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.state] = Math.min(low[parent.state] as number, low[frame.state] as number);
      if (low[frame.state] === index[frame.state]) {
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          component[member] = nextComponent;
        } while (member !== frame.state);
        nextComponent++;
      }
    }
  }
  assert(stack.length === 0, 'Tarjan left states on the stack');
  return component;
}

/**
 * The shortest non-empty cycle from `start` back to itself using only states of its component, as
 * the list of states after `start` (ending with `start`); null when there is none (a lone state
 * without a self-loop).
 */
export function shortestCycle(start: number, successors: Successors, component: Int32Array): number[] | null {
  const home = component[start];
  const parent = new Map<number, number>();
  const queue: number[] = [start];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    for (const next of successors[state] as readonly number[]) {
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
