/**
 * Creating a cluster and writing to it. Every write goes through here so that three things always
 * hold: `resourceVersion` is bumped and stamped on the touched object, the derived indexes
 * ({@link ClusterIndex}) follow the write, and only the touched records are copied (structural
 * sharing: an untouched pod keeps its identity).
 */
import { assert } from '../assert.ts';
import { eventsRecord, type KubeEventInput } from '../events.ts';
import type { Tick } from '../ticks.ts';
import { digestFor, imageNormalize, uuidFor } from './match.ts';
import { shapedNode, shapedPod } from './shapes.ts';
import { Table } from './table.ts';
import type { Cluster, ClusterIndex, ClusterTiming, Node, Pod, Resources, SchedulerProfile, StringMap, Taint } from './types.ts';

/** Node count a cluster may hold. */
export const clusterNodesMax = 5_000;
/** Pod count a cluster may hold. */
export const clusterPodsMax = 50_000;

export const hostnameLabel = 'kubernetes.io/hostname';
export const zoneLabel = 'topology.kubernetes.io/zone';

export interface NodeInput {
  readonly name: string;
  /** Defaults to `zone-a`. */
  readonly zone?: string;
  readonly labels?: StringMap;
  /** Defaults to 4000m CPU and 16384 MiB. */
  readonly allocatable?: Resources;
  readonly taints?: readonly Taint[];
  /** Defaults to one disk `disk-1` of 100 GiB. */
  readonly disks?: readonly { readonly name: string; readonly capacityMiB: number }[];
}

export interface ClusterInput {
  readonly nodes: readonly NodeInput[];
  /** Image references (as written in specs) the registry serves from the start. */
  readonly images?: readonly string[];
  readonly timing?: Partial<ClusterTiming>;
  readonly scheduler?: Partial<SchedulerProfile>;
}

export const clusterTimingDefaults: ClusterTiming = {
  pullDelayTicks: 5,
  startDelayTicks: 2,
  readyDelayTicks: 3,
  drainRetryTicks: 5,
};

/** The n nodes `node-1..node-n`, spread round-robin over `zones` (default one zone). */
export function nodePool(count: number, zones: readonly string[] = ['zone-a'], template: Omit<NodeInput, 'name' | 'zone'> = {}): NodeInput[] {
  assert(Number.isSafeInteger(count) && count >= 0, `node count ${count} must be a non-negative integer`);
  assert(zones.length > 0, 'a node pool needs a zone');
  return Array.from({ length: count }, (_, index) => ({ ...template, name: `node-${index + 1}`, zone: zones[index % zones.length] as string }));
}

/** The disk UUID of disk `diskName` on `nodeName` in its `incarnation` (re-imaging changes it). */
export function diskUuid(nodeName: string, diskName: string, incarnation: number): string {
  return uuidFor(`disk/${nodeName}/${diskName}/${incarnation}`);
}

export function readyCondition(ready: boolean, now: Tick): Node['conditions'][number] {
  // pkg/kubelet/nodestatus/setters.go (KubeletReady) and pkg/controller/nodelifecycle (NodeStatusUnknown)
  return ready
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastTransitionTick: now }
    : { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTick: now };
}

export function nodeFromInput(input: NodeInput, incarnation: number, resourceVersion: number, now: Tick): Node {
  assert(input.name.length > 0, 'a node needs a name');
  const disks = (input.disks ?? [{ name: 'disk-1', capacityMiB: 102_400 }]).map((disk) => ({
    name: disk.name,
    capacityMiB: disk.capacityMiB,
    uuid: diskUuid(input.name, disk.name, incarnation),
  }));
  return {
    name: input.name,
    resourceVersion,
    labels: { ...input.labels, [hostnameLabel]: input.name, [zoneLabel]: input.zone ?? 'zone-a' },
    allocatable: input.allocatable ?? { cpuMillis: 4_000, memoryMiB: 16_384 },
    taints: input.taints ?? [],
    unschedulable: false,
    conditions: [readyCondition(true, now)],
    disks,
    imageCache: {},
    incarnation,
    drain: null,
  };
}


/** A fresh cluster at tick `now`: every node Ready, the registry serving `images`. */
export function clusterCreate(input: ClusterInput, now: Tick = 0): Cluster {
  const count = input.nodes.length;
  assert(count <= clusterNodesMax, `node count ${count} exceeds clusterNodesMax ${clusterNodesMax}`);
  const nodes: Record<string, Node> = {};
  const requestedByNode: Record<string, Resources> = {};
  const podsByNode: Record<string, readonly string[]> = {};
  for (const nodeInput of input.nodes) {
    assert(!(nodeInput.name in nodes), `duplicate node ${nodeInput.name}`);
    nodes[nodeInput.name] = nodeFromInput(nodeInput, 0, 1, now);
    requestedByNode[nodeInput.name] = { cpuMillis: 0, memoryMiB: 0 };
    podsByNode[nodeInput.name] = [];
  }
  const registry: Record<string, string> = {};
  for (const image of input.images ?? []) {
    const ref = imageNormalize(image);
    registry[ref] = digestFor(`${ref}#0`);
  }
  return {
    resourceVersion: 1,
    schedulingEpoch: 0,
    registryVersion: 0,
    timing: { ...clusterTimingDefaults, ...input.timing },
    scheduler: { preemptionMessage: input.scheduler?.preemptionMessage ?? false },
    nodeNames: Object.keys(nodes).sort(),
    nodes: Table.fromRecord(nodes),
    pods: Table.empty(),
    pvcs: Table.empty(),
    statefulSets: {},
    pdbs: {},
    registry,
    events: [],
    index: { podsByNode: Table.fromRecord(podsByNode), podsByLabel: Table.empty(), podsWithAffinity: [], requestedByNode: Table.fromRecord(requestedByNode) },
  };
}

