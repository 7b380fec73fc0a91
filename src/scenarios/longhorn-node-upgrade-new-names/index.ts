/**
 * `longhorn-node-upgrade-new-names`: upstream longhorn/longhorn#9938 ("Engine stuck in "stopped"
 * state, prevent volume attach", fixed in 1.7.3), told apart from #10385.
 *
 * A Cluster API rolling upgrade replaces the three nodes by new machines with new names; with
 * `allow-volume-creation-with-degraded-availability=false` (the setting the reporter had before
 * the workaround). A volume that ends detached with fewer replica CRs than `numberOfReplicas`
 * keeps `Scheduled=False`; in 1.7.2 the API then calls it not ready for workloads, CSI refuses the
 * attach, and replenishment — which only runs while attached — never restores the count.
 *
 * - buggy (`longhorn@1.7.2`): the volume stays `detached`, the pod `ContainerCreating`.
 * - fixed (`longhorn@1.7.3+proposals`): 1.7.3 carries longhorn-manager PR #3522 — a detached
 *   volume whose existing replicas are all scheduled is ready; it attaches and replenishes. The
 *   proposals remove the other stuck states these hunts found (`longhorn-error-replica-never-failed`,
 *   `longhorn-rebuild-slot-deadlock`), which plain 1.7.3 shows in about 1 run in 150-200.
 *
 * Data loss over this generator is hunted in `longhorn-node-upgrade-data-loss` (variants `new-names-*`).
 */
import type { Scenario } from '../../sim/scenario.ts';
import { allButDataLoss, fixedProfile, longhornUpgradeExplore, longhornUpgradeSwarm, upgradeModel } from '../longhorn-node-upgrade/index.ts';

function model(profile: string) {
  return upgradeModel({ scenario: 'longhorn-node-upgrade-new-names', profile, naming: 'new-name', allowDegradedAvailability: false, checks: allButDataLoss });
}

export const longhornNodeUpgradeNewNamesScenario: Scenario = {
  name: 'longhorn-node-upgrade-new-names',
  title: 'Longhorn volume never ready for workloads after a new-name node rolling upgrade (longhorn/longhorn#9938)',
  seedDocument: 'shared/seeds/004_a38dfd9bdb4c8398.txt',
  variants: [
    { name: 'buggy', profile: 'longhorn@1.7.2', summary: 'detached with fewer replicas than wanted: Scheduled=False, never ready, never attached', model: model('longhorn@1.7.2'), expect: 'stuck' },
    {
      name: 'fixed',
      profile: fixedProfile,
      summary: '1.7.3 (PR #3522): ready when every existing replica is scheduled; plus the proposals for the other stuck states',
      model: model(fixedProfile),
      expect: 'clean',
    },
  ],
  swarm: longhornUpgradeSwarm,
  huntRunsDefault: 200,
  /** The same small configuration as `longhorn-node-upgrade`: the buggy variant is found stuck detached, the fixed one exhausted clean. */
  explore: longhornUpgradeExplore,
};
