/**
 * `longhorn-rebuild-slot-deadlock`: an unpredicted stuck state the `longhorn-node-upgrade` and
 * `-new-names` hunts found in their fixed variants (about 1 run in 200), kept as its own scenario. Same
 * rolling-upgrade generator, with the two settings it needs held fixed:
 * `concurrent-replica-rebuild-per-node-limit=1` and `replica-soft-anti-affinity=true`.
 *
 * Mechanism (v1.7.x): replenishReplicas reuses a failed replica (rebuildRetryCount > 0, so it is a
 * "rebuilding replica"); it starts and holds the node's one rebuild slot in
 * CanStartRebuildingReplica (controller/replica_controller.go) while it waits to be added to the
 * engine. Replenish sees no rebuild in progress (the replica is not in the engine's address map
 * yet) and reuses a second failed replica of the same volume on the same node (soft anti-affinity
 * let them share it). The second one cannot start — the slot is taken, creation is skipped without
 * an error, it stays `stopped` — and openVolumeDependentResources waits for every potentially
 * healthy replica to be running before it rewrites the address map. The first replica is never
 * added, never rebuilt, never leaves the slot: the volume stays `degraded`.
 * Upstream confirmation is pending.
 *
 * - buggy (`longhorn@1.7.3+fail-replica-on-disk-uuid-change+fail-error-replica-outside-mode-map`):
 *   expected stuck degraded.
 * - fixed (`longhorn@1.7.3+proposals`, adding `no-start-gate-while-engine-runs`): once the engine
 *   runs, running replicas are added without waiting for the stopped sibling; the rebuild frees the slot.
 */
import type { Scenario } from '../../sim/scenario.ts';
import { createLonghornUpgradeModel } from '../../machines/longhorn/model.ts';
import type { LonghornSettings } from '../../machines/longhorn/settings.ts';
import type { Prng } from '../../sim/prng.ts';
import { allButDataLoss, drawUpgradeSettings, fixedProfile, longhornUpgradeExplore, longhornUpgradeSwarm } from '../longhorn-node-upgrade/index.ts';

const withoutFix = 'longhorn@1.7.3+fail-replica-on-disk-uuid-change+fail-error-replica-outside-mode-map';

const baseSettings: Partial<LonghornSettings> = { 'allow-volume-creation-with-degraded-availability': false };

function model(profile: string) {
  return createLonghornUpgradeModel({
    name: `longhorn-rebuild-slot-deadlock ${profile}`,
    profile,
    naming: 'new-name',
    baseSettings,
    drawSettings,
    checks: allButDataLoss,
  });
}

function drawSettings(prng: Prng, base: LonghornSettings): LonghornSettings {
  return { ...drawUpgradeSettings(prng, base), 'concurrent-replica-rebuild-per-node-limit': 1, 'replica-soft-anti-affinity': true };
}

export const longhornRebuildSlotDeadlockScenario: Scenario = {
  name: 'longhorn-rebuild-slot-deadlock',
  title: 'Longhorn volume degraded forever: a reused replica holds the node rebuild slot its sibling needs (finding)',
  variants: [
    { name: 'buggy', profile: withoutFix, summary: 'rebuild limit 1 and soft anti-affinity: two reused replicas of one volume on one node deadlock', model: model(withoutFix), expect: 'stuck' },
    { name: 'fixed', profile: fixedProfile, summary: 'proposal: running replicas join a running engine without waiting for the stopped sibling', model: model(fixedProfile), expect: 'clean' },
  ],
  swarm: longhornUpgradeSwarm,
  huntRunsDefault: 300,
  /**
   * The small configuration of `longhorn-node-upgrade` with this scenario's two settings held as
   * the swarm holds them. Both variants come out clean there, exhausted (16 441 states each): the
   * deadlock needs two failed replicas of one volume reused on one node, more moves than three
   * requests and no fault allow; the swarm finds it (seed 30 on its first run).
   */
  explore: {
    ...longhornUpgradeExplore,
    configurations: [{ volumeCount: 1, settings: { ...baseSettings, 'concurrent-replica-rebuild-per-node-limit': 1, 'replica-soft-anti-affinity': true } }],
  },
};
