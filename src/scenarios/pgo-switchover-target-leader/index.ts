/**
 * Scenario `pgo-switchover-target-leader`: a FINDING of the `pgo-replica-deleted` hunt, kept as its
 * own scenario. When `spec.patroni.switchover.targetInstance` names the instance that is already
 * the leader (set while it was a replica, then an automatic failover promoted it), PGO runs
 * `patronictl switchover --candidate=<leader pod>`, which refuses with `Member … is already the
 * leader of cluster …` and exits 1 (P:`patroni/ctl.py` `_do_failover_or_switchover`).
 * `reconcilePatroniSwitchover` (G:`internal/controller/postgrescluster/patroni.go`) never checks
 * for this, so the request stays pending forever: every reconcile fails with
 * `command terminated with exit code 1`, and nothing reports it (no Event, no condition).
 *
 * Same world and faults as `pgo-replica-deleted`, plus the user request that sets or clears the
 * target instance. The proposal that only reorders steps does not fix this; reporting the
 * switchover error as a Warning Event (and not skipping later steps) does meet the property
 * "completed or reported as failed".
 */
import { pgoSwarm } from '../pgo-replica-deleted/index.ts';
import type { Scenario } from '../../sim/scenario.ts';
import { pgo57, pgo57InstancesBeforeSwitchover, pgo57SwitchoverErrorDeferred } from '../../machines/pgo-postgrescluster/profiles.ts';
import { pgoTargetLeaderExploreDefaults } from '../pgo-replica-deleted/explore-defaults.ts';
import { pgoReplicaDeletedModel } from '../pgo-replica-deleted/model.ts';

const withTarget = { targetInstance: true };
const name = 'pgo-switchover-target-leader';

export const pgoSwitchoverTargetLeader: Scenario = {
  name,
  title: 'PGO: a switchover whose target instance is already the leader stays pending forever, unreported',
  variants: [
    { name: 'buggy', profile: pgo57.name, summary: pgo57.summary, model: pgoReplicaDeletedModel(pgo57, withTarget, name), expect: 'stuck' },
    { name: 'fixed', profile: pgo57SwitchoverErrorDeferred.name, summary: pgo57SwitchoverErrorDeferred.summary, model: pgoReplicaDeletedModel(pgo57SwitchoverErrorDeferred, withTarget, name), expect: 'clean' },
    {
      name: 'instances-first',
      profile: pgo57InstancesBeforeSwitchover.name,
      summary: `${pgo57InstancesBeforeSwitchover.summary} (does not fix this finding)`,
      model: pgoReplicaDeletedModel(pgo57InstancesBeforeSwitchover, withTarget, name),
      expect: 'stuck',
    },
  ],
  swarm: pgoSwarm,
  huntRunsDefault: 200,
  explore: pgoTargetLeaderExploreDefaults,
};
