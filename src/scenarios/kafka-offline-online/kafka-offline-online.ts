/**
 * Scenario `kafka-offline-online` (seed `shared/seeds/002_c46fec0e737daf47.txt`, upstream issue
 * #9000, fix PR #9405): a 3-broker KubeBlocks Kafka cluster on which users apply HorizontalScaling
 * OpsRequests (scale in and out, with and without `replicaChanges`, take instances offline, bring
 * offline instances back) and Cancel them, while the substrate loses nodes and pods.
 *
 * On `kubeblocks@1.0.0` bringing the highest-ordinal offline instance back clears it from
 * `offlineInstances` without raising `replicas`, and the OpsRequest waits in `Running` for a pod that
 * is never created. Nothing here scripts that sequence: the swarm draws the requests.
 */
import { clockCreate } from '../../sim/clock.ts';
import { clusterCreate, nodePool, type ClusterFaultKind } from '../../sim/cluster/index.ts';
import { OptionsError, type Model } from '../../sim/model.ts';
import type { Prng } from '../../sim/prng.ts';
import type { Property } from '../../sim/property.ts';
import { ratio } from '../../sim/prng.ts';
import type { Scenario, ScenarioVariant, SwarmOptions } from '../../sim/scenario.ts';
import { newCluster, type ComponentDefinition } from '../../machines/kubeblocks/cluster-controller.ts';
import type { EngineBehaviour } from '../../machines/kubeblocks/engine.ts';
import { kubeblocksPending, kubeblocksProperties } from '../../machines/kubeblocks/kubeblocks-properties.ts';
import { kubeblocks102, type KubeBlocksProfile } from '../../machines/kubeblocks/kubeblocks-profile.ts';
import { kubeblocksRuntime, type KubeBlocksAction } from '../../machines/kubeblocks/kubeblocks-runtime.ts';
import { opsSliceCreate, type OpsSlice } from '../../machines/kubeblocks-opsrequest/opsrequest.host.ts';
import { isOpsTerminal } from '../../machines/kubeblocks-opsrequest/opsrequest.machine.ts';
import { opsRequestProperties } from '../../machines/kubeblocks-opsrequest/opsrequest.properties.ts';
import { kubeblocks100, kubeblocks101, type OpsProfile } from '../../machines/kubeblocks-opsrequest/profile.ts';
import { opsPort, opsRequestExtension, type OpsAction, type OpsWorld } from './opsrequest-extension.ts';
import { userRequests } from './requests.ts';

export const kafkaClusterName = 'kafka';
export const kafkaComponentName = 'kafka-broker';
export const kafkaItsName = `${kafkaClusterName}-${kafkaComponentName}`;
export const kafkaImage = 'docker.io/apecloud/kafka:3.3.2-debian-11-r54';
/** A Kafka broker ComponentDefinition has no roles (membersStatus stays null). */
export const kafkaBrokerDefinition: ComponentDefinition = { name: 'kafka-broker-1.0.0', roles: [] };
/** Brokers at creation (the incident's cluster had 3). */
export const kafkaBrokers = 3;
/** Scale-out is offered below this many replicas: keeps worlds small; capacity is not what this scenario is about. */
export const kafkaReplicasMax = 6;
/** Substrate faults of this scenario: all of them recover when the environment settles. */
export const kafkaFaults: readonly ClusterFaultKind[] = ['node.down', 'pod.delete'];

export interface KafkaOptions {
  readonly nodes: number;
  /** `spec.timeoutSeconds` of every OpsRequest of the run; null for none. */
  readonly timeoutSeconds: number | null;
}

export interface KafkaExt {
  readonly ops: OpsSlice;
  readonly timeoutSeconds: number | null;
}

export type KafkaWorld = OpsWorld<KafkaExt>;

/** Kafka brokers report no role: the engine seam does nothing. */
const kafkaEngine: EngineBehaviour = { name: 'kafka', roleInputs: () => [], roleOf: () => null, actions: () => [], apply: (world) => world };

const defaults: KafkaOptions = { nodes: 3, timeoutSeconds: null };

