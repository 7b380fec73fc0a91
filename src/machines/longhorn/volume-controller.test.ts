import { describe, expect, it } from 'vitest';
import { initLonghornWorld } from './init.ts';
import { longhornProfile, longhornSettingsDefaults } from './settings.ts';
import { reconcileVolume } from './volume-controller.ts';
import { volumeRobustnessOf } from './volume-view.ts';
import type { LonghornWorld } from './world.ts';

// controller/volume_controller.go, ReconcileEngineReplicaState: ERR marks a replica failed, RW
// counts it healthy; an `error` replica outside the mode map is marked failed only while the
// engine is not running (upstream) — or always, with the fail-error-replica-outside-mode-map proposal.

function world(profile: string): LonghornWorld {
  return initLonghornWorld({
    profile: longhornProfile(profile),
    settings: longhornSettingsDefaults,
    nodeCount: 3,
    volumeCount: 1,
    numberOfReplicas: 3,
    staleReplicaTimeoutTicks: 1800,
    rebuildTicks: 30,
    imStartTicks: 20,
    provisionTicks: 100,
  });
}

/** vol-1-r-03's CR turned `error` and the engine already dropped it from its maps. */
function errorOutsideModeMap(base: LonghornWorld): LonghornWorld {
  const replicas = base.replicas.map((replica) => (replica.name === 'vol-1-r-03' ? { ...replica, instance: { value: 'error', context: { started: true } } } : replica));
  const engines = base.engines.map((engine) => ({
    ...engine,
    replicaAddresses: engine.replicaAddresses.filter((name) => name !== 'vol-1-r-03'),
    replicaModeMap: engine.replicaModeMap.filter((entry) => entry.replica !== 'vol-1-r-03'),
  }));
  return { ...base, replicas, engines };
}

function replica(w: LonghornWorld, name: string) {
  return w.replicas.find((candidate) => candidate.name === name);
}

describe('volume controller: engine/replica state', () => {
  it('an ERR replica is marked failed, the volume degrades, and replenish reuses the failed replica at once', () => {
    const base = world('longhorn@1.7.2');
    const engines = base.engines.map((engine) => ({ ...engine, replicaModeMap: engine.replicaModeMap.map((entry) => (entry.replica === 'vol-1-r-02' ? { ...entry, mode: 'ERR' as const } : entry)) }));
    const next = reconcileVolume({ ...base, engines }, 'vol-1');
    // Marked failed (lastFailedAt), then CheckAndReuseFailedReplica: failedAt and healthyAt cleared, retry counted.
    expect(replica(next, 'vol-1-r-02')).toMatchObject({ lastFailedAt: 0, failedAt: null, healthyAt: null, rebuildRetryCount: 1, desireState: 'stopped' });
    const volume = next.volumes[0];
    expect(volume && volumeRobustnessOf(volume)).toBe('degraded');
    expect(volume?.lastRobustnessCheck).toEqual({ robustness: 'degraded', runningRw: 2 });
  });

  it('1.7.3 leaves an error replica outside the running engine’s mode map unfailed; the proposal fails it', () => {
    const upstream = reconcileVolume(errorOutsideModeMap(world('longhorn@1.7.3')), 'vol-1');
    expect(replica(upstream, 'vol-1-r-03')).toMatchObject({ failedAt: null, lastFailedAt: null, rebuildRetryCount: 0 });
    const proposal = reconcileVolume(errorOutsideModeMap(world('longhorn@1.7.3+fail-error-replica-outside-mode-map')), 'vol-1');
    expect(replica(proposal, 'vol-1-r-03')).toMatchObject({ lastFailedAt: 0, desireState: 'stopped', rebuildRetryCount: 1 });
  });
});
