/**
 * `longhorn-error-replica-never-failed`: an unpredicted stuck state the `longhorn-node-upgrade`
 * hunts found in every profile (about 1 run in 150-300), kept as its own scenario: the same-name
 * rolling-upgrade generator, checking only "every attached volume eventually returns to healthy
 * when the node pool can hold its replicas".
 *
 * Mechanism (controller/volume_controller.go, v1.7.x): a replica process dies while the engine
 * runs. If the replica controller turns the replica CR `error` before the engine monitor reports
 * the replica `ERR`, the volume controller's next pass rebuilds `replicaAddressMap` without it
 * (openVolumeDependentResources skips `error` replicas) and the engine drops it. From then on
 * ReconcileEngineReplicaState never sees it in the mode map, and it marks `error` replicas failed
 * only while the engine is *not* running. The replica keeps `failedAt=""`, so replenishment counts
 * it as usable: the volume stays `degraded` for good. Upstream confirmation is pending (the race
 * window is between the engine monitor's poll and the replica controller's update).
 *
 * - buggy (`longhorn@1.7.3+fail-replica-on-disk-uuid-change`: everything else these hunts found
 *   fixed): expected stuck degraded.
 * - fixed (`longhorn@1.7.3+proposals`, carrying `fail-error-replica-outside-mode-map`): while the
 *   engine runs, an `error` replica outside the mode map is marked failed too; replenishment
 *   replaces it. (The profile also carries the rebuild-slot proposal, which this generator reaches too.)
 */
import type { Scenario } from '../../sim/scenario.ts';
import { propertyVolumesHealthy } from '../../machines/longhorn/properties.ts';
import { fixedProfile, longhornUpgradeSwarm, upgradeModel } from '../longhorn-node-upgrade/index.ts';

function model(profile: string) {
  return upgradeModel({
    scenario: 'longhorn-error-replica-never-failed',
    profile,
    naming: 'same-name',
    allowDegradedAvailability: true,
    checks: (property) => property.name === propertyVolumesHealthy || property.kind === 'sometimes',
  });
}

const withoutFix = 'longhorn@1.7.3+fail-replica-on-disk-uuid-change';
/** All proposals: the flag for this finding, and the one for the rebuild-slot deadlock the same generator also reaches. */
const withFix = fixedProfile;

export const longhornErrorReplicaNeverFailedScenario: Scenario = {
  name: 'longhorn-error-replica-never-failed',
  title: 'Longhorn volume degraded forever: an error replica outside the engine mode map is never marked failed (finding)',
  variants: [
    { name: 'buggy', profile: withoutFix, summary: 'the error replica keeps failedAt="" and counts as usable: no replenishment', model: model(withoutFix), expect: 'stuck' },
    { name: 'fixed', profile: withFix, summary: 'proposal: an error replica outside the mode map is marked failed while the engine runs', model: model(withFix), expect: 'clean' },
  ],
  swarm: longhornUpgradeSwarm,
  huntRunsDefault: 400,
  /**
   * One volume, one fault, no request, under `canonical` (the first system step only; the fault
   * may strike at any point). Both variants come out clean there, exhausted (2 071 states): the
   * stuck state needs the replica controller to see the restarted instance manager before the
   * engine controller marks the replica ERR, an interleaving the canonical order (Engine before
   * Replica) never takes; with every interleaving one fault already exceeds 100 000 states. The
   * swarm and the scripted driver find it (one `im.restart`, 31 steps).
   */
  explore: { configurations: [{ volumeCount: 1 }], faultsMax: 1, requestsMax: 0, statesMax: 40_000, interleavings: 'canonical' },
};
