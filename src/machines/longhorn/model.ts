/**
 * A Longhorn rolling-upgrade model (the Model contract, DESIGN.md §1) built from the parts in this
 * folder. Scenarios choose the behaviour profile, how replaced machines come back (same name or
 * new name) and which settings the swarm may vary; everything else is drawn per run.
 */
import type { ExploreHashing } from '../../sim/explore.ts';
import { OptionsError, type Model, type ObservedObject, type Observation } from '../../sim/model.ts';
import type { Prng } from '../../sim/prng.ts';
import type { Property } from '../../sim/property.ts';
import { currentStateOf } from '../longhorn-replica/longhorn-replica.rules.ts';
import { settleEnvironment, type ReplacementNaming } from './environment.ts';
import { longhornFingerprint, longhornHashInto, type LonghornHashMemo } from './fingerprint.ts';
import { initLonghornWorld } from './init.ts';
import { longhornProperties } from './properties.ts';
import { longhornProfile, longhornSettingsDefaults, parseLonghornSettings, type LonghornSettings } from './settings.ts';
import { longhornEnvironmentActions, longhornSystemActions } from './actions.ts';
import { applyLonghornAction, longhornActions, type LonghornAction } from './steps.ts';
import type { LonghornWorld } from './world.ts';
import { volumeRobustnessOf, volumeStateOf } from './volume-view.ts';

export interface LonghornUpgradeOptions {
  readonly settings: LonghornSettings;
  readonly volumeCount: number;
  /** The StorageClass `staleReplicaTimeout`, in ticks (chart default 30 minutes). */
  readonly staleReplicaTimeoutTicks: number;
  readonly rebuildTicks: number;
  readonly imStartTicks: number;
  readonly provisionTicks: number;
}

export interface LonghornUpgradeModelConfig {
  readonly name: string;
  /** Behaviour profile, e.g. `longhorn@1.7.2`. */
  readonly profile: string;
  readonly naming: ReplacementNaming;
  /** Settings the swarm varies per run; the rest keep `baseSettings`. */
  readonly drawSettings: (prng: Prng, base: LonghornSettings) => LonghornSettings;
  readonly baseSettings?: Partial<LonghornSettings>;
  /** False: no rolling upgrade, only workload moves and faults (default true). */
  readonly rollingUpgrade?: boolean;
  /** Which of {@link longhornProperties} this model checks (all when absent). */
  readonly checks?: (property: Property<LonghornWorld>) => boolean;
}

export const nodeCount = 3;
export const numberOfReplicas = 3;
export const volumeCountMax = 3;

function parseInt(raw: unknown, field: string, min: number, max: number): number {
  if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < min || raw > max) throw new OptionsError(`${field} must be an integer in ${min}..${max}`);
  return raw;
}

function parseOptions(raw: unknown, defaults: LonghornUpgradeOptions): LonghornUpgradeOptions {
  if (raw === undefined) return defaults;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new OptionsError('options must be an object');
  const input = raw as Record<string, unknown>;
  const known = ['settings', 'volumeCount', 'staleReplicaTimeoutTicks', 'rebuildTicks', 'imStartTicks', 'provisionTicks'];
  for (const key of Object.keys(input)) if (!known.includes(key)) throw new OptionsError(`unknown option ${key}`);
  return {
    settings: parseLonghornSettings(input['settings'] ?? defaults.settings),
    volumeCount: parseInt(input['volumeCount'] ?? defaults.volumeCount, 'volumeCount', 1, volumeCountMax),
    staleReplicaTimeoutTicks: parseInt(input['staleReplicaTimeoutTicks'] ?? defaults.staleReplicaTimeoutTicks, 'staleReplicaTimeoutTicks', 1, 86_400),
    rebuildTicks: parseInt(input['rebuildTicks'] ?? defaults.rebuildTicks, 'rebuildTicks', 1, 3_600),
    imStartTicks: parseInt(input['imStartTicks'] ?? defaults.imStartTicks, 'imStartTicks', 1, 3_600),
    provisionTicks: parseInt(input['provisionTicks'] ?? defaults.provisionTicks, 'provisionTicks', 1, 3_600),
  };
}