function parseOptions(raw: unknown): KafkaOptions {
  if (typeof raw !== 'object' || raw === null) throw new OptionsError('kafka-offline-online options must be an object');
  const input = raw as Record<string, unknown>;
  const nodes = input['nodes'] ?? defaults.nodes;
  const timeoutSeconds = input['timeoutSeconds'] ?? defaults.timeoutSeconds;
  if (typeof nodes !== 'number' || !Number.isSafeInteger(nodes) || nodes < 1 || nodes > 8) throw new OptionsError('nodes must be an integer in 1..8');
  if (timeoutSeconds !== null && (typeof timeoutSeconds !== 'number' || !Number.isSafeInteger(timeoutSeconds) || timeoutSeconds < 1)) {
    throw new OptionsError('timeoutSeconds must be null or a positive integer');
  }
  return { nodes, timeoutSeconds };
}

// One run in four sets a timeoutSeconds on its requests, so Aborted is exercised too.
function drawOptions(prng: Prng): KafkaOptions {
  const timeoutSeconds = prng.chance(ratio(1, 4)) ? prng.pick([60, 120, 300]) : null;
  return { nodes: prng.int(2, 4), timeoutSeconds };
}

/** The KubeBlocks controller behaviour under the OpsRequest profile (same rules in 1.0.0 and 1.0.1 here). */
function kubeblocksProfileFor(ops: OpsProfile): KubeBlocksProfile {
  return { ...kubeblocks102, name: ops.name, stoppingWaitsForPostProvision: ops.name !== 'kubeblocks@1.0.0' };
}

function initWorld(options: KafkaOptions): KafkaWorld {
  const cluster = newCluster({
    name: kafkaClusterName,
    componentSpecs: [
      {
        name: kafkaComponentName,
        componentDef: kafkaBrokerDefinition.name,
        replicas: kafkaBrokers,
        offlineInstances: [],
        instances: [],
        image: kafkaImage,
        volumeClaimTemplates: [{ name: 'data', storageMiB: 1024 }],
        stop: false,
        schedulingPolicy: null,
      },
    ],
  });
  return {
    now: 0,
    k8s: clusterCreate({ nodes: nodePool(options.nodes), images: [kafkaImage] }),
    kb: { clusters: { [kafkaClusterName]: cluster }, components: {}, instanceSets: {} },
    clock: clockCreate(),
    queue: [`cluster/${kafkaClusterName}`],
    failures: {},
    errors: [],
    logs: {},
    roleProbes: {},
    marks: [],
    engine: {},
    ext: { ops: opsSliceCreate(), timeoutSeconds: options.timeoutSeconds },
  };
}

/**
 * The user's requests now. New OpsRequests only while the Cluster shows Running (a user applies
 * one when `kubectl get cluster` says Running; the status lags, so requests still pile up in the
 * queue); Cancels at any time.
 */
function vocabulary(world: KafkaWorld): readonly OpsAction[] {
  // The requests read only the Cluster's spec and phase, the OpsRequests and the request settings: reused while those are unchanged.
  const cluster = world.kb.clusters[kafkaClusterName];
  const spec = cluster?.spec;
  const phase = cluster?.status.phase;
  const { opsRequests, nextSequence } = world.ext.ops;
  const { timeoutSeconds } = world.ext;
  const last = lastVocabulary;
  if (last !== null && last.spec === spec && last.phase === phase && last.opsRequests === opsRequests && last.nextSequence === nextSequence && last.timeoutSeconds === timeoutSeconds) return last.actions;
  const actions = vocabularyOf(world);
  lastVocabulary = { spec, phase, opsRequests, nextSequence, timeoutSeconds, actions };
  return actions;
}

let lastVocabulary: {
  readonly spec: KafkaWorld['kb']['clusters'][string]['spec'] | undefined;
  readonly phase: string | undefined;
  readonly opsRequests: KafkaWorld['ext']['ops']['opsRequests'];
  readonly nextSequence: number;
  readonly timeoutSeconds: number | null;
  readonly actions: readonly OpsAction[];
} | null = null;

