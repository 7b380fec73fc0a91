/**
 * The explorer's small configuration for the PGO + Patroni scenarios (`opsim explore` without
 * flags). Two nodes and two instances; one fault and one user request, both only while the system
 * is quiet (`canonical-quiet`: the system's own steps follow the model's first enabled action, an
 * under-approximation the result labels). Patroni's `loop_wait` 30 with `ttl` 60 and
 * `retry_timeout` 15 (the timing rule `loop_wait + 2*retry_timeout <= ttl` holds) makes three times
 * fewer HA rounds per simulated minute than the default 10/30/10, and streaming closes any gap in
 * one tick (`catchUpBytesPerTick` 2^40), which keeps the WAL abstraction of `pgoFingerprint` exact
 * (see `walAbstractionExact`). Everything else is the scenario's default.
 */
import type { ExploreDefaults } from '../../sim/scenario.ts';

export const pgoExploreConfiguration = {
  nodeCount: 2,
  replicas: 2,
  catchUpBytesPerTick: 2 ** 40,
  partitionTicks: 20,
  patroni: { ttl: 60, loopWait: 30, retryTimeout: 15 },
} as const;

export const pgoExploreDefaults: ExploreDefaults = {
  configurations: [pgoExploreConfiguration],
  faultsMax: 1,
  requestsMax: 1,
  statesMax: 100_000,
  interleavings: 'canonical-quiet',
};

/**
 * `pgo-switchover-target-leader`: its incident needs two user requests (a target instance, then the
 * annotation) and no fault; the fault budget stays 0 so that both requests fit in the test budget
 * (with one fault as well the space is several times larger; `--faults-max 1` explores it).
 */
export const pgoTargetLeaderExploreDefaults: ExploreDefaults = {
  configurations: [pgoExploreConfiguration],
  faultsMax: 0,
  requestsMax: 2,
  statesMax: 100_000,
  interleavings: 'canonical-quiet',
};

