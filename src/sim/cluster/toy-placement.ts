/**
 * A toy model of just the cluster: pods with random constraints to place on a random node pool,
 * under node faults. It proves the substrate composes as a {@link Model} and lets the swarm hunt the
 * scheduler's liveness: "a pod whose constraints some node satisfies is eventually bound". That
 * property fails exactly when an unschedulable pod is not retried after a cluster change that made
 * it fit, which is what the scheduling epoch must get right.
 *
 * Variant `requeue` is the substrate as is; variant `no-requeue` plants the classic bug (a pod that
 * failed once is never retried) so a test can show the hunt finds it.
 */
import { OptionsError, timeAction, type Model, type TimeAction } from '../model.ts';
import { Prng, ratio } from '../prng.ts';
import { always, eventually, sometimes } from '../property.ts';
import type { Scenario } from '../scenario.ts';
import type { Tick } from '../ticks.ts';
import { clusterActions, clusterApply, clusterNextDueTick, clusterSettle, type ClusterAction, type ClusterFaultKind } from './actions.ts';
import { oracleFirstFit, oracleRejection } from './oracle.ts';
import { clusterCreatePod, podCondition, type PodInput } from './pods.ts';
import { scheduleEvaluate } from './scheduler.ts';
import { clusterCreate, type NodeInput } from './store.ts';
import type { Cluster, Node, Pod } from './types.ts';

export type ToyPlacementVariant = 'requeue' | 'no-requeue';

export interface ToyPlacementOptions {
  readonly nodes: readonly NodeInput[];
  readonly pods: readonly PodInput[];
}

export interface ToyPlacementWorld {
  readonly now: Tick;
  readonly cluster: Cluster;
  /** Pods the user has not created yet, in order. */
  readonly toCreate: readonly PodInput[];
  /** Bindings the naive oracle disagreed with (must stay empty). */
  readonly badBindings: readonly string[];
  /** Pods bound after having been Unschedulable. */
  readonly rescued: number;
}

export type ToyPlacementAction = ClusterAction | TimeAction | { readonly kind: 'user'; readonly label: string; readonly op: 'pod.create' };

const faults: readonly ClusterFaultKind[] = ['node.down', 'node.up', 'node.cordon', 'node.uncordon', 'node.replace', 'pod.delete', 'pod.restart'];
const faultOptions = { faults };
const image = 'example/app:1';

function drawNode(prng: Prng, index: number, zones: number): NodeInput {
  const tainted = prng.chance(ratio(1, 4));
  return {
    name: `node-${index + 1}`,
    zone: `zone-${String.fromCharCode(97 + (index % zones))}`,
    allocatable: { cpuMillis: prng.pick([1000, 2000, 4000]), memoryMiB: prng.pick([2048, 8192]) },
    ...(tainted ? { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' as const }] } : {}),
  };
}

function drawPod(prng: Prng, index: number, zones: number): PodInput {
  const group = prng.pick(['a', 'b']);
  const other = group === 'a' ? 'b' : 'a';
  const topologyKey = prng.pick(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
  const anti = prng.chance(ratio(1, 2));
  const affine = prng.chance(ratio(1, 5));
  const pinned = prng.chance(ratio(1, 5));
  return {
    name: `p${index}`,
    labels: { app: group },
    containers: [{ name: 'c', image, requests: { cpuMillis: prng.pick([100, 500, 1500]), memoryMiB: prng.pick([128, 1024, 4096]) } }],
    ...(pinned ? { nodeSelector: { 'topology.kubernetes.io/zone': `zone-${String.fromCharCode(97 + prng.int(0, zones - 1))}` } } : {}),
    ...(prng.chance(ratio(1, 3)) ? { tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'db', effect: 'NoSchedule' as const }] } : {}),
    affinity: {
      ...(anti ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: group } }, topologyKey }] } } : {}),
      ...(affine ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: other } }, topologyKey: 'topology.kubernetes.io/zone' }] } } : {}),
    },
  };
}