/** `namespace/name`, the key of namespaced objects. */
export function objectKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

/** How a pod is named in action labels and Events: `pg-0`, or `ns/pg-0` outside `default`. */
export function podRef(pod: { readonly namespace: string; readonly name: string }): string {
  return pod.namespace === 'default' ? pod.name : `${pod.namespace}/${pod.name}`;
}

/** Records an Event in the cluster's log (deduplicated upstream-style); bumps nothing else. */
export function recordEvent(cluster: Cluster, input: KubeEventInput, now: Tick): Cluster {
  return { ...cluster, events: eventsRecord(cluster.events, input, now) };
}

/**
 * Where a record written here came from: the record it copied and the one key it changed. Derived
 * data (the pods the substrate must look at each step, `active-pods.ts`) follows a write instead of
 * walking every pod again. The reader deletes the entry once it has used it, so a record does not
 * keep its whole history alive.
 */
export interface WrittenFrom<R> {
  readonly from: R;
  readonly key: string;
}
export const podsWrittenFrom = new WeakMap<Cluster['pods'], WrittenFrom<Cluster['pods']>>();
export const nodesWrittenFrom = new WeakMap<Cluster['nodes'], WrittenFrom<Cluster['nodes']>>();

/** Writes `node` (stamped with a new resourceVersion); `schedulingRelevant` retries unschedulable pods. */
export function writeNode(cluster: Cluster, node: Node, schedulingRelevant: boolean): Cluster {
  if (!cluster.nodes.has(node.name)) assert(false, `node ${node.name} does not exist`);
  const resourceVersion = cluster.resourceVersion + 1;
  const nodes = cluster.nodes.with(node.name, shapedNode(node, resourceVersion));
  nodesWrittenFrom.set(nodes, { from: cluster.nodes, key: node.name });
  return {
    ...cluster,
    resourceVersion,
    schedulingEpoch: cluster.schedulingEpoch + (schedulingRelevant ? 1 : 0),
    nodes,
  };
}

function sortedInsert(keys: readonly string[] | undefined, key: string): readonly string[] {
  const list = keys ?? [];
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((list[middle] as string) < key) low = middle + 1;
    else high = middle;
  }
  assert(list[low] !== key, `index already holds ${key}`);
  return [...list.slice(0, low), key, ...list.slice(low)];
}

function sortedRemove(keys: readonly string[] | undefined, key: string): readonly string[] {
  const list = keys ?? [];
  const position = list.indexOf(key);
  assert(position >= 0, `index does not hold ${key}`);
  return list.length === 1 ? [] : [...list.slice(0, position), ...list.slice(position + 1)];
}

/** Sum of the container requests of a pod. */
export function podRequests(pod: Pod): Resources {
  let cpuMillis = 0;
  let memoryMiB = 0;
  for (const container of pod.spec.containers) {
    cpuMillis += container.resources.requests.cpuMillis;
    memoryMiB += container.resources.requests.memoryMiB;
  }
  return { cpuMillis, memoryMiB };
}

/** True when the pod declares pod affinity or anti-affinity (the scheduler checks those in reverse too). */
export function podHasPodAffinity(pod: Pod): boolean {
  const affinity = pod.spec.affinity;
  return affinity !== null && (affinity.podAffinity !== undefined || affinity.podAntiAffinity !== undefined);
}

function indexWithout(index: ClusterIndex, key: string, pod: Pod): ClusterIndex {
  let next = index;
  const nodeName = pod.spec.nodeName;
  if (nodeName !== null) {
    const used = index.requestedByNode.get(nodeName) as Resources;
    const requests = podRequests(pod);
    next = {
      ...next,
      podsByNode: next.podsByNode.with(nodeName, sortedRemove(next.podsByNode.get(nodeName), key)),
      requestedByNode: next.requestedByNode.with(nodeName, { cpuMillis: used.cpuMillis - requests.cpuMillis, memoryMiB: used.memoryMiB - requests.memoryMiB }),
      podsWithAffinity: podHasPodAffinity(pod) ? sortedRemove(next.podsWithAffinity, key) : next.podsWithAffinity,
    };
  }
  return next;
}

type LabelIndex = ClusterIndex['podsByLabel'];

// podsByLabel holds an entry per distinct label (one per pod for per-pod labels): a table, so each
// entry written copies an array of values, not a dictionary-mode record.
function labelRemoved(byLabel: LabelIndex, entry: string, key: string): LabelIndex {
  const remaining = sortedRemove(byLabel.get(entry), key);
  return remaining.length === 0 ? byLabel.without(entry) : byLabel.with(entry, remaining);
}

