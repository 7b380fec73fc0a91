// Proves the speed helpers give exactly the slow results they replace: jsonEqual agrees with
// comparing JSON.stringify outputs (key order, undefined and null included), and machineInitState
// returns the state machineInit computes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { machineInit } from '../../sim/machine-host.ts';
import { clusterMachine } from '../kubeblocks-cluster/cluster.machine.ts';
import { instanceSetMachine } from '../kubeblocks-instanceset/instanceset.machine.ts';
import { jsonEqual, machineInitState } from './memo.ts';

const leaf = fc.oneof(fc.constant(undefined), fc.constant(null), fc.boolean(), fc.integer({ min: -2, max: 2 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -0, 0.5), fc.constantFrom('', 'a', 'b'));
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c'), tie('value'), { maxKeys: 3 }),
  ),
})).value;

// A copy with the keys of every object in another order: equal by content, not by JSON text.
function reordered(input: unknown): unknown {
  if (Array.isArray(input)) return input.map(reordered);
  if (typeof input !== 'object' || input === null) return input;
  return Object.fromEntries(Object.entries(input).reverse().map(([key, child]) => [key, reordered(child)]));
}

describe('jsonEqual', () => {
  it('agrees with JSON.stringify equality on random values, their copies and reordered copies', () => {
    fc.assert(
      fc.property(value, value, (left, right) => {
        for (const other of [right, structuredClone(left), reordered(left)]) {
          expect(jsonEqual(left, other)).toBe(JSON.stringify(left) === JSON.stringify(other));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('treats an undefined property as absent and an undefined array entry as null, as JSON does', () => {
    expect(jsonEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([undefined], [null])).toBe(true);
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });
});

describe('machineInitState', () => {
  it('returns the state machineInit computes, once per machine and input', () => {
    expect(machineInitState(clusterMachine)).toEqual(machineInit(clusterMachine).state);
    const input = { roleProbeTimeoutTicks: 60 };
    expect(machineInitState(instanceSetMachine, input)).toEqual(machineInit(instanceSetMachine, input).state);
    expect(machineInitState(instanceSetMachine, { roleProbeTimeoutTicks: 60 })).toBe(machineInitState(instanceSetMachine, input));
    expect(machineInitState(instanceSetMachine, { roleProbeTimeoutTicks: 30 })).not.toEqual(machineInitState(instanceSetMachine, input));
  });
});
