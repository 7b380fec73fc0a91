/**
 * `longhorn-node-upgrade`: the "stuck after a node rolling upgrade" incident
 * (shared/seeds/004_a38dfd9bdb4c8398.txt), upstream longhorn/longhorn#10385.
 *
 * Three nodes, volumes with three replicas used by workload pods. A rolling upgrade re-installs the
 * nodes one by one (cordon, drain, replace, rejoin under the same name with a re-imaged data disk:
 * new disk UUID), in an order and at a pace the swarm chooses, while workloads may be scaled down
 * and up and extra faults (node down, instance-manager restart) strike. As in the #10385 report,
 * `allow-volume-creation-with-degraded-availability` stays true, so the #9938 readiness gate never
 * closes here (that one is `longhorn-node-upgrade-new-names`).
 *
 * - buggy (`longhorn@1.7.2`): a replica of a volume that was detached while its node was
 *   re-imaged keeps its old `diskID`; at the next attach CreateInstance fails with `cannot find
 *   disk name for replica`, the replica stays `stopped` (never `error`, never failed), and the start
 *   gate waits for it forever: the volume stays `attaching`.
 * - fixed (`longhorn@1.7.3+proposals`; no upstream fix found): the proposal
 *   `fail-replica-on-disk-uuid-change` marks such a replica failed, the engine starts on the others
 *   and a rebuild replaces it. The profile also carries the proposals for the two other stuck
 *   states these hunts found, `fail-error-replica-outside-mode-map`
 *   (`longhorn-error-replica-never-failed`) and `no-start-gate-while-engine-runs`
 *   (`longhorn-rebuild-slot-deadlock`); without them this variant is found stuck degraded in about
 *   1 run in 150-200. `longhorn@1.7.3+fail-replica-on-disk-uuid-change` alone is a profile too.
 * - upstream-1.7.3: 1.7.3 as released, which still has the disk-UUID path (expected stuck).
 *
 * The data-loss property is hunted over the same generators in `longhorn-node-upgrade-data-loss`,
 * because upstream violates it too (a finding); this scenario is about the stuck attach.
 */
import { ratio } from '../../sim/prng.ts';
import type { Prng } from '../../sim/prng.ts';
import type { Property } from '../../sim/property.ts';
import type { ExploreDefaults, Scenario, SwarmOptions } from '../../sim/scenario.ts';
import type { ReplacementNaming } from '../../machines/longhorn/environment.ts';
import { createLonghornUpgradeModel } from '../../machines/longhorn/model.ts';
import { propertyNoDataLoss } from '../../machines/longhorn/properties.ts';
import type { LonghornSettings, NodeDrainPolicy } from '../../machines/longhorn/settings.ts';

/** Drain policies the model implements fully (the eviction-based ones need replica eviction). */
export const drawnDrainPolicies: readonly NodeDrainPolicy[] = ['block-if-contains-last-replica', 'allow-if-replica-is-stopped', 'always-allow'];

/** The settings the swarm varies around the upstream defaults. */
export function drawUpgradeSettings(prng: Prng, base: LonghornSettings): LonghornSettings {
  return {
    ...base,
    'node-drain-policy': prng.pick(drawnDrainPolicies),
    'replica-replenishment-wait-interval': prng.pick([60, 600]),
    'concurrent-replica-rebuild-per-node-limit': prng.pick([1, 5]),
    'replica-soft-anti-affinity': prng.chance(ratio(1, 4)),
  };
}

export const longhornUpgradeSwarm: SwarmOptions = {
  faultPhaseTicks: 3_600,
  convergenceTicksMax: 4_000,
  actionsPerRunMax: 40_000,
  faultChance: ratio(1, 80),
  requestChance: ratio(1, 12),
  faultsMax: 3,
  requestsMax: 30,
};

/**
 * The explorer's small configuration: one volume (three replicas on three nodes), three requests,
 * no extra fault — room for cordon, drain and replace of one node (the environment settling then
 * rejoins it) or a scale-down plus two steps. Every system interleaving is out of reach (with one
 * fault alone, 50 000 states only reach depth 10), so the schedule is `canonical-quiet`: one
 * system interleaving, requests only while the system is quiet (an under-approximation, labelled
 * in the result). Exhausted in about 16 000 states per variant.
 */
export const longhornUpgradeExplore: ExploreDefaults = {
  configurations: [{ volumeCount: 1 }],
  faultsMax: 0,
  requestsMax: 3,
  statesMax: 40_000,
  interleavings: 'canonical-quiet',
};

export interface UpgradeModelSpec {
  readonly scenario: string;
  readonly profile: string;
  /** Same name (bare-metal re-install, #10385) or new name (Cluster API default, #9938). */
  readonly naming: ReplacementNaming;
  readonly allowDegradedAvailability: boolean;
  readonly checks: (property: Property<unknown>) => boolean;
}

/** A rolling-upgrade model for one scenario variant. */
export function upgradeModel(spec: UpgradeModelSpec) {
  return createLonghornUpgradeModel({
    name: `${spec.scenario} ${spec.profile}`,
    profile: spec.profile,
    naming: spec.naming,
    baseSettings: { 'allow-volume-creation-with-degraded-availability': spec.allowDegradedAvailability },
    drawSettings: drawUpgradeSettings,
    checks: spec.checks,
  });
}

/** Every property but data loss (which has its own scenario). */
export function allButDataLoss(property: Property<unknown>): boolean {
  return property.name !== propertyNoDataLoss;
}

/** The proposal profile the `fixed` variants use. */
export const fixedProfile = 'longhorn@1.7.3+proposals';

function model(profile: string) {
  return upgradeModel({ scenario: 'longhorn-node-upgrade', profile, naming: 'same-name', allowDegradedAvailability: true, checks: allButDataLoss });
}

export const longhornNodeUpgradeScenario: Scenario = {
  name: 'longhorn-node-upgrade',
  title: 'Longhorn volume stuck attaching after a same-name node rolling upgrade (longhorn/longhorn#10385)',
  seedDocument: 'shared/seeds/004_a38dfd9bdb4c8398.txt',
  variants: [
    { name: 'buggy', profile: 'longhorn@1.7.2', summary: 'a replica on a re-imaged disk stays stopped and blocks the engine start', model: model('longhorn@1.7.2'), expect: 'stuck' },
    {
      name: 'fixed',
      profile: fixedProfile,
      summary: 'proposal: a replica whose disk left its node is marked failed and rebuilt (and an error replica outside the mode map is failed)',
      model: model(fixedProfile),
      expect: 'clean',
    },
    { name: 'upstream-1.7.3', profile: 'longhorn@1.7.3', summary: 'the 1.7.3 release: #9938 fixed, the disk-UUID path still there', model: model('longhorn@1.7.3'), expect: 'stuck' },
  ],
  swarm: longhornUpgradeSwarm,
  huntRunsDefault: 300,
  explore: longhornUpgradeExplore,
};