function vocabularyOf(world: KafkaWorld): readonly OpsAction[] {
  const cluster = world.kb.clusters[kafkaClusterName];
  if (cluster === undefined) return [];
  const spec = cluster.spec.componentSpecs.find((entry) => entry.name === kafkaComponentName);
  if (spec === undefined) return [];
  const requests = userRequests({
    clusterName: kafkaClusterName,
    componentName: kafkaComponentName,
    itsName: kafkaItsName,
    spec,
    opsRequests: world.ext.ops.opsRequests,
    nextSequence: world.ext.ops.nextSequence,
    replicasMax: kafkaReplicasMax,
    timeoutSeconds: world.ext.timeoutSeconds,
  });
  const allowed = cluster.status.phase === 'Running' ? requests : requests.filter((request) => request.op === 'opsrequest.cancel');
  return allowed.map((request) =>
    request.op === 'opsrequest.create'
      ? { kind: 'user', owner: 'opsrequest', op: request.op, name: request.name, spec: request.spec, label: request.label }
      : { kind: 'user', owner: 'opsrequest', op: request.op, name: request.name, label: request.label },
  );
}

function opsPending(world: KafkaWorld): string | null {
  const ops = world.ext.ops.opsRequests.find((candidate) => !isOpsTerminal(candidate.status.phase));
  if (ops === undefined) return null;
  const waiting = ops.status.components.flatMap((component) => component.progressDetails).find((detail) => detail.status === 'Pending' || detail.status === 'Processing');
  const why = waiting === undefined ? '' : `; ${waiting.message}`;
  return `pending OpsRequest ${ops.name} complete: phase ${ops.status.phase}, progress ${ops.status.progress || '-'}${why}`;
}

/** The model of one variant. */
export function kafkaOfflineOnlineModel(
  profile: OpsProfile,
  extraProperties: readonly Property<KafkaWorld>[] = [],
): Model<KafkaWorld, KubeBlocksAction, KafkaOptions> {
  const kbProfile = kubeblocksProfileFor(profile);
  const runtime = kubeblocksRuntime<KafkaWorld>({
    profile: kbProfile,
    componentDefinitions: [kafkaBrokerDefinition],
    engine: kafkaEngine,
    clusterFaults: kafkaFaults,
    extensions: [opsRequestExtension<KafkaExt>(profile, vocabulary)],
  });
  return {
    name: `kafka-offline-online@${profile.name}`,
    options: { defaults, parse: parseOptions, draw: drawOptions },
    init: initWorld,
    actions: runtime.actions,
    systemActions: runtime.systemActions,
    environmentActions: runtime.environmentActions,
    apply: runtime.apply,
    settle: runtime.settle,
    now: (world) => world.now,
    properties: [...extraProperties, ...opsRequestProperties(opsPort<KafkaExt>(), profile), ...kubeblocksProperties<KafkaWorld>(kbProfile)],
    pending: (world) => opsPending(world) ?? kubeblocksPending(kbProfile, world),
    observe: runtime.observe,
  };
}

function variant(name: 'buggy' | 'fixed', profile: OpsProfile, summary: string, expect: ScenarioVariant['expect']): ScenarioVariant {
  return { name, profile: profile.name, summary, model: kafkaOfflineOnlineModel(profile), expect };
}

/** Swarm settings: requests come often (users act on minutes, controllers on seconds), faults rarely. */
export const kafkaSwarm: SwarmOptions = {
  faultPhaseTicks: 600,
  convergenceTicksMax: 600,
  actionsPerRunMax: 20_000,
  faultChance: ratio(1, 60),
  requestChance: ratio(1, 15),
  faultsMax: 3,
  requestsMax: 10,
};

export const kafkaOfflineOnlineScenario: Scenario = {
  name: 'kafka-offline-online',
  title: 'KubeBlocks Kafka: an instance taken offline and brought back leaves its OpsRequest Running forever',
  seedDocument: 'shared/seeds/002_c46fec0e737daf47.txt',
  variants: [
    variant('buggy', kubeblocks100, 'the last offline ordinal brought back keeps replicas; the OpsRequest waits for it forever (#9000)', 'stuck'),
    variant('fixed', kubeblocks101, 'replicas raised when replicaChanges is not set (PR #9405)', 'clean'),
  ],
  swarm: kafkaSwarm,
  huntRunsDefault: 200,
  // With every interleaving 20 000 states reach depth 75 only; one system interleaving with requests
  // when the system is quiet (an under-approximation, labelled) finds the deadlock exhaustively.
  explore: { configurations: [{ nodes: 1, timeoutSeconds: null }], faultsMax: 0, requestsMax: 2, statesMax: 11_000, interleavings: 'canonical-quiet' },
};
