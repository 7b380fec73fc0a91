/**
 * Speed helpers of the KubeBlocks worlds (issue 11). Each gives exactly the result of the slow form
 * it replaces, so traces stay byte-identical:
 * - {@link jsonEqual} is `JSON.stringify(left) === JSON.stringify(right)` without building strings,
 *   and returns at once on shared subtrees (worlds share structure);
 * - {@link machineInitState} is `machineInit(machine, input).state`, computed once per machine and
 *   input: an initial state is a pure function of both, and worlds never mutate the plain state.
 */
import type { AnyStateMachine } from 'xstate';
import { machineInit, type MachineState } from '../../sim/machine-host.ts';

// What JSON.stringify leaves out of an object, and writes as `null` inside an array.
function omitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

function arraysEqual(left: readonly unknown[], right: readonly unknown[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) {
    const l = left[index];
    const r = right[index];
    if (!jsonEqual(omitted(l) ? null : l, omitted(r) ? null : r)) return false;
  }
  return true;
}

function objectsEqual(left: Readonly<Record<string, unknown>>, right: Readonly<Record<string, unknown>>): boolean {
  const leftKeys = Object.keys(left);
  const rightKeys = Object.keys(right);
  let l = 0;
  let r = 0;
  for (;;) {
    while (l < leftKeys.length && omitted(left[leftKeys[l] as string])) l++;
    while (r < rightKeys.length && omitted(right[rightKeys[r] as string])) r++;
    if (l === leftKeys.length || r === rightKeys.length) return l === leftKeys.length && r === rightKeys.length;
    const key = leftKeys[l] as string;
    if (key !== rightKeys[r] || !jsonEqual(left[key], right[key])) return false;
    l++;
    r++;
  }
}

/** Exactly `JSON.stringify(left) === JSON.stringify(right)` (key order counts), for JSON-like data. */
export function jsonEqual(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  const leftType = typeof left;
  const rightType = typeof right;
  // Two different strings or booleans, or two different finite numbers, never write the same text
  // (non-finite numbers all write `null`, so they go the long way).
  if (leftType === rightType && (leftType === 'string' || leftType === 'boolean' || (leftType === 'number' && Number.isFinite(left) && Number.isFinite(right)))) return false;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) return JSON.stringify(left) === JSON.stringify(right);
  if ('toJSON' in left || 'toJSON' in right) return JSON.stringify(left) === JSON.stringify(right);
  const leftArray = Array.isArray(left);
  if (leftArray !== Array.isArray(right)) return false;
  if (leftArray) return arraysEqual(left as unknown[], right as unknown[]);
  return objectsEqual(left as Record<string, unknown>, right as Record<string, unknown>);
}

/** Initial states kept per machine; past it the cache is cleared (results are identical either way). */
export const initialStatesPerMachineMax = 10_000;
const initialStates = new WeakMap<AnyStateMachine, Map<string, MachineState>>();

/** `machineInit(machine, input).state`, computed once per machine and input (the effects are not kept). */
export function machineInitState<C = unknown>(machine: AnyStateMachine, input?: unknown): MachineState<C> {
  let byInput = initialStates.get(machine);
  if (byInput === undefined) {
    byInput = new Map();
    initialStates.set(machine, byInput);
  }
  const key = input === undefined ? '' : JSON.stringify(input);
  let state = byInput.get(key);
  if (state === undefined) {
    state = machineInit(machine, input).state;
    if (byInput.size >= initialStatesPerMachineMax) byInput.clear();
    byInput.set(key, state);
  }
  return state as MachineState<C>;
}
