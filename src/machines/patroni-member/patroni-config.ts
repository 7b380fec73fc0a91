/**
 * Patroni's timing and failover settings, with upstream defaults (P:`patroni/config.py`
 * `__DEFAULT_CONFIG`, P:`patroni/global_config.py`) and the start-up adjustment
 * (P:`patroni/config.py` `_validate_and_adjust_timeouts`). One tick is one second.
 */
import { assert } from '../../sim/assert.ts';

export type SynchronousMode = 'off' | 'on';

export interface PatroniConfig {
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
  /** Bytes a replica may lag behind the leader's last LSN and still be promoted. */
  readonly maximumLagOnFailover: number;
  /** Seconds a crashed primary holding the lock gets to start again before failing over. */
  readonly primaryStartTimeout: number;
  readonly synchronousMode: SynchronousMode;
  readonly checkTimeline: boolean;
  /** PGO sets `use_pg_rewind: true` for PostgreSQL > 10 (G:`internal/patroni/config.go`). */
  readonly usePgRewind: boolean;
  /** Not set by PGO; a failed pg_rewind then leaves the member started but not streaming. */
  readonly removeDataDirectoryOnRewindFailure: boolean;
}

export const patroniDefaults: PatroniConfig = {
  ttl: 30,
  loopWait: 10,
  retryTimeout: 10,
  maximumLagOnFailover: 1_048_576,
  primaryStartTimeout: 300,
  synchronousMode: 'off',
  checkTimeline: false,
  usePgRewind: true,
  removeDataDirectoryOnRewindFailure: false,
};

/** Minimums Patroni raises a value to (with a warning). */
export const patroniMinimums = { ttl: 20, loopWait: 1, retryTimeout: 3 } as const;

/** True when `loop_wait + 2*retry_timeout <= ttl`, the rule that keeps a lost leader from outliving its lock. */
export function satisfiesTimingRule(config: Pick<PatroniConfig, 'ttl' | 'loopWait' | 'retryTimeout'>): boolean {
  return config.loopWait + 2 * config.retryTimeout <= config.ttl;
}

/**
 * What Patroni runs with: values below their minimum are raised; if the timing rule is broken and
 * even `loop_wait = 1` cannot satisfy it, `loop_wait` becomes 1 and `retry_timeout` (ttl-1)//2;
 * otherwise only `loop_wait` is lowered to `ttl - 2*retry_timeout`
 * (P:`patroni/config.py` `_validate_and_adjust_timeouts`).
 */
export function adjustTimeouts(config: PatroniConfig): PatroniConfig {
  const ttl = Math.max(config.ttl, patroniMinimums.ttl);
  let loopWait = Math.max(config.loopWait, patroniMinimums.loopWait);
  let retryTimeout = Math.max(config.retryTimeout, patroniMinimums.retryTimeout);
  if (patroniMinimums.loopWait + 2 * retryTimeout > ttl) {
    loopWait = patroniMinimums.loopWait;
    retryTimeout = Math.floor((ttl - patroniMinimums.loopWait) / 2);
  } else if (loopWait + 2 * retryTimeout > ttl) {
    loopWait = ttl - 2 * retryTimeout;
  }
  const adjusted = { ...config, ttl, loopWait, retryTimeout };
  assert(satisfiesTimingRule(adjusted), `adjusted timeouts ttl=${ttl} loop_wait=${loopWait} retry_timeout=${retryTimeout} still break the rule`);
  return adjusted;
}

/** Validates a config a user or scenario built by hand. */
export function assertPatroniConfig(config: PatroniConfig): void {
  for (const [name, value] of Object.entries({ ttl: config.ttl, loopWait: config.loopWait, retryTimeout: config.retryTimeout, primaryStartTimeout: config.primaryStartTimeout })) {
    assert(Number.isSafeInteger(value) && value >= 0, `patroni ${name} ${value} must be a non-negative integer`);
  }
  assert(config.ttl > 0 && config.loopWait > 0 && config.retryTimeout > 0, 'patroni ttl, loop_wait and retry_timeout must be positive');
  assert(Number.isSafeInteger(config.maximumLagOnFailover) && config.maximumLagOnFailover >= 0, 'maximum_lag_on_failover must be a non-negative integer');
}
