/**
 * The `pgo-replica-deleted` model: a 2-instance PostgresCluster on 3 nodes, bootstrapped by
 * Patroni, reconciled by PGO under a behaviour profile. Built from the public parts (substrate,
 * Patroni member, PGO reconcile steps), so a user can build the same with another profile.
 */
import { clockCreate } from '../../sim/clock.ts';
import { clusterCreate, clusterCreateStatefulSet, clusterEnsurePvc, nodePool } from '../../sim/cluster/index.ts';
import { OptionsError, type Model, type Observation } from '../../sim/model.ts';
import type { ExploreHashing } from '../../sim/explore.ts';
import type { Prng } from '../../sim/prng.ts';
import { stateValueText } from '../../sim/machine-host.ts';
import { patroniClusterCreate } from '../../machines/patroni-member/patroni-cluster.ts';
import { adjustTimeouts, assertPatroniConfig, patroniDefaults } from '../../machines/patroni-member/patroni-config.ts';
import { generateInstanceName, instancePvcName, patroniScope, switchoverPending, triggerSwitchoverAnnotation, type PostgresCluster } from '../../machines/pgo-postgrescluster/postgrescluster.ts';
import type { PgoProfile } from '../../machines/pgo-postgrescluster/reconcile.ts';
import { pgoActions, pgoApply, pgoEnvironmentActions, pgoSettle, pgoSystemActions, type PgoAction } from './actions.ts';
import { pgoFingerprint, pgoHashInto, type PgoHashMemo } from './fingerprint.ts';
import { pgoWatchKey } from './pgo-host.ts';
import { clusterPhase, pgoPending, pgoProperties } from './properties.ts';
import { clusterLabel, initialSwitchoverKinds, instanceLabel, instanceSetLabel, namespace, type InitialSwitchover, type PgoScenarioOptions, type PgoVocabulary, type PgoWorld } from './world.ts';

export const pgoScenarioDefaults: PgoScenarioOptions = {
  clusterName: 'hippo',
  nodeCount: 3,
  replicas: 2,
  patroni: patroniDefaults,
  writeBytesPerTick: 65_536,
  catchUpBytesPerTick: 524_288,
  pgStartTicks: 3,
  pgStopTicks: 1,
  cloneTicks: 8,
  initdbTicks: 3,
  partitionTicks: 45,
  initialSwitchover: 'enabled-completed',
  rewindSucceeds: true,
};

/** Steps the deterministic bootstrap in `init` may take before the cluster is up. */
export const bootstrapStepsMax = 2_000;

