import { describe, expect, it } from 'vitest';
import { exponentialBackoffTicks } from './backoff.ts';

describe('exponentialBackoffTicks', () => {
  it('doubles from the base with each consecutive failure and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((failures) => exponentialBackoffTicks(failures, 1, 60))).toEqual([1, 2, 4, 8, 16, 32, 60, 60]);
    expect([1, 2, 5, 6, 100].map((failures) => exponentialBackoffTicks(failures, 10, 300))).toEqual([10, 20, 160, 300, 300]);
  });

  it('refuses a failure count below one and a cap below the base', () => {
    expect(() => exponentialBackoffTicks(0, 1, 60)).toThrow(/failures 0/);
    expect(() => exponentialBackoffTicks(1, 5, 2)).toThrow(/maxTicks 2/);
  });
});