function drawOptions(prng: Prng): ToyPlacementOptions {
  const zones = prng.int(1, 3);
  const nodes = Array.from({ length: prng.int(1, 6) }, (_, index) => drawNode(prng, index, zones));
  const pods = Array.from({ length: prng.int(1, 8) }, (_, index) => drawPod(prng, index, zones));
  return { nodes, pods };
}

function parseOptions(raw: unknown): ToyPlacementOptions {
  const candidate = raw as Partial<ToyPlacementOptions> | null;
  if (!candidate || !Array.isArray(candidate.nodes) || !Array.isArray(candidate.pods)) throw new OptionsError('toy placement options need nodes[] and pods[]');
  if (candidate.nodes.length > 50 || candidate.pods.length > 50) throw new OptionsError('toy placement allows at most 50 nodes and 50 pods');
  return { nodes: candidate.nodes, pods: candidate.pods };
}

/** Pods still Pending although some node admits them now. */
function strandedPods(world: ToyPlacementWorld): { pod: Pod; node: string }[] {
  const out: { pod: Pod; node: string }[] = [];
  for (const key of world.cluster.pods.keys()) {
    const pod = world.cluster.pods.get(key) as Pod;
    if (pod.spec.nodeName !== null) continue;
    const node = oracleFirstFit(world.cluster, pod);
    if (node !== null) out.push({ pod, node });
  }
  return out;
}

function overcommitted(cluster: Cluster): string | null {
  const used: Record<string, { cpu: number; mem: number }> = {};
  for (const key of cluster.pods.keys()) {
    const pod = cluster.pods.get(key) as Pod;
    if (pod.spec.nodeName === null) continue;
    const entry = (used[pod.spec.nodeName] ??= { cpu: 0, mem: 0 });
    for (const container of pod.spec.containers) {
      entry.cpu += container.resources.requests.cpuMillis;
      entry.mem += container.resources.requests.memoryMiB;
    }
  }
  for (const name in used) {
    const node = cluster.nodes.get(name) as Node;
    const entry = used[name] as { cpu: number; mem: number };
    if (entry.cpu > node.allocatable.cpuMillis || entry.mem > node.allocatable.memoryMiB) return `${name} holds ${entry.cpu}m/${entry.mem}Mi of ${node.allocatable.cpuMillis}m/${node.allocatable.memoryMiB}Mi`;
  }
  return null;
}

function applyCluster(world: ToyPlacementWorld, action: ClusterAction): ToyPlacementWorld {
  if (action.op !== 'schedule') return { ...world, cluster: clusterApply(world.cluster, action, world.now) };
  const before = world.cluster.pods.get(action.pod) as Pod;
  const wasUnschedulable = podCondition(before, 'PodScheduled')?.status === 'False';
  // Check the binding against the naive oracle on the world the scheduler saw.
  const verdict = scheduleEvaluate(world.cluster, before);
  const rejection = verdict.kind === 'bind' ? oracleRejection(world.cluster, before, world.cluster.nodes.get(verdict.nodeName) as Node) : null;
  const cluster = clusterApply(world.cluster, action, world.now);
  const bound = cluster.pods.get(action.pod)?.spec.nodeName != null;
  return {
    ...world,
    cluster,
    badBindings: rejection === null ? world.badBindings : [...world.badBindings, `${before.name} on ${verdict.kind === 'bind' ? verdict.nodeName : '?'}: ${rejection}`],
    rescued: world.rescued + (wasUnschedulable && bound ? 1 : 0),
  };
}

