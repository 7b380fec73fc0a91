/**
 * Virtual time. One tick is one second of simulated time; there is no wall clock anywhere in the
 * simulator. Durations carry their unit in the name (`delayTicks`, `ttlTicks`).
 */

/** A point or span of virtual time, in ticks (1 tick = 1 simulated second). */
export type Tick = number;

/** Ticks per simulated second: upstream settings in seconds convert 1:1. */
export const TICKS_PER_SECOND = 1;

/** Converts upstream seconds (e.g. Patroni `loop_wait: 10`) to ticks. */
export function secondsToTicks(seconds: number): Tick {
  return Math.ceil(seconds * TICKS_PER_SECOND);
}