function labelsWithout(byLabel: LabelIndex, key: string, pod: Pod): LabelIndex {
  let next = byLabel;
  for (const label in pod.labels) next = labelRemoved(next, `${label}=${pod.labels[label]}`, key);
  return next;
}

function labelsWith(byLabel: LabelIndex, key: string, pod: Pod): LabelIndex {
  let next = byLabel;
  for (const label in pod.labels) {
    const entry = `${label}=${pod.labels[label]}`;
    next = next.with(entry, sortedInsert(next.get(entry), key));
  }
  return next;
}

/**
 * `labelsWith(labelsWithout(byLabel, key, before), key, after)` without the work for the labels
 * that stay: their lists come out the same. The one thing that pair does to a label that stays is
 * move its entry last when `key` is all it holds (deleted, then added again); that is kept, so the
 * record's key order is the same too.
 */
function relabel(byLabel: LabelIndex, key: string, before: Pod, after: Pod): LabelIndex {
  let next = byLabel;
  for (const label in before.labels) {
    const entry = `${label}=${before.labels[label]}`;
    const stays = after.labels[label] === before.labels[label];
    if (stays && !isOnly(next.get(entry), key)) continue;
    next = labelRemoved(next, entry, key);
  }
  for (const label in after.labels) {
    const entry = `${label}=${after.labels[label]}`;
    if (before.labels[label] === after.labels[label] && next.has(entry)) continue;
    next = next.with(entry, sortedInsert(next.get(entry), key));
  }
  return next;
}

function isOnly(keys: readonly string[] | undefined, key: string): boolean {
  return keys !== undefined && keys.length === 1 && keys[0] === key;
}

function indexWith(index: ClusterIndex, key: string, pod: Pod): ClusterIndex {
  let next = index;
  const nodeName = pod.spec.nodeName;
  if (nodeName !== null) {
    const used = index.requestedByNode.get(nodeName);
    assert(used !== undefined, `pod ${key} is bound to unknown node ${nodeName}`);
    const requests = podRequests(pod);
    next = {
      ...next,
      podsByNode: next.podsByNode.with(nodeName, sortedInsert(next.podsByNode.get(nodeName), key)),
      requestedByNode: next.requestedByNode.with(nodeName, { cpuMillis: used.cpuMillis + requests.cpuMillis, memoryMiB: used.memoryMiB + requests.memoryMiB }),
      podsWithAffinity: podHasPodAffinity(pod) ? sortedInsert(next.podsWithAffinity, key) : next.podsWithAffinity,
    };
  }
  return next;
}

/**
 * Writes pod `key`: `next` replaces it (stamped with a new resourceVersion), null deletes it.
 * Indexes follow. Binding, deleting a bound pod or relabelling moves the scheduling epoch, since any
 * of those can make an unschedulable pod fit.
 */
export function writePod(cluster: Cluster, key: string, next: Pod | null): Cluster {
  const before = cluster.pods.get(key);
  if (before === undefined && next === null) assert(false, `pod ${key} does not exist`);
  const resourceVersion = cluster.resourceVersion + 1;
  const stamped = next === null ? null : shapedPod(next, resourceVersion, before);
  const labelsChanged = before === undefined || stamped === null || before.labels !== stamped.labels;
  const placementChanged =
    before === undefined || stamped === null || before.spec.nodeName !== stamped.spec.nodeName || before.spec.containers !== stamped.spec.containers;
  let index = cluster.index;
  // The node indexes read the placement and the affinity only: a relabel leaves them as they are
  // (taking the pod out and putting it back would copy two records per node to the same content).
  const nodeIndexChanged = placementChanged || (labelsChanged && (before as Pod).spec.affinity !== (stamped as Pod).spec.affinity);
  if (before !== undefined && nodeIndexChanged) index = indexWithout(index, key, before);
  if (stamped !== null && nodeIndexChanged) index = indexWith(index, key, stamped);
  if (labelsChanged) {
    const byLabel = index.podsByLabel;
    const podsByLabel = before !== undefined && stamped !== null ? relabel(byLabel, key, before, stamped) : before !== undefined ? labelsWithout(byLabel, key, before) : labelsWith(byLabel, key, stamped as Pod);
    index = { ...index, podsByLabel };
  }
  const pods = stamped === null ? cluster.pods.without(key) : cluster.pods.with(key, stamped);
  podsWrittenFrom.set(pods, { from: cluster.pods, key });
  if (before === undefined) assert(pods.size <= clusterPodsMax, `pod count ${pods.size} exceeds clusterPodsMax ${clusterPodsMax}`);
  const boundBefore = before !== undefined && before.spec.nodeName !== null;
  const schedulingRelevant = (labelsChanged && before !== undefined) || (placementChanged && (boundBefore || stamped?.spec.nodeName != null));
  return {
    ...cluster,
    resourceVersion,
    schedulingEpoch: cluster.schedulingEpoch + (schedulingRelevant ? 1 : 0),
    pods,
    index,
  };
}
