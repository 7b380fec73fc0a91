import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimAction } from './model.ts';
import { Prng } from './prng.ts';
import { pickWhere } from './swarm.ts';

const kinds = ['time', 'controller', 'fault', 'user'] as const;
const actionsArbitrary = fc.array(fc.constantFrom(...kinds), { maxLength: 30 }).map((list) => list.map((kind, index) => ({ kind, label: `${kind}-${index}` }) as SimAction));

describe('pickWhere', () => {
  it('draws what prng.pick over the filtered list draws, and leaves the generator in the same state', () => {
    fc.assert(
      fc.property(actionsArbitrary, fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.constantFrom(...kinds), (actions, seed, kind) => {
        const matches = (action: SimAction) => action.kind === kind;
        const counting = Prng.fromSeed(seed);
        const filtering = Prng.fromSeed(seed);
        const filtered = actions.filter(matches);
        const expected = filtered.length === 0 ? null : filtering.pick(filtered);
        expect(pickWhere(counting, actions, matches)).toBe(expected);
        expect(counting.int(0, 1_000_000)).toBe(filtering.int(0, 1_000_000));
      }),
      { numRuns: 500 },
    );
  });
});
