/**
 * Virtual time and the timer queue. Timers are ordered by `(dueTick, sequence)`: a total order
 * with no ties, so two timers due on the same tick always fire in the order they were set.
 * Everything here is pure: each function returns a new {@link Clock} and leaves its input alone.
 */
import { assert } from './assert.ts';
import { checkLimit } from './limits.ts';
import type { Tick } from './ticks.ts';

/** A pending timer with an explicit, stable id chosen by whoever set it. */
export interface Timer<P> {
  readonly id: string;
  readonly dueTick: Tick;
  readonly sequence: number;
  readonly payload: P;
}

/** Virtual time plus the pending timers, sorted by `(dueTick, sequence)`. */
export interface Clock<P> {
  readonly now: Tick;
  readonly sequence: number;
  readonly timers: readonly Timer<P>[];
}

/** Upper bound on pending timers in one clock; a model that needs more has a leak. */
export const timersPendingMax = 10_000;

/** A clock at tick 0 with no timers. */
export function clockCreate<P>(now: Tick = 0): Clock<P> {
  assert(Number.isSafeInteger(now) && now >= 0, `clock start ${now} must be a non-negative integer`);
  return { now, sequence: 0, timers: [] };
}

function compareTimers<P>(left: Timer<P>, right: Timer<P>): number {
  return left.dueTick - right.dueTick || left.sequence - right.sequence;
}

/**
 * Sets timer `id` to fire `delayTicks` from now. A timer with the same id is replaced, which is
 * what a controller's `RequeueAfter` and XState's delayed `raise` with an id both mean.
 */
export function clockSchedule<P>(clock: Clock<P>, id: string, delayTicks: Tick, payload: P): Clock<P> {
  assert(Number.isSafeInteger(delayTicks) && delayTicks >= 0, `timer ${id} delay ${delayTicks} must be a non-negative integer`);
  const timer: Timer<P> = { id, dueTick: clock.now + delayTicks, sequence: clock.sequence, payload };
  const kept = clock.timers.filter((existing) => existing.id !== id);
  checkLimit('timersPendingMax', kept.length + 1, timersPendingMax, `scheduling timer ${id}`);
  let index = kept.length;
  while (index > 0 && compareTimers(kept[index - 1] as Timer<P>, timer) > 0) index--;
  const timers = kept.slice(0, index).concat([timer], kept.slice(index));
  return { now: clock.now, sequence: clock.sequence + 1, timers };
}

/** Removes timer `id` if it is pending (cancelling an absent timer is legal and changes nothing). */
export function clockCancel<P>(clock: Clock<P>, id: string): Clock<P> {
  if (!clock.timers.some((timer) => timer.id === id)) return clock;
  return { ...clock, timers: clock.timers.filter((timer) => timer.id !== id) };
}

/** True when timer `id` is pending. */
export function clockHas<P>(clock: Clock<P>, id: string): boolean {
  return clock.timers.some((timer) => timer.id === id);
}

/** The first timer due at or before now, in `(dueTick, sequence)` order, or undefined. */
export function clockFirstDue<P>(clock: Clock<P>): Timer<P> | undefined {
  const first = clock.timers[0];
  return first !== undefined && first.dueTick <= clock.now ? first : undefined;
}

/** Every timer due at or before now, in firing order. */
export function clockDue<P>(clock: Clock<P>): readonly Timer<P>[] {
  const due: Timer<P>[] = [];
  for (const timer of clock.timers) {
    if (timer.dueTick > clock.now) break;
    due.push(timer);
  }
  return due;
}

/** Removes a due timer because it fired; asserts it was pending and due. */
export function clockFire<P>(clock: Clock<P>, id: string): { clock: Clock<P>; timer: Timer<P> } {
  const timer = clock.timers.find((candidate) => candidate.id === id);
  assert(timer !== undefined, `timer ${id} is not pending`);
  assert(timer.dueTick <= clock.now, `timer ${id} is due at ${timer.dueTick}, not yet at ${clock.now}`);
  return { clock: { ...clock, timers: clock.timers.filter((candidate) => candidate !== timer) }, timer };
}

/** The tick of the earliest pending timer, or null when none is pending. */
export function clockNextDueTick<P>(clock: Clock<P>): Tick | null {
  return clock.timers[0]?.dueTick ?? null;
}

/** Moves time forward to `to`; time never runs backwards. */
export function clockAdvance<P>(clock: Clock<P>, to: Tick): Clock<P> {
  assert(Number.isSafeInteger(to), `advance target ${to} must be an integer`);
  assert(to >= clock.now, `time cannot run backwards from ${clock.now} to ${to}`);
  return to === clock.now ? clock : { ...clock, now: to };
}
