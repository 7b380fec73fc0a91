import { describe, expect, it } from 'vitest';
import { clockAdvance, clockCancel, clockCreate, clockDue, clockFire, clockNextDueTick, clockSchedule } from './clock.ts';

describe('clock', () => {
  it('orders timers by (dueTick, sequence) so same-tick timers fire in the order they were set', () => {
    let clock = clockCreate<string>();
    clock = clockSchedule(clock, 'b', 5, 'second');
    clock = clockSchedule(clock, 'a', 5, 'third');
    clock = clockSchedule(clock, 'c', 2, 'first');
    clock = clockAdvance(clock, 5);
    expect(clockDue(clock).map((timer) => timer.id)).toEqual(['c', 'b', 'a']);
  });

  it('replaces a timer set again with the same id, and cancels by id', () => {
    let clock = clockSchedule(clockCreate<null>(), 'requeue', 10, null);
    clock = clockSchedule(clock, 'requeue', 3, null);
    expect(clock.timers).toHaveLength(1);
    expect(clockNextDueTick(clock)).toBe(3);
    expect(clockCancel(clock, 'requeue').timers).toHaveLength(0);
  });

  it('refuses to fire a timer early and to run time backwards', () => {
    const clock = clockSchedule(clockCreate<null>(), 't', 4, null);
    expect(() => clockFire(clock, 't')).toThrow(/not yet/);
    expect(() => clockAdvance(clockAdvance(clock, 4), 3)).toThrow(/backwards/);
    expect(clockFire(clockAdvance(clock, 4), 't').clock.timers).toHaveLength(0);
  });

  it('never mutates its input', () => {
    const clock = clockCreate<null>();
    const frozen = JSON.stringify(clock);
    clockSchedule(clock, 'x', 1, null);
    expect(JSON.stringify(clock)).toBe(frozen);
  });
});
