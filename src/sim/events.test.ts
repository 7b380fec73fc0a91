// Proves eventsRecord (one copy, cheap fields compared first) records exactly what the plain
// slice-and-concat form did: the same rows, counts, ticks and order, deduplication and the length cap.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bumpedRow, eventsLogLengthMax, eventsRecord, freshRow, type KubeEvent, type KubeEventInput } from './events.ts';

function plainRecord(log: readonly KubeEvent[], input: KubeEventInput, now: number): readonly KubeEvent[] {
  for (let index = log.length - 1; index >= 0; index--) {
    const row = log[index] as KubeEvent;
    if (row.involvedObject === input.involvedObject && row.reason === input.reason && row.message === input.message && row.type === input.type && row.source === input.source) {
      return log.slice(0, index).concat(log.slice(index + 1), [{ ...row, count: row.count + 1, lastTick: now }]);
    }
  }
  const next = log.concat([{ ...input, count: 1, firstTick: now, lastTick: now }]);
  return next.length > eventsLogLengthMax ? next.slice(next.length - eventsLogLengthMax) : next;
}

const input: fc.Arbitrary<KubeEventInput> = fc.record({
  type: fc.constantFrom('Normal' as const, 'Warning' as const),
  reason: fc.constantFrom('Pulled', 'Started', 'roleProbe'),
  message: fc.constantFrom('', 'a', 'b'),
  involvedObject: fc.constantFrom('Pod/p-0', 'Pod/p-1', 'Node/n-1'),
  source: fc.constantFrom('kubelet', 'kbagent'),
});

describe('eventsRecord', () => {
  it('equals the plain form on random event streams, short and past the length cap', () => {
    fc.assert(
      fc.property(fc.array(input, { maxLength: 40 }), fc.integer({ min: 0, max: eventsLogLengthMax + 5 }), (stream, prefill) => {
        // A prefilled log of distinct rows reaches the cap; the stream then dedups and appends on it.
        let fast: readonly KubeEvent[] = [];
        let plain: readonly KubeEvent[] = [];
        for (let index = 0; index < prefill; index++) {
          const row: KubeEventInput = { type: 'Normal', reason: 'Filler', message: String(index), involvedObject: 'Pod/f', source: 'test' };
          fast = eventsRecord(fast, row, index);
          plain = plainRecord(plain, row, index);
        }
        stream.forEach((event, tick) => {
          fast = eventsRecord(fast, event, prefill + tick);
          plain = plainRecord(plain, event, prefill + tick);
          expect(fast).toEqual(plain);
        });
        expect(fast.length).toBeLessThanOrEqual(eventsLogLengthMax);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an involved object that is not Kind/name', () => {
    // Proves: the lazily built assertion still fires.
    expect(() => eventsRecord([], { type: 'Normal', reason: 'x', message: '', involvedObject: 'nokind', source: 's' }, 0)).toThrow(/must be Kind\/name/);
  });

  it('freshRow and bumpedRow give the spread forms, JSON text and key order included, for inputs of any key order or extra keys', () => {
    // Proves: the literal fast path is taken only when it yields the very object the spread would.
    const keyOrders = fc.shuffledSubarray(['type', 'reason', 'message', 'involvedObject', 'source', 'extra'], { minLength: 5, maxLength: 6 });
    fc.assert(
      fc.property(input, keyOrders, fc.nat(100), (event, order, now) => {
        const shaped = Object.fromEntries(order.map((key) => [key, key === 'extra' ? 'x' : event[key as keyof KubeEventInput]])) as unknown as KubeEventInput;
        const fresh = freshRow(shaped, now);
        expect(JSON.stringify(fresh)).toBe(JSON.stringify({ ...shaped, count: 1, firstTick: now, lastTick: now }));
        const bumped = bumpedRow(fresh, now + 1);
        expect(JSON.stringify(bumped)).toBe(JSON.stringify({ ...fresh, count: fresh.count + 1, lastTick: now + 1 }));
      }),
      { numRuns: 500 },
    );
  });
});