function observe(world: LonghornWorld): Observation {
  const objects: ObservedObject[] = [];
  for (const volume of world.volumes) objects.push({ kind: 'Volume', name: volume.name, phase: `${volumeStateOf(volume)}/${volumeRobustnessOf(volume)}` });
  for (const engine of world.engines) objects.push({ kind: 'Engine', name: engine.name, phase: currentStateOf(engine.instance) });
  for (const replica of world.replicas) objects.push({ kind: 'Replica', name: replica.name, phase: `${currentStateOf(replica.instance)}${replica.failedAt === null ? '' : ' (failed)'}` });
  for (const pod of world.pods) objects.push({ kind: 'Pod', name: pod.name, phase: pod.phase });
  for (const node of world.nodes) objects.push({ kind: 'Node', name: node.name, phase: node.present ? (node.ready ? (node.unschedulable ? 'Ready,SchedulingDisabled' : 'Ready') : 'NotReady') : 'Deleted' });
  return { objects, events: world.events, errors: world.errors };
}

/** Builds the model. */
export function createLonghornUpgradeModel(config: LonghornUpgradeModelConfig): Model<LonghornWorld, LonghornAction, LonghornUpgradeOptions> & ExploreHashing<LonghornWorld> {
  const profile = longhornProfile(config.profile);
  const base: LonghornSettings = { ...longhornSettingsDefaults, ...config.baseSettings };
  const defaults: LonghornUpgradeOptions = { settings: base, volumeCount: 2, staleReplicaTimeoutTicks: 1_800, rebuildTicks: 30, imStartTicks: 20, provisionTicks: 180 };
  const properties = longhornProperties().filter((property) => config.checks?.(property) ?? true);
  return {
    name: config.name,
    options: {
      defaults,
      parse: (raw) => parseOptions(raw, defaults),
      draw: (prng) => ({
        settings: config.drawSettings(prng.fork('settings'), base),
        volumeCount: prng.int(1, volumeCountMax),
        staleReplicaTimeoutTicks: prng.pick([600, 1_800]),
        rebuildTicks: prng.int(10, 120),
        imStartTicks: prng.int(5, 60),
        provisionTicks: prng.int(60, 600),
      }),
    },
    init: (options) =>
      initLonghornWorld({
        profile,
        settings: options.settings,
        nodeCount,
        volumeCount: options.volumeCount,
        numberOfReplicas,
        staleReplicaTimeoutTicks: options.staleReplicaTimeoutTicks,
        rebuildTicks: options.rebuildTicks,
        imStartTicks: options.imStartTicks,
        provisionTicks: options.provisionTicks,
      }),
    actions: config.rollingUpgrade === false ? (world) => longhornActions(world).filter((action) => !action.label.startsWith('user upgrade.')) : longhornActions,
    // The same list split by kind (the swarm builds the environment's part only when a die asks for it).
    systemActions: longhornSystemActions,
    environmentActions: (world) => longhornEnvironmentActions(world, config.rollingUpgrade !== false),
    apply: (world, action) => applyLonghornAction(world, action, config.naming),
    settle: (world) => settleEnvironment(world, config.naming),
    now: (world) => world.clock.now,
    properties,
    pending: (world) => {
      for (const property of properties) {
        if (property.kind !== 'eventually' || property.holds(world)) continue;
        return property.explain?.(world).reason ?? property.name;
      }
      return null;
    },
    observe,
    fingerprint: longhornFingerprint,
    // The same key as `fingerprint`, hashed from the abstract world's structure with the memo of the world a step came from.
    exploreHasher: { fingerprint: longhornFingerprint, hasher: (world, _now, out, previous) => longhornHashInto(world, out, previous as LonghornHashMemo | null) },
  };
}