function positiveInt(raw: Record<string, unknown>, field: keyof PgoScenarioOptions, fallback: number): number {
  const value = raw[field] ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw new OptionsError(`option ${field} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}

export function parsePgoOptions(raw: unknown): PgoScenarioOptions {
  if (raw === undefined || raw === null) return pgoScenarioDefaults;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new OptionsError('pgo-replica-deleted options must be an object');
  const input = raw as Record<string, unknown>;
  const d = pgoScenarioDefaults;
  const initial = input['initialSwitchover'] ?? d.initialSwitchover;
  if (!initialSwitchoverKinds.includes(initial as InitialSwitchover)) throw new OptionsError(`option initialSwitchover must be one of ${initialSwitchoverKinds.join(', ')}`);
  const patroni = { ...d.patroni, ...((input['patroni'] as object | undefined) ?? {}) };
  try {
    assertPatroniConfig(patroni);
  } catch (error) {
    throw new OptionsError(`option patroni: ${(error as Error).message}`);
  }
  const clusterName = input['clusterName'] ?? d.clusterName;
  if (typeof clusterName !== 'string' || !/^[a-z][a-z0-9-]{0,30}$/.test(clusterName)) throw new OptionsError('option clusterName must be a DNS label');
  return {
    clusterName,
    nodeCount: positiveInt(input, 'nodeCount', d.nodeCount),
    replicas: positiveInt(input, 'replicas', d.replicas),
    patroni,
    writeBytesPerTick: positiveInt(input, 'writeBytesPerTick', d.writeBytesPerTick),
    catchUpBytesPerTick: positiveInt(input, 'catchUpBytesPerTick', d.catchUpBytesPerTick),
    pgStartTicks: positiveInt(input, 'pgStartTicks', d.pgStartTicks),
    pgStopTicks: positiveInt(input, 'pgStopTicks', d.pgStopTicks),
    cloneTicks: positiveInt(input, 'cloneTicks', d.cloneTicks),
    initdbTicks: positiveInt(input, 'initdbTicks', d.initdbTicks),
    partitionTicks: positiveInt(input, 'partitionTicks', d.partitionTicks),
    initialSwitchover: initial as InitialSwitchover,
    rewindSucceeds: (input['rewindSucceeds'] ?? d.rewindSucceeds) === true,
  };
}

/** One configuration within the scenario's bounds, for a swarm run. */
export function drawPgoOptions(prng: Prng): PgoScenarioOptions {
  const write = prng.pick([16_384, 65_536, 262_144]);
  return {
    ...pgoScenarioDefaults,
    patroni: {
      ...patroniDefaults,
      ttl: prng.pick([30, 30, 45]),
      loopWait: prng.pick([10, 10, 5]),
      retryTimeout: prng.pick([10, 10, 5]),
      synchronousMode: prng.chance({ numerator: 1, denominator: 4 }) ? 'on' : 'off',
    },
    writeBytesPerTick: write,
    catchUpBytesPerTick: write * 8,
    pgStartTicks: prng.int(2, 5),
    pgStopTicks: prng.int(1, 2),
    cloneTicks: prng.int(5, 15),
    partitionTicks: prng.int(20, 90),
    initialSwitchover: prng.pick(initialSwitchoverKinds),
  };
}

function postgresCluster(options: PgoScenarioOptions): PostgresCluster {
  return {
    name: options.clusterName,
    generation: 1,
    triggerSwitchover: null,
    spec: { instances: [{ name: 'instance1', replicas: options.replicas }], switchover: null },
    status: { patroni: { switchover: null, switchoverTimeline: null, systemIdentifier: '' }, instances: [], observedGeneration: 0 },
  };
}

/** The switchover settings an operator left behind (G:`docs/content/tutorial/administrative-tasks.md`). */
function withInitialSwitchover(cr: PostgresCluster, initial: InitialSwitchover): PostgresCluster {
  const spec = (enabled: boolean) => ({ ...cr.spec, switchover: { enabled, targetInstance: null, type: 'Switchover' as const } });
  switch (initial) {
    case 'none':
      return cr;
    case 'enabled-completed':
      return { ...cr, spec: spec(true), triggerSwitchover: 'sw-0', status: { ...cr.status, patroni: { ...cr.status.patroni, switchover: 'sw-0' } } };
    case 'disabled-annotation-left':
      return { ...cr, spec: spec(false), triggerSwitchover: 'sw-0' };
    case 'enabled-idle':
      return { ...cr, spec: spec(true) };
    default: {
      const never: never = initial;
      return never;
    }
  }
}

export function emptyWorld(options: PgoScenarioOptions, profile: PgoProfile, vocabulary: PgoVocabulary = { targetInstance: false }): PgoWorld {
  let cluster = clusterCreate({ nodes: nodePool(options.nodeCount, ['zone-a', 'zone-b', 'zone-c']), images: ['crunchydata/crunchy-postgres:16'] });
  const names: string[] = [];
  for (let index = 0; index < options.replicas; index++) names.push(generateInstanceName(options.clusterName, 'instance1', names));
  const volumes: Record<string, { hasData: boolean; walLsn: number; timeline: number }> = {};
  for (const name of names) {
    const labels = { [clusterLabel]: options.clusterName, [instanceSetLabel]: 'instance1', [instanceLabel]: name, 'postgres-operator.crunchydata.com/data': 'postgres' };
    cluster = clusterEnsurePvc(cluster, namespace, instancePvcName(name), 1024, labels, 0);
    cluster = clusterCreateStatefulSet(cluster, { name, namespace, replicas: 1, template: { labels, containers: [{ name: 'database', image: 'crunchydata/crunchy-postgres:16' }] } });
    volumes[instancePvcName(name)] = { hasData: false, walLsn: 0, timeline: 1 };
  }
  const world: PgoWorld = {
    options, profile: profile.name, vocabulary, now: 0, clock: clockCreate(), cluster,
    patroni: patroniClusterCreate(patroniScope(options.clusterName), adjustTimeouts(options.patroni), options.rewindSucceeds),
    postgres: postgresCluster(options), postgresVersion: 1,
    pgo: { dirty: true, watchKey: '', failures: 0, inFlight: null, errors: [], reconciles: 0 },
    volumes, partitions: [], orphans: [], requestsMade: 0,
    stats: { switchoversCompleted: 0, failoverAfterNodeDown: false, ineligiblePromotions: [], splitBrain: [] },
  };
  return { ...world, pgo: { ...world.pgo, watchKey: pgoWatchKey(world) } };
}

function bootstrapped(world: PgoWorld): boolean {
  const running = world.patroni.members.filter((member) => member.alive && member.pg.value === 'running');
  return running.length === world.options.replicas && running.every((member) => member.streaming || member.pg.context.role === 'primary') && !world.pgo.dirty && world.pgo.inFlight === null;
}

function bootstrapStep(world: PgoWorld, profile: PgoProfile): PgoWorld {
  // The system moves only: bootstrap never takes a fault or user request, so they are not built.
  const actions = pgoSystemActions(world);
  const urgent = actions.find((action) => action.kind !== 'time');
  return pgoApply(world, urgent ?? (actions.find((action) => action.kind === 'time') as PgoAction), profile);
}

/** A bootstrap's start: the world before its first Patroni process starts, and the steps taken to it. */
interface BootstrapPrefix {
  readonly world: PgoWorld;
  readonly steps: number;
}

/**
 * Until a Patroni process starts, bootstrap steps are the substrate's (StatefulSets, scheduler,
 * kubelet), PGO's reconcile and time over no members: they read the cluster's name and shape only
 * (the options in {@link prefixKey}), never the Patroni settings, WAL rates or PostgreSQL durations a
 * swarm draws per seed. So that part (about 40% of a bootstrap) is computed once per cluster shape
 * and profile and continued with each run's options (fast-paths.test.ts compares with the plain bootstrap).
 */
const prefixCache = new WeakMap<PgoProfile, Map<string, BootstrapPrefix>>();
/** Cluster shapes kept per profile. */
const prefixCacheSizeMax = 64;

function prefixKey(options: PgoScenarioOptions, vocabulary: PgoVocabulary): string {
  return JSON.stringify([options.clusterName, options.nodeCount, options.replicas, vocabulary.targetInstance]);
}

/** The world a bootstrap starts from: the cached prefix with this run's options, or the empty world. */
function bootstrapStart(options: PgoScenarioOptions, profile: PgoProfile, vocabulary: PgoVocabulary, cached: boolean): BootstrapPrefix {
  if (!cached) return { world: emptyWorld(options, profile, vocabulary), steps: 0 };
  let byKey = prefixCache.get(profile);
  if (byKey === undefined) prefixCache.set(profile, (byKey = new Map()));
  const key = prefixKey(options, vocabulary);
  let prefix = byKey.get(key);
  if (prefix === undefined) {
    let world = emptyWorld(options, profile, vocabulary);
    let steps = 0;
    for (; steps < bootstrapStepsMax && !bootstrapped(world); steps++) {
      const next = bootstrapStep(world, profile);
      if (next.patroni.members.length > 0) break;
      world = next;
    }
    prefix = { world, steps };
    if (byKey.size >= prefixCacheSizeMax) byKey.clear();
    byKey.set(key, prefix);
  }
  return { world: withRunOptions(prefix.world, options, vocabulary), steps: prefix.steps };
}

/** A prefix world with the run's own options (and the Patroni settings made from them), in the world's one shape. */
function withRunOptions(world: PgoWorld, options: PgoScenarioOptions, vocabulary: PgoVocabulary): PgoWorld {
  const { dcs, members } = world.patroni;
  const patroni = { config: adjustTimeouts(options.patroni), dcs, members, rewindSucceeds: options.rewindSucceeds };
  return {
    options, profile: world.profile, vocabulary, now: world.now, clock: world.clock, cluster: world.cluster, patroni, postgres: world.postgres, postgresVersion: world.postgresVersion,
    pgo: world.pgo, volumes: world.volumes, partitions: world.partitions, orphans: world.orphans, requestsMade: world.requestsMade, stats: world.stats,
  };
}

/**
 * Bootstraps the cluster deterministically (first urgent step, else time) so every run starts from
 * a running cluster. `cached` false takes every step from the empty world (the plain computation).
 */
export function pgoInit(options: PgoScenarioOptions, profile: PgoProfile, vocabulary: PgoVocabulary = { targetInstance: false }, cached = true): PgoWorld {
  const start = bootstrapStart(options, profile, vocabulary, cached);
  let world = start.world;
  for (let step = start.steps; step < bootstrapStepsMax && !bootstrapped(world); step++) world = bootstrapStep(world, profile);
  if (!bootstrapped(world)) throw new Error(`pgo-replica-deleted: the cluster did not bootstrap within ${bootstrapStepsMax} steps`);
  const postgres = withInitialSwitchover(world.postgres, options.initialSwitchover);
  return { ...world, postgres, postgresVersion: world.postgresVersion + 1, pgo: { ...world.pgo, dirty: true } };
}

function observe(world: PgoWorld): Observation {
  const objects = [
    { kind: 'PostgresCluster', name: world.options.clusterName, phase: clusterPhase(world) },
    { kind: 'Switchover', name: `${world.options.clusterName} ${triggerSwitchoverAnnotation}`, phase: switchoverPending(world.postgres) ? `pending ${world.postgres.triggerSwitchover}` : 'idle' },
    ...world.patroni.members.map((member) => ({ kind: 'PatroniMember', name: member.name, phase: member.alive ? `${stateValueText(member.pg.value)}/${member.pg.context.role}` : 'down' })),
  ];
  return { objects, events: world.cluster.events, errors: world.pgo.errors };
}

/**
 * Patroni settings a scenario pins over the drawn ones. `pgo-replica-deleted` pins PGO's default
 * `synchronous_mode: off`; its `fixed-sync` variant pins `on`.
 */
export type PatroniPins = Partial<PgoScenarioOptions['patroni']>;

/** The model for one behaviour profile, one vocabulary of user requests and pinned Patroni settings. */
export function pgoReplicaDeletedModel(
  profile: PgoProfile,
  vocabulary: PgoVocabulary = { targetInstance: false },
  name = 'pgo-replica-deleted',
  pins: PatroniPins = { synchronousMode: 'off' },
): Model<PgoWorld, PgoAction, PgoScenarioOptions> & ExploreHashing<PgoWorld> {
  const pin = (options: PgoScenarioOptions): PgoScenarioOptions => ({ ...options, patroni: { ...options.patroni, ...pins } });
  return {
    name: `${name} (${profile.name})`,
    // Pins apply to parsed options too: a configuration given as data (a trace, `Scenario.explore`, a
    // user script) runs the variant it names, e.g. `fixed-sync` keeps synchronous mode.
    options: { defaults: pin(pgoScenarioDefaults), parse: (raw) => pin(parsePgoOptions(raw)), draw: (prng) => pin(drawPgoOptions(prng)) },
    init: (options) => pgoInit(options, profile, vocabulary),
    actions: pgoActions,
    // The same list split by kind, the environment's built only when a driver asks (`Model.systemActions`).
    systemActions: pgoSystemActions,
    environmentActions: pgoEnvironmentActions,
    apply: (world, action) => pgoApply(world, action, profile),
    settle: pgoSettle,
    now: (world) => world.now,
    properties: pgoProperties,
    pending: pgoPending,
    observe,
    fingerprint: pgoFingerprint,
    // The same key as `fingerprint`, hashed against the memo of the world a step came from (what they share is not compiled again).
    exploreHasher: { fingerprint: pgoFingerprint, hasher: (world, _now, out, previous) => pgoHashInto(world, out, previous as PgoHashMemo | null) },
  };
}
