/**
 * `longhorn-node-upgrade-data-loss`: a finding of the `longhorn-node-upgrade` hunts, kept as its own
 * scenario. Same generators (rolling re-install under the same name, or replacement under new
 * names; swarm-chosen order and timing, workload scale-down/up, node and instance-manager faults);
 * the one property checked is "the last replica holding a volume's data is never deleted or marked
 * failed by the system".
 *
 * A replica whose data is gone but that Longhorn still takes for healthy (`failedAt=""`,
 * `healthyAt` set) — on a re-imaged disk (#10385's stale replica) or on a deleted node while its
 * volume is detached — is counted by cleanupCorruptedOrStaleReplicas, which deletes a *failed*
 * replica once `failedAt` is older than `staleReplicaTimeout` "unless we don't have any healthy
 * replicas" (healthyCount != 0 && staled). When the failed replica is the one that still holds the
 * data (its node was only down), the last real copy is deleted.
 *
 * - buggy (`longhorn@1.7.2`, same names) and new-names-1.7.3 (`longhorn@1.7.3`, new names):
 *   expected to violate it.
 * - fixed / new-names-fixed (`longhorn@1.7.3+fail-replica-on-disk-uuid-change+…`): a replica whose
 *   disk left its node (UUID changed or node deleted) is marked failed at once, so it is neither
 *   counted as healthy by cleanup nor trusted by the instance-manager PDB.
 */
import type { Property } from '../../sim/property.ts';
import type { Scenario } from '../../sim/scenario.ts';
import type { ReplacementNaming } from '../../machines/longhorn/environment.ts';
import { propertyNoDataLoss } from '../../machines/longhorn/properties.ts';
import { fixedProfile, longhornUpgradeExplore, longhornUpgradeSwarm, upgradeModel } from '../longhorn-node-upgrade/index.ts';

function dataLossOnly(property: Property<unknown>): boolean {
  return property.name === propertyNoDataLoss || property.kind === 'sometimes';
}

function model(profile: string, naming: ReplacementNaming) {
  return upgradeModel({
    scenario: 'longhorn-node-upgrade-data-loss',
    profile,
    naming,
    allowDegradedAvailability: naming === 'same-name',
    checks: dataLossOnly,
  });
}

const proposal = fixedProfile;

export const longhornNodeUpgradeDataLossScenario: Scenario = {
  name: 'longhorn-node-upgrade-data-loss',
  title: 'Longhorn deletes the last real copy of a volume during a node rolling upgrade (finding: a replica without data counted as healthy)',
  seedDocument: 'shared/seeds/004_a38dfd9bdb4c8398.txt',
  variants: [
    { name: 'buggy', profile: 'longhorn@1.7.2', summary: 'same names: the stale replica counts as healthy, cleanup deletes the failed replica holding the last copy', model: model('longhorn@1.7.2', 'same-name'), expect: 'safety' },
    { name: 'fixed', profile: proposal, summary: 'same names, proposal: replicas whose disk left their node are marked failed', model: model(proposal, 'same-name'), expect: 'clean' },
    { name: 'new-names-1.7.3', profile: 'longhorn@1.7.3', summary: 'new names, 1.7.3: a replica on a deleted node counts as healthy while detached', model: model('longhorn@1.7.3', 'new-name'), expect: 'safety' },
    { name: 'new-names-fixed', profile: proposal, summary: 'new names, proposal', model: model(proposal, 'new-name'), expect: 'clean' },
  ],
  swarm: longhornUpgradeSwarm,
  huntRunsDefault: 300,
  /**
   * The small configuration of `longhorn-node-upgrade`. Every variant comes out clean there,
   * exhausted (about 15 500-15 900 states): the loss needs a detached volume, a re-imaged node
   * and the two other copies failed by faults, more moves than three requests and no fault
   * allow; the swarm finds it (seed 14 on its first run). Larger budgets via the CLI flags.
   */
  explore: longhornUpgradeExplore,
};
