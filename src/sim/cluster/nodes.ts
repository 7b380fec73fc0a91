/**
 * Node operations and faults: down/up, cordon/uncordon, drain through the Eviction API (which
 * honours PodDisruptionBudgets and answers 429 when refused), replace (re-imaging: same name, empty
 * image cache, new disk UUIDs, its pods gone, PVCs kept), plus the image registry and its tag
 * re-point fault.
 */
import { assert } from '../assert.ts';
import type { Tick } from '../ticks.ts';
import { markPodsNotReady, nodeIsReady, reprobePods } from './kubelet.ts';
import { digestFor, imageNormalize, selectorMatches } from './match.ts';
import { clusterDeletePod, podIsReady } from './pods.ts';
import { diskUuid, objectKey, readyCondition, recordEvent, writeNode } from './store.ts';
import type { Cluster, LabelSelector, Node, Pod, PodDisruptionBudget, Taint } from './types.ts';

// pkg/controller/nodelifecycle: the taints of an unreachable node.
const unreachableTaints: readonly Taint[] = [
  { key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unreachable', value: '', effect: 'NoExecute' },
];

function getNode(cluster: Cluster, name: string): Node {
  const node = cluster.nodes.get(name);
  assert(node !== undefined, `node ${name} does not exist`);
  return node;
}

function nodeEvent(cluster: Cluster, node: string, reason: string, message: string, source: string, now: Tick, type: 'Normal' | 'Warning' = 'Normal'): Cluster {
  return recordEvent(cluster, { type, reason, message, involvedObject: `Node/${node}`, source }, now);
}

/** The node stops posting status: `Ready=Unknown`, unreachable taints, its pods marked not ready. */
export function clusterNodeDown(cluster: Cluster, name: string, now: Tick): Cluster {
  const node = getNode(cluster, name);
  assert(nodeIsReady(node), `node ${name} is already down`);
  const taints = [...node.taints.filter((taint) => taint.key !== 'node.kubernetes.io/unreachable'), ...unreachableTaints];
  let next = writeNode(cluster, { ...node, conditions: [readyCondition(false, now)], taints }, true);
  next = nodeEvent(next, name, 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, 'node-controller', now);
  return markPodsNotReady(next, name, now);
}

/** The node posts status again: `Ready=True`, taints lifted, its running pods re-probed. */
export function clusterNodeUp(cluster: Cluster, name: string, now: Tick): Cluster {
  const node = getNode(cluster, name);
  assert(!nodeIsReady(node), `node ${name} is already up`);
  const taints = node.taints.filter((taint) => taint.key !== 'node.kubernetes.io/unreachable');
  let next = writeNode(cluster, { ...node, conditions: [readyCondition(true, now)], taints }, true);
  next = nodeEvent(next, name, 'NodeReady', `Node ${name} status is now: NodeReady`, 'kubelet', now);
  // The kubelet is back: it finishes the deletions it could not confirm while unreachable.
  for (const key of next.index.podsByNode.get(name) ?? []) {
    const pod = next.pods.get(key) as Pod;
    if (pod.deletionTick !== null) next = clusterDeletePod(next, pod.namespace, pod.name, now);
  }
  return reprobePods(next, name, now);
}

/** `kubectl cordon`: `spec.unschedulable=true`. */
export function clusterCordon(cluster: Cluster, name: string, now: Tick): Cluster {
  const node = getNode(cluster, name);
  if (node.unschedulable) return cluster;
  const next = writeNode(cluster, { ...node, unschedulable: true }, true);
  return nodeEvent(next, name, 'NodeNotSchedulable', `Node ${name} status is now: NodeNotSchedulable`, 'kubelet', now);
}

/** `kubectl uncordon`: schedulable again; a drain in progress is abandoned. */
export function clusterUncordon(cluster: Cluster, name: string, now: Tick): Cluster {
  const node = getNode(cluster, name);
  if (!node.unschedulable && node.drain === null) return cluster;
  const next = writeNode(cluster, { ...node, unschedulable: false, drain: null }, true);
  return nodeEvent(next, name, 'NodeSchedulable', `Node ${name} status is now: NodeSchedulable`, 'kubelet', now);
}

export interface PdbInput {
  readonly name: string;
  readonly namespace?: string;
  readonly selector: LabelSelector;
  readonly minAvailable: number;
}

export function clusterCreatePdb(cluster: Cluster, input: PdbInput): Cluster {
  const namespace = input.namespace ?? 'default';
  const key = objectKey(namespace, input.name);
  assert(!(key in cluster.pdbs), `pdb ${key} already exists`);
  assert(Number.isSafeInteger(input.minAvailable) && input.minAvailable >= 0, `minAvailable ${input.minAvailable} must be a non-negative integer`);
  const resourceVersion = cluster.resourceVersion + 1;
  const pdb: PodDisruptionBudget = { name: input.name, namespace, resourceVersion, selector: input.selector, minAvailable: input.minAvailable };
  return { ...cluster, resourceVersion, pdbs: { ...cluster.pdbs, [key]: pdb } };
}

export function clusterDeletePdb(cluster: Cluster, namespace: string, name: string): Cluster {
  const key = objectKey(namespace, name);
  assert(key in cluster.pdbs, `pdb ${key} does not exist`);
  const pdbs = { ...cluster.pdbs };
  delete pdbs[key];
  return { ...cluster, resourceVersion: cluster.resourceVersion + 1, pdbs };
}

/** `status` of a PDB as the disruption controller computes it (pkg/controller/disruption). */
export function pdbStatus(cluster: Cluster, pdb: PodDisruptionBudget): { currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptionsAllowed: number } {
  let expectedPods = 0;
  let currentHealthy = 0;
  for (const pod of pdbPods(cluster, pdb)) {
    expectedPods++;
    if (podIsReady(pod)) currentHealthy++;
  }
  return { currentHealthy, desiredHealthy: pdb.minAvailable, expectedPods, disruptionsAllowed: Math.max(0, currentHealthy - pdb.minAvailable) };
}

function pdbPods(cluster: Cluster, pdb: PodDisruptionBudget): Pod[] {
  const pods: Pod[] = [];
  for (const pod of cluster.pods.values()) {
    if (pod.namespace === pdb.namespace && selectorMatches(pdb.selector, pod.labels)) pods.push(pod);
  }
  return pods;
}

/** The 429 body of a refused eviction (pkg/registry/core/pod/storage/eviction.go). */
export const evictionRefusedMessage = "Cannot evict pod as it would violate the pod's disruption budget.";

/**
 * The Eviction API: deletes the pod unless a PDB forbids it. A pod that is not Running is always
 * evictable; a Running pod that is not ready only while the budget is healthy (IfHealthyBudget);
 * a ready pod only while `disruptionsAllowed > 0`.
 */
export function clusterEvictPod(cluster: Cluster, namespace: string, name: string, now: Tick): { readonly cluster: Cluster; readonly refusal: string | null } {
  const pod = cluster.pods.get(objectKey(namespace, name));
  assert(pod !== undefined, `pod ${namespace}/${name} does not exist`);
  const budgets = Object.values(cluster.pdbs).filter((pdb) => pdb.namespace === namespace && selectorMatches(pdb.selector, pod.labels));
  if (budgets.length > 1) return { cluster, refusal: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' };
  const budget = budgets[0];
  if (budget !== undefined && pod.status.phase === 'Running') {
    const status = pdbStatus(cluster, budget);
    const allowed = podIsReady(pod) ? status.disruptionsAllowed > 0 : status.currentHealthy >= status.desiredHealthy;
    if (!allowed) return { cluster, refusal: evictionRefusedMessage };
  }
  return { cluster: clusterDeletePod(cluster, namespace, name, now), refusal: null };
}

function evictAll(cluster: Cluster, nodeName: string, now: Tick): { cluster: Cluster; lastError: string | null } {
  let next = cluster;
  let lastError: string | null = null;
  for (const key of cluster.index.podsByNode.get(nodeName) ?? []) {
    const pod = next.pods.get(key);
    // kubectl drain --ignore-daemonsets: DaemonSet pods stay; pods already Terminating are skipped.
    if (pod === undefined || pod.ownerReference?.kind === 'DaemonSet' || pod.deletionTick !== null) continue;
    const result = clusterEvictPod(next, pod.namespace, pod.name, now);
    next = result.cluster;
    // staging/src/k8s.io/kubectl/pkg/drain/drain.go evictPods
    if (result.refusal !== null) lastError = `error when evicting pods/"${pod.name}" -n ${pod.namespace} (will retry after 5s): ${result.refusal}`;
  }
  return { cluster: next, lastError };
}

/** `kubectl drain`: cordon, then evict every pod; refused evictions are retried every `drainRetryTicks`. */
export function clusterDrain(cluster: Cluster, name: string, now: Tick): Cluster {
  const cordoned = clusterCordon(cluster, name, now);
  return drainPass(cordoned, name, now, now);
}

function drainPass(cluster: Cluster, name: string, startedTick: Tick, now: Tick): Cluster {
  const { cluster: next, lastError } = evictAll(cluster, name, now);
  const node = next.nodes.get(name) as Node;
  const drain = lastError === null ? null : { startedTick, retryDueTick: now + next.timing.drainRetryTicks, lastError };
  if (drain === null && node.drain === null) return next;
  return writeNode(next, { ...node, drain }, false);
}

/** kubectl's retry of a drain whose evictions were refused. */
export function clusterDrainRetry(cluster: Cluster, name: string, now: Tick): Cluster {
  const node = getNode(cluster, name);
  assert(node.drain !== null && node.drain.retryDueTick <= now, `node ${name} has no drain retry due`);
  return drainPass(cluster, name, node.drain.startedTick, now);
}

/**
 * Re-images the node (a rolling upgrade's replace): its pods are gone (pod GC of the deleted Node),
 * it comes back Ready under the same name with an empty image cache and new disk UUIDs. PVCs stay.
 */
export function clusterNodeReplace(cluster: Cluster, name: string, now: Tick): Cluster {
  const node = getNode(cluster, name);
  let next = cluster;
  for (const key of cluster.index.podsByNode.get(name) ?? []) {
    const pod = next.pods.get(key) as Pod;
    // The Node object is deleted: pod GC force-deletes what was bound to it (pkg/controller/podgc).
    next = clusterDeletePod(next, pod.namespace, pod.name, now, { force: true });
  }
  const incarnation = node.incarnation + 1;
  const replaced: Node = {
    ...node,
    taints: node.taints.filter((taint) => taint.key !== 'node.kubernetes.io/unreachable'),
    unschedulable: false,
    conditions: [readyCondition(true, now)],
    disks: node.disks.map((disk) => ({ ...disk, uuid: diskUuid(name, disk.name, incarnation) })),
    imageCache: {},
    incarnation,
    drain: null,
  };
  next = writeNode(next, replaced, true);
  // pkg/controller/nodelifecycle: "Registered Node %s in Controller"
  return nodeEvent(next, name, 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`, 'node-controller', now);
}

/** Pushes `image` to the registry (a new digest for its tag), or re-points an existing tag. */
export function clusterRegistryPush(cluster: Cluster, image: string): Cluster {
  const ref = imageNormalize(image);
  assert(!ref.includes('@'), `cannot push a digest reference ${image}`);
  const registryVersion = cluster.registryVersion + 1;
  return {
    ...cluster,
    resourceVersion: cluster.resourceVersion + 1,
    registryVersion,
    registry: { ...cluster.registry, [ref]: digestFor(`${ref}#${registryVersion}`) },
  };
}

/** The tag re-point fault: the registry moves an existing tag to new content. */
export function clusterRegistryRepoint(cluster: Cluster, image: string): Cluster {
  assert(imageNormalize(image) in cluster.registry, `registry has no ${image}`);
  return clusterRegistryPush(cluster, image);
}
