/**
 * Longhorn settings (types/setting.go at v1.7.3, unchanged from v1.7.2 for these; reference §3)
 * and behaviour profiles (DESIGN.md §5).
 *
 * Setting names are spelled exactly as upstream; values in ticks where upstream uses seconds
 * (1 tick = 1 s).
 */
import { OptionsError } from '../../sim/model.ts';

export type NodeDrainPolicy =
  | 'block-if-contains-last-replica'
  | 'allow-if-replica-is-stopped'
  | 'always-allow'
  | 'block-for-eviction'
  | 'block-for-eviction-if-contains-last-replica';
export const nodeDrainPolicies: readonly NodeDrainPolicy[] = [
  'block-if-contains-last-replica',
  'allow-if-replica-is-stopped',
  'always-allow',
  'block-for-eviction',
  'block-for-eviction-if-contains-last-replica',
];

export interface LonghornSettings {
  readonly 'replica-replenishment-wait-interval': number;
  readonly 'concurrent-replica-rebuild-per-node-limit': number;
  readonly 'replica-soft-anti-affinity': boolean;
  readonly 'replica-zone-soft-anti-affinity': boolean;
  readonly 'replica-disk-soft-anti-affinity': boolean;
  readonly 'allow-volume-creation-with-degraded-availability': boolean;
  readonly 'node-drain-policy': NodeDrainPolicy;
  readonly 'auto-salvage': boolean;
  readonly 'disable-scheduling-on-cordoned-node': boolean;
}

/** Upstream defaults (types/setting.go). */
export const longhornSettingsDefaults: LonghornSettings = {
  'replica-replenishment-wait-interval': 600,
  'concurrent-replica-rebuild-per-node-limit': 5,
  'replica-soft-anti-affinity': false,
  'replica-zone-soft-anti-affinity': true,
  'replica-disk-soft-anti-affinity': true,
  'allow-volume-creation-with-degraded-availability': true,
  'node-drain-policy': 'block-if-contains-last-replica',
  'auto-salvage': true,
  'disable-scheduling-on-cordoned-node': true,
};

/** `FailedReplicaMaxRetryCount` (scheduler/replica_scheduler.go). */
export const failedReplicaMaxRetryCount = 5;
/** `AutoSalvageTimeLimit`: one minute. */
export const autoSalvageTimeLimitTicks = 60;

/**
 * A behaviour profile: named flags, each one an upstream behaviour that changed between releases
 * or a documented proposal.
 */
export interface LonghornProfile {
  readonly name: string;
  /**
   * v1.7.3 (longhorn-manager PR #3522, api/model.go): a detached volume whose `Scheduled`
   * condition is not True is still ready for workloads when every existing replica is scheduled.
   * v1.7.2 refuses it (upstream #9938).
   */
  readonly readyWhenAllExistingReplicasScheduled: boolean;
  /**
   * Proposal (no upstream fix found for #10385): a replica whose node is up but carries no disk
   * with the replica's `diskID` is marked failed (`failedAt`), so the start gate of
   * openVolumeDependentResources no longer waits for it and the IM PDB no longer counts it.
   */
  readonly failReplicaOnDiskUuidChange: boolean;
  /**
   * Proposal (finding of these hunts): while the engine runs, a replica in `error` that is not in
   * the engine's mode map is marked failed too. Upstream (ReconcileEngineReplicaState) marks such
   * replicas failed only while the engine is *not* running, so a replica whose CR turned `error`
   * before the engine reported it `ERR` — openVolumeDependentResources then drops it from
   * `replicaAddressMap` — stays `error` with `failedAt=""`: never replenished, never failed.
   */
  readonly failErrorReplicaOutsideModeMap: boolean;
  /**
   * Proposal (finding of these hunts): once the engine runs, openVolumeDependentResources adds the
   * running replicas to `replicaAddressMap` without waiting for the others. Upstream waits for every
   * potentially healthy replica even then, so a reused replica that holds the node's rebuild slot
   * while a sibling waits for that slot is never added: `longhorn-rebuild-slot-deadlock`.
   */
  readonly noStartGateWhileEngineRuns: boolean;
}

export const longhornProfiles: readonly LonghornProfile[] = [
  { name: 'longhorn@1.7.2', readyWhenAllExistingReplicasScheduled: false, failReplicaOnDiskUuidChange: false, failErrorReplicaOutsideModeMap: false, noStartGateWhileEngineRuns: false },
  { name: 'longhorn@1.7.3', readyWhenAllExistingReplicasScheduled: true, failReplicaOnDiskUuidChange: false, failErrorReplicaOutsideModeMap: false, noStartGateWhileEngineRuns: false },
  { name: 'longhorn@1.7.3+fail-replica-on-disk-uuid-change', readyWhenAllExistingReplicasScheduled: true, failReplicaOnDiskUuidChange: true, failErrorReplicaOutsideModeMap: false, noStartGateWhileEngineRuns: false },
  { name: 'longhorn@1.7.3+fail-error-replica-outside-mode-map', readyWhenAllExistingReplicasScheduled: true, failReplicaOnDiskUuidChange: false, failErrorReplicaOutsideModeMap: true, noStartGateWhileEngineRuns: false },
  {
    name: 'longhorn@1.7.3+fail-replica-on-disk-uuid-change+fail-error-replica-outside-mode-map',
    readyWhenAllExistingReplicasScheduled: true,
    failReplicaOnDiskUuidChange: true,
    failErrorReplicaOutsideModeMap: true,
    noStartGateWhileEngineRuns: false,
  },
  {
    name: 'longhorn@1.7.3+proposals',
    readyWhenAllExistingReplicasScheduled: true,
    failReplicaOnDiskUuidChange: true,
    failErrorReplicaOutsideModeMap: true,
    noStartGateWhileEngineRuns: true,
  },
];

/** The profile called `name`; a clear error lists the known ones. */
export function longhornProfile(name: string): LonghornProfile {
  const profile = longhornProfiles.find((candidate) => candidate.name === name);
  if (profile === undefined) {
    throw new OptionsError(`unknown Longhorn profile ${name}; known: ${longhornProfiles.map((known) => known.name).join(', ')}`);
  }
  return profile;
}

/** Validates a settings object from untrusted input, filling upstream defaults. */
export function parseLonghornSettings(raw: unknown): LonghornSettings {
  if (raw === undefined) return longhornSettingsDefaults;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new OptionsError('settings must be an object');
  const input = raw as Record<string, unknown>;
  const settings: Record<string, unknown> = { ...longhornSettingsDefaults };
  for (const [key, value] of Object.entries(input)) {
    if (!(key in longhornSettingsDefaults)) throw new OptionsError(`unknown Longhorn setting ${key}`);
    const expected = longhornSettingsDefaults[key as keyof LonghornSettings];
    if (typeof value !== typeof expected) throw new OptionsError(`setting ${key} must be a ${typeof expected}`);
    if (typeof value === 'number' && (!Number.isSafeInteger(value) || value < 0)) throw new OptionsError(`setting ${key} must be a non-negative integer`);
    if (key === 'node-drain-policy' && !nodeDrainPolicies.includes(value as NodeDrainPolicy)) {
      throw new OptionsError(`setting node-drain-policy must be one of ${nodeDrainPolicies.join(', ')}`);
    }
    settings[key] = value;
  }
  return settings as unknown as LonghornSettings;
}
