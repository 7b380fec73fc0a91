/**
 * Per-item exponential backoff after a failed reconcile, in ticks: controller-runtime requeues a key
 * whose reconcile returned an error after a delay that doubles with each consecutive failure, up to a
 * cap (client-go/util/workqueue ItemExponentialFailureRateLimiter). Models choose the base and cap
 * that suit their time scale; every controller host in the project uses this one function.
 */
import { assert } from './assert.ts';
import type { Tick } from './ticks.ts';

/** `min(maxTicks, baseTicks × 2^(failures − 1))` for the `failures`-th consecutive failure (1-based). */
export function exponentialBackoffTicks(failures: number, baseTicks: Tick, maxTicks: Tick): Tick {
  assert(Number.isSafeInteger(failures) && failures >= 1, `failures ${failures} must be a positive integer`);
  assert(Number.isSafeInteger(baseTicks) && baseTicks >= 1, `baseTicks ${baseTicks} must be a positive integer`);
  assert(Number.isSafeInteger(maxTicks) && maxTicks >= baseTicks, `maxTicks ${maxTicks} must be an integer ≥ baseTicks`);
  // The exponent is capped before the power so long failure streaks never overflow.
  return Math.min(maxTicks, baseTicks * 2 ** Math.min(failures - 1, 30));
}