export function toyPlacementModel(variant: ToyPlacementVariant): Model<ToyPlacementWorld, ToyPlacementAction, ToyPlacementOptions> {
  return {
    name: `toy-placement/${variant}`,
    options: { defaults: drawOptions(Prng.fromSeed(0)), parse: parseOptions, draw: drawOptions },
    init: (options) => ({ now: 0, cluster: clusterCreate({ nodes: options.nodes, images: [image] }), toCreate: options.pods, badBindings: [], rescued: 0 }),
    actions(world) {
      let substrate = clusterActions(world.cluster, world.now, faultOptions);
      // The planted bug: a pod that failed once is never retried.
      if (variant === 'no-requeue') substrate = substrate.filter((action) => action.op !== 'schedule' || world.cluster.pods.get(action.pod)?.scheduling.failedEpoch === null);
      const next = world.toCreate[0];
      const user: ToyPlacementAction[] = next === undefined ? [] : [{ kind: 'user', op: 'pod.create', label: `user pod.create ${next.name}` }];
      return [...substrate, ...user, timeAction(world.now, clusterNextDueTick(world.cluster), 5)];
    },
    apply(world, action) {
      if (action.kind === 'time') return { ...world, now: action.to };
      if (action.kind === 'user') {
        const [next, ...rest] = world.toCreate;
        if (next === undefined) throw new OptionsError('no pod left to create');
        return { ...world, cluster: clusterCreatePod(world.cluster, next, world.now), toCreate: rest };
      }
      return applyCluster(world, action);
    },
    settle: (world) => ({ ...world, cluster: clusterSettle(world.cluster, world.now) }),
    now: (world) => world.now,
    pending(world) {
      const stranded = strandedPods(world)[0];
      return stranded === undefined ? null : `pod ${stranded.pod.name} is Pending although ${stranded.node} admits it`;
    },
    observe: (world) => ({
      objects: world.cluster.pods.values().map((pod) => ({ kind: 'Pod', name: pod.name, phase: pod.spec.nodeName === null ? 'Pending' : pod.status.phase })),
      events: world.cluster.events,
      errors: [],
    }),
    properties: [
      always<ToyPlacementWorld>('the scheduler never binds where a taint or a required rule forbids it', (world) => world.badBindings.length === 0, (world) => ({ reason: world.badBindings[0] ?? '' })),
      always<ToyPlacementWorld>('no node is overcommitted', (world) => overcommitted(world.cluster) === null, (world) => ({ reason: overcommitted(world.cluster) ?? '' })),
      eventually<ToyPlacementWorld>('a pod whose constraints some node satisfies is eventually bound', (world) => strandedPods(world).length === 0, (world) => {
        const stranded = strandedPods(world)[0] as { pod: Pod; node: string };
        const scheduled = podCondition(stranded.pod, 'PodScheduled');
        return {
          subject: { kind: 'Pod', name: stranded.pod.name, phase: 'Pending' },
          reason: `Pending although ${stranded.node} admits it`,
          details: [`PodScheduled=${scheduled?.status ?? 'unset'} ${scheduled?.reason ?? ''}: ${scheduled?.message ?? ''}`],
        };
      }),
      sometimes<ToyPlacementWorld>('a pod is left Unschedulable', (world) => world.cluster.pods.values().some((pod) => podCondition(pod, 'PodScheduled')?.status === 'False')),
      sometimes<ToyPlacementWorld>('an Unschedulable pod is bound later', (world) => world.rescued > 0),
      sometimes<ToyPlacementWorld>('a pod runs Ready', (world) => world.cluster.pods.values().some((pod) => pod.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'))),
    ],
  };
}

/** The toy placement model as a scenario (for tests and benchmarks; not registered for users). */
export const toyPlacementScenario: Scenario = {
  name: 'toy-placement',
  title: 'pods with random constraints on a random node pool under node faults (substrate test model)',
  variants: [
    { name: 'requeue', profile: 'kube-scheduler@1.30', summary: 'unschedulable pods are retried on cluster events', model: toyPlacementModel('requeue'), expect: 'clean' },
    { name: 'no-requeue', profile: 'toy@no-requeue', summary: 'planted bug: a pod that failed once is never retried', model: toyPlacementModel('no-requeue'), expect: 'stuck' },
  ],
  swarm: {
    faultPhaseTicks: 60,
    convergenceTicksMax: 120,
    actionsPerRunMax: 5_000,
    faultChance: ratio(1, 6),
    requestChance: ratio(1, 3),
    faultsMax: 6,
    requestsMax: 50,
  },
  huntRunsDefault: 200,
};

