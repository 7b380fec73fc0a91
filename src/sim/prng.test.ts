import { describe, expect, it } from 'vitest';
import { Prng, ratio } from './prng.ts';

describe('Prng', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => {
      const prng = Prng.fromSeed(seed);
      return Array.from({ length: 16 }, () => prng.int(0, 1_000_000));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('continues the same sequence after a round-trip of its state through JSON', () => {
    const prng = Prng.fromSeed(7);
    prng.int(0, 9);
    const copy = Prng.fromState(JSON.parse(JSON.stringify(prng.state())));
    expect(Array.from({ length: 8 }, () => copy.nextUint32())).toEqual(Array.from({ length: 8 }, () => prng.nextUint32()));
  });

  it('forks by label without disturbing the parent or sibling forks', () => {
    const parentA = Prng.fromSeed(1);
    const faultsA = parentA.fork('faults');
    const parentB = Prng.fromSeed(1);
    const faultsB = parentB.fork('faults');
    parentB.fork('scheduler').int(0, 100); // an extra draw in another subsystem
    expect(faultsA.nextUint32()).toBe(faultsB.nextUint32());
    expect(parentA.nextUint32()).toBe(parentB.nextUint32());
    expect(Prng.fromSeed(1).fork('faults').nextUint32()).not.toBe(Prng.fromSeed(1).fork('choice').nextUint32());
  });

  it('keeps int draws inside the inclusive bounds and reaches both ends', () => {
    const prng = Prng.fromSeed(3);
    const seen = new Set<number>();
    for (let index = 0; index < 2_000; index++) {
      const value = prng.int(-2, 2);
      expect(value).toBeGreaterThanOrEqual(-2);
      expect(value).toBeLessThanOrEqual(2);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([-1, -2, 0, 1, 2].sort());
  });

  it('honours integer ratios at their extremes and roughly in between', () => {
    const prng = Prng.fromSeed(9);
    expect(prng.chance(ratio(0, 5))).toBe(false);
    expect(prng.chance(ratio(5, 5))).toBe(true);
    let hits = 0;
    for (let index = 0; index < 10_000; index++) if (prng.chance(ratio(1, 4))) hits++;
    expect(hits).toBeGreaterThan(2_200);
    expect(hits).toBeLessThan(2_800);
  });

  it('rejects a ratio above one and bounds that are reversed', () => {
    expect(() => ratio(3, 2)).toThrow(/above 1/);
    expect(() => Prng.fromSeed(1).int(5, 4)).toThrow(/reversed/);
  });
});
