// Proves sameJson(a, b) is JSON.stringify(a) === JSON.stringify(b) on random JSON values, their near misses and PGO statuses.
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { sameJson } from './same-json.ts';

const texts = (left: unknown, right: unknown): boolean => JSON.stringify(left) === JSON.stringify(right);

/** Values JSON writes with its special cases: undefined fields and items, non-finite numbers, -0, key order. */
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(fc.constantFrom(null, true, false, 0, -0, 1, Number.NaN, Number.POSITIVE_INFINITY, undefined, '', 'a', 'null'), fc.integer({ min: -3, max: 3 }), fc.string({ maxLength: 2 })),
  tree: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('tree'), { maxLength: 3 }), fc.dictionary(fc.constantFrom('a', 'b', 'c', '1'), tie('tree'), { maxKeys: 3 })),
})).tree;

/** A copy of `input` rebuilt, with one change at a random place (or none). */
function nearMiss(input: unknown, choice: number): unknown {
  if (Array.isArray(input)) return input.map((item, index) => (index === choice % Math.max(1, input.length) ? nearMiss(item, choice >> 2) : item));
  if (typeof input === 'object' && input !== null) {
    const entries = Object.entries(input);
    if (choice % 5 === 0) entries.reverse();
    return Object.fromEntries(entries.map(([key, item], index) => [key, index === choice % Math.max(1, entries.length) ? nearMiss(item, choice >> 2) : item]));
  }
  return [null, 0, 1, undefined, 'a', input, input][choice % 7];
}

describe('sameJson', () => {
  test.prop([value, value], { numRuns: 3_000 })('equals comparing the JSON texts of two random values', (left, right) => {
    expect(sameJson(left, right)).toBe(texts(left, right));
  });

  test.prop([value, fc.nat()], { numRuns: 3_000 })('equals comparing the JSON texts of a value and a near copy of it', (left, choice) => {
    const right = nearMiss(left, choice);
    expect(sameJson(left, right)).toBe(texts(left, right));
    expect(sameJson(right, left)).toBe(texts(right, left));
  });

  it('tells PGO statuses apart as their texts do, key order included', () => {
    const status = { patroni: { switchover: 'sw-1', switchoverTimeline: null, systemIdentifier: '7' }, instances: [{ name: 'instance1', replicas: 2, readyReplicas: 2 }], observedGeneration: 3 };
    const copy = JSON.parse(JSON.stringify(status)) as typeof status;
    expect(sameJson(status, copy)).toBe(true);
    expect(sameJson(status, { ...copy, observedGeneration: 4 })).toBe(false);
    expect(sameJson(status, { ...copy, patroni: { ...copy.patroni, switchoverTimeline: 2 } })).toBe(false);
    expect(sameJson(status, { ...copy, instances: [{ ...copy.instances[0], readyReplicas: 1 }] })).toBe(false);
    // The same fields in another order are another text, so another status.
    expect(sameJson(status, { observedGeneration: 3, patroni: copy.patroni, instances: copy.instances })).toBe(false);
  });
});
