import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventKey, eventShapeBooleansMax } from './machine-event-key.ts';

// Events as the controllers build them: a type, flags, one nested object of flags, and sometimes a
// string, a number, an array or a deeper object (which must take the JSON path).
const flagName = fc.constantFrom('a', 'b', 'c');
const leaf = fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('x', 0, 1, null) }, { weight: 1, arbitrary: fc.constant([true]) });
const flags = fc.dictionary(flagName, leaf, { maxKeys: 4 });
const payload = fc.dictionary(fc.constantFrom('inputs', 'ok', '0'), fc.oneof(fc.boolean(), flags, fc.constant({ deep: { x: true } })), { maxKeys: 3 });
const event = fc.tuple(fc.constantFrom('status.computed', 'probe'), payload).map(([type, rest]) => ({ type, ...rest }));

describe('machine event keys', () => {
  it('gives two events the same key exactly when their JSON is the same', () => {
    let run = 0;
    let numeric = 0;
    fc.assert(
      fc.property(fc.array(event, { minLength: 2, maxLength: 40 }), (drawn) => {
        // Types of this run only, so earlier runs have not used up their shapes.
        const tag = `#${run++}`;
        const events = drawn.map((each) => ({ ...each, type: each.type + tag }));
        const keys = events.map((each) => eventKey(each));
        numeric += keys.filter((key) => typeof key === 'number').length;
        for (let left = 0; left < events.length; left++) {
          for (let right = 0; right < events.length; right++) {
            const sameJson = JSON.stringify(events[left]) === JSON.stringify(events[right]);
            expect(keys[left] === keys[right]).toBe(sameJson);
          }
        }
      }),
      { numRuns: 200 },
    );
    expect(numeric).toBeGreaterThan(run);
  });

  it('keys all-boolean events by number and the rest by their JSON text', () => {
    // Fresh types: the property test above may have used up the shapes of its own types.
    expect(typeof eventKey({ type: 'fresh.computed', inputs: { a: true, b: false } })).toBe('number');
    expect(typeof eventKey({ type: 'plain' })).toBe('number');
    expect(eventKey({ type: 'named', pod: 'pg-0' })).toBe('{"type":"named","pod":"pg-0"}');
    // An array and an object with index keys enumerate alike but are different JSON.
    expect(eventKey({ type: 'arr', inputs: [true] } as never)).not.toBe(eventKey({ type: 'arr', inputs: { 0: true } } as never));
    const many = Object.fromEntries(Array.from({ length: eventShapeBooleansMax + 1 }, (_, index) => [`f${index}`, true]));
    expect(typeof eventKey({ type: 'wide', ...many })).toBe('string');
  });

  it('tells apart the same flags in a different key order or with a key missing', () => {
    const base = eventKey({ type: 'order', inputs: { a: true, b: false } });
    expect(eventKey({ type: 'order', inputs: { b: false, a: true } })).not.toBe(base);
    expect(eventKey({ type: 'order', inputs: { a: true } })).not.toBe(base);
    expect(eventKey({ type: 'order', inputs: { a: true, b: false, c: false } })).not.toBe(base);
    expect(eventKey({ type: 'order', inputs: { a: true, c: false } })).not.toBe(base);
    expect(eventKey({ type: 'order', other: { a: true, b: false } })).not.toBe(base);
    expect(eventKey({ type: 'order', inputs: { a: true, b: false } })).toBe(base);
  });
});
