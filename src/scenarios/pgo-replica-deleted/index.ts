/**
 * Scenario `pgo-replica-deleted` (seed `shared/seeds/001_96300d038206e089.txt`, PGO issue #4116):
 * a replica's StatefulSet is deleted while a switchover is pending and PGO never re-creates it,
 * because `reconcilePatroniSwitchover` fails with `Need more than one instance to switchover` and
 * returns before `reconcileInstanceSets`. Nothing here scripts that: the swarm generates switchover
 * requests, annotation and `enabled` changes, StatefulSet and pod deletions, node failures and DCS
 * partitions, and has to find the interleaving.
 */
import { ratio } from '../../sim/prng.ts';
import type { Scenario, SwarmOptions } from '../../sim/scenario.ts';
import { pgo57, pgo57InstancesBeforeSwitchover, pgo57SwitchoverErrorDeferred } from '../../machines/pgo-postgrescluster/profiles.ts';
import { pgoExploreDefaults } from './explore-defaults.ts';
import { pgoReplicaDeletedModel } from './model.ts';

/** The swarm shape the PGO/Patroni scenarios share (their time scale: Patroni's ttl and loop_wait). */
export const pgoSwarm: SwarmOptions = {
  faultPhaseTicks: 400,
  convergenceTicksMax: 2_400,
  actionsPerRunMax: 40_000,
  faultChance: ratio(1, 12),
  requestChance: ratio(1, 10),
  faultsMax: 6,
  requestsMax: 6,
};

export const pgoReplicaDeleted: Scenario = {
  name: 'pgo-replica-deleted',
  title: 'PGO: a deleted replica StatefulSet is never re-created while a switchover is pending',
  seedDocument: 'shared/seeds/001_96300d038206e089.txt',
  variants: [
    { name: 'buggy', profile: pgo57.name, summary: pgo57.summary, model: pgoReplicaDeletedModel(pgo57), expect: 'stuck' },
    { name: 'fixed', profile: pgo57InstancesBeforeSwitchover.name, summary: pgo57InstancesBeforeSwitchover.summary, model: pgoReplicaDeletedModel(pgo57InstancesBeforeSwitchover), expect: 'clean' },
    { name: 'fixed-deferred', profile: pgo57SwitchoverErrorDeferred.name, summary: pgo57SwitchoverErrorDeferred.summary, model: pgoReplicaDeletedModel(pgo57SwitchoverErrorDeferred), expect: 'clean' },
    // Patroni's synchronous mode under upstream rules (P:`patroni/ha.py` `is_healthiest_node`,
    // `_process_multisync_replication`): the same hunt must stay clean, leader safety included.
    {
      name: 'fixed-sync',
      profile: `${pgo57InstancesBeforeSwitchover.name}, patroni@4.1.4 synchronous_mode`,
      summary: `${pgo57InstancesBeforeSwitchover.summary}; Patroni synchronous_mode: on`,
      model: pgoReplicaDeletedModel(pgo57InstancesBeforeSwitchover, { targetInstance: false }, 'pgo-replica-deleted', { synchronousMode: 'on' }),
      expect: 'clean',
    },
  ],
  swarm: pgoSwarm,
  huntRunsDefault: 200,
  explore: pgoExploreDefaults,
};

export { pgoExploreDefaults, pgoExploreConfiguration } from './explore-defaults.ts';
export { pgoFingerprint, walAbstractionExact } from './fingerprint.ts';
export { pgoReplicaDeletedModel, pgoScenarioDefaults, parsePgoOptions, drawPgoOptions } from './model.ts';
export type { PgoWorld, PgoScenarioOptions } from './world.ts';
export type { PgoAction } from './actions.ts';
