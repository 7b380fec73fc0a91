/**
 * The action seam operator models compose: the substrate's enabled steps as {@link SimAction}s,
 * applying one, the next tick a delayed step becomes due, and settling.
 *
 * Every action is enabled only when it changes something, so a cluster with nothing to do offers
 * no urgent action and the world can go quiet: the scheduler retries an unschedulable pod only
 * after the cluster changed in a way that may make it fit (upstream's unschedulable queue, moved
 * on cluster events), a StatefulSet is synced only when its plan is not idle, kubelet steps only
 * when their due tick has come.
 */
import { assert, unreachable } from '../assert.ts';
import type { SimAction } from '../model.ts';
import type { Tick } from '../ticks.ts';
import { kubeletCanReady, kubeletCanRestart, kubeletCanStart, kubeletCanSync, kubeletReady, kubeletRestart, kubeletStart, kubeletSync, nodeIsReady } from './kubelet.ts';
import { taintEvict, taintEvictionDueTick } from './taint-eviction.ts';
import {
  clusterCordon,
  clusterDrain,
  clusterDrainRetry,
  clusterNodeDown,
  clusterNodeReplace,
  clusterNodeUp,
  clusterRegistryRepoint,
  clusterUncordon,
} from './nodes.ts';
import { clusterDeletePod } from './pods.ts';
import { clusterSchedulePod, podIsSchedulable } from './scheduler.ts';
import { clusterDeleteStatefulSet, statefulSetPlan, statefulSetSync } from './statefulset.ts';
import { activePodKeys } from './active-pods.ts';
import { podRef } from './store.ts';
import type { Cluster, Node, Pod, StatefulSet } from './types.ts';

/** The fault kinds a model may offer; each scenario picks its own vocabulary. */
export type ClusterFaultKind =
  | 'node.down'
  | 'node.up'
  | 'node.cordon'
  | 'node.uncordon'
  | 'node.drain'
  | 'node.replace'
  | 'image.repoint'
  | 'pod.delete'
  | 'pod.restart'
  | 'statefulset.delete';

export const clusterFaultKinds: readonly ClusterFaultKind[] = [
  'node.down',
  'node.up',
  'node.cordon',
  'node.uncordon',
  'node.drain',
  'node.replace',
  'image.repoint',
  'pod.delete',
  'pod.restart',
  'statefulset.delete',
];

/** What {@link clusterActions} offers besides the system's own steps. */
export interface ClusterActionOptions {
  /** Fault kinds to offer (default none). */
  readonly faults: readonly ClusterFaultKind[];
}

/** Marks an action as the substrate's, so a model can route it back to {@link clusterApply}. */
interface SubstrateAction extends SimAction {
  readonly substrate: true;
}

export type ClusterAction =
  | (SubstrateAction & { readonly kind: 'scheduler'; readonly op: 'schedule'; readonly pod: string })
  | (SubstrateAction & { readonly kind: 'kubelet'; readonly op: 'kubelet.sync' | 'kubelet.start' | 'kubelet.ready'; readonly pod: string })
  | (SubstrateAction & { readonly kind: 'controller'; readonly op: 'taint.evict'; readonly pod: string })
  | (SubstrateAction & { readonly kind: 'controller'; readonly op: 'statefulset.sync'; readonly statefulSet: string })
  | (SubstrateAction & { readonly kind: 'controller'; readonly op: 'drain.retry'; readonly node: string })
  | (SubstrateAction & { readonly kind: 'fault'; readonly op: ClusterFaultKind; readonly target: string });

const noFaults: ClusterActionOptions = { faults: [] };

interface Memo {
  readonly cluster: Cluster;
  readonly now: Tick;
  readonly actions: readonly ClusterAction[];
}
interface FaultMemo {
  readonly cluster: Cluster;
  readonly faults: readonly ClusterFaultKind[];
  readonly actions: readonly ClusterAction[];
}
// Models ask for the substrate's actions on every step even when only their own objects changed:
// memoize by the pods record (worlds share structure, so untouched records are the same objects).
// The actions read every field of the cluster except its Events log and resourceVersion, so a
// cluster that differs from the memoized one only there (an operator recorded an Event) hits too.
const systemMemo = new WeakMap<Cluster['pods'], Memo>();
const faultMemo = new WeakMap<Cluster['pods'], FaultMemo>();
const allMemo = new WeakMap<readonly ClusterAction[], { readonly faults: readonly ClusterAction[]; readonly all: readonly ClusterAction[] }>();

function sameActionInputs(left: Cluster, right: Cluster): boolean {
  return (
    left === right ||
    (left.pods === right.pods &&
      left.nodes === right.nodes &&
      left.nodeNames === right.nodeNames &&
      left.statefulSets === right.statefulSets &&
      left.pvcs === right.pvcs &&
      left.pdbs === right.pdbs &&
      left.registry === right.registry &&
      left.index === right.index &&
      left.timing === right.timing &&
      left.scheduler === right.scheduler &&
      left.schedulingEpoch === right.schedulingEpoch &&
      left.registryVersion === right.registryVersion)
  );
}

function setRef(set: StatefulSet): string {
  return set.namespace === 'default' ? set.name : `${set.namespace}/${set.name}`;
}

type PodOp = 'schedule' | 'kubelet.sync' | 'kubelet.start' | 'kubelet.ready' | 'taint.evict' | 'pod.delete' | 'pod.restart';

// Action objects are immutable and depend only on the object they name, so they are cached per
// object identity: a step rebuilds only the actions of the objects it touched.
const podActionCache = new WeakMap<Pod, Partial<Record<PodOp, ClusterAction>>>();

function podAction(key: string, pod: Pod, op: PodOp): ClusterAction {
  let entry = podActionCache.get(pod);
  if (entry === undefined) {
    entry = {};
    podActionCache.set(pod, entry);
  }
  const cached = entry[op];
  if (cached !== undefined) return cached;
  const ref = podRef(pod);
  let action: ClusterAction;
  switch (op) {
    case 'schedule':
      action = { substrate: true, kind: 'scheduler', op, pod: key, label: `schedule pod ${ref}` };
      break;
    case 'kubelet.sync':
      action = { substrate: true, kind: 'kubelet', op, pod: key, label: `kubelet sync pod ${ref}` };
      break;
    case 'kubelet.start':
      action = { substrate: true, kind: 'kubelet', op, pod: key, label: `kubelet start pod ${ref}` };
      break;
    case 'kubelet.ready':
      action = { substrate: true, kind: 'kubelet', op, pod: key, label: `kubelet ready pod ${ref}` };
      break;
    case 'taint.evict':
      action = { substrate: true, kind: 'controller', op, pod: key, label: `taint-eviction pod ${ref}` };
      break;
    case 'pod.delete':
    case 'pod.restart':
      action = { substrate: true, kind: 'fault', op, target: key, label: `fault ${op} ${ref}` };
      break;
    default:
      return unreachable(op, 'pod action');
  }
  entry[op] = action;
  return action;
}

const nodeFaultCache = new WeakMap<Node, Partial<Record<ClusterFaultKind, ClusterAction>>>();

function nodeFault(node: Node, op: ClusterFaultKind): ClusterAction {
  let entry = nodeFaultCache.get(node);
  if (entry === undefined) {
    entry = {};
    nodeFaultCache.set(node, entry);
  }
  return (entry[op] ??= { substrate: true, kind: 'fault', op, target: node.name, label: `fault ${op} ${node.name}` });
}

const setActionCache = new WeakMap<StatefulSet, { sync?: ClusterAction; delete?: ClusterAction }>();

function setAction(key: string, set: StatefulSet, which: 'sync' | 'delete'): ClusterAction {
  let entry = setActionCache.get(set);
  if (entry === undefined) {
    entry = {};
    setActionCache.set(set, entry);
  }
  if (which === 'sync') return (entry.sync ??= { substrate: true, kind: 'controller', op: 'statefulset.sync', statefulSet: key, label: `reconcile StatefulSet ${setRef(set)}` });
  return (entry.delete ??= { substrate: true, kind: 'fault', op: 'statefulset.delete', target: key, label: `fault statefulset.delete ${setRef(set)}` });
}

// One pass over the pods `keys` names (every pod but the quiet ones, which offer nothing: see
// active-pods.ts): the system steps, and the earliest due tick of a delayed step as
// clusterNextDueTick computes it (same pass, same rules).
function systemActionsOf(cluster: Cluster, keys: readonly string[], now: Tick, out: ClusterAction[]): Tick | null {
  let next = Number.POSITIVE_INFINITY;
  for (const key of keys) {
    const pod = cluster.pods.get(key) as Pod;
    if (pod.spec.nodeName === null) {
      if (podIsSchedulable(cluster, pod)) out.push(podAction(key, pod, 'schedule'));
      continue;
    }
    const node = cluster.nodes.get(pod.spec.nodeName);
    const ready = node !== undefined && nodeIsReady(node);
    const evictionDue = node !== undefined && !ready ? taintEvictionDueTick(cluster, pod) : null;
    if (evictionDue !== null && evictionDue < next) next = evictionDue;
    if (ready) {
      const { startDueTick, readyDueTick } = pod.kubelet;
      if (startDueTick !== null && startDueTick < next) next = startDueTick;
      if (readyDueTick !== null && readyDueTick < next) next = readyDueTick;
    }
    if (pod.deletionTick !== null) continue;
    // Not assert(cond, `…`): the message would be built for every pod on every pass.
    if (node === undefined) assert(false, `pod ${key} is bound to unknown node ${pod.spec.nodeName}`);
    if (!ready) {
      if (evictionDue !== null && evictionDue <= now) out.push(podAction(key, pod, 'taint.evict'));
      continue;
    }
    if (pod.kubelet.startDueTick === null && pod.kubelet.readyDueTick === null && pod.status.containerStatuses.every((status) => status.started)) continue;
    if (kubeletCanSync(cluster, pod)) out.push(podAction(key, pod, 'kubelet.sync'));
    else if (kubeletCanStart(cluster, pod, now)) out.push(podAction(key, pod, 'kubelet.start'));
    else if (kubeletCanReady(cluster, pod, now)) out.push(podAction(key, pod, 'kubelet.ready'));
  }
  for (const key in cluster.statefulSets) {
    const set = cluster.statefulSets[key] as StatefulSet;
    if (statefulSetPlan(cluster, set).kind !== 'idle') out.push(setAction(key, set, 'sync'));
  }
  for (const { name, drain } of drainingNodes(cluster)) {
    if (drain.retryDueTick < next) next = drain.retryDueTick;
    if (drain.retryDueTick <= now) out.push({ substrate: true, kind: 'controller', op: 'drain.retry', node: name, label: `kubectl drain ${name} (retry)` });
  }
  return next === Number.POSITIVE_INFINITY ? null : next;
}

interface Draining {
  readonly name: string;
  readonly drain: NonNullable<Node['drain']>;
}

// The nodes being drained, in nodeNames order; a pure function of the nodes, kept per nodes record
// (a step rarely writes a node, and walking every node on every step is the part that grows).
const drainingCache = new WeakMap<Cluster['nodes'], { readonly nodeNames: Cluster['nodeNames']; readonly draining: readonly Draining[] }>();

function drainingNodes(cluster: Cluster): readonly Draining[] {
  const cached = drainingCache.get(cluster.nodes);
  if (cached !== undefined && cached.nodeNames === cluster.nodeNames) return cached.draining;
  const draining: Draining[] = [];
  for (const name of cluster.nodeNames) {
    const drain = (cluster.nodes.get(name) as Node).drain;
    if (drain !== null) draining.push({ name, drain });
  }
  drainingCache.set(cluster.nodes, { nodeNames: cluster.nodeNames, draining });
  return draining;
}

function nodeFaultEnabled(op: ClusterFaultKind, node: Node): boolean {
  switch (op) {
    case 'node.down':
      return nodeIsReady(node);
    case 'node.up':
      return !nodeIsReady(node);
    case 'node.cordon':
      return !node.unschedulable;
    case 'node.uncordon':
      return node.unschedulable;
    case 'node.drain':
      return node.drain === null;
    case 'node.replace':
      return true;
    default:
      return false;
  }
}

const registryFaultCache = new WeakMap<Cluster['registry'], readonly ClusterAction[]>();

function registryFaults(cluster: Cluster): readonly ClusterAction[] {
  let cached = registryFaultCache.get(cluster.registry);
  if (cached === undefined) {
    cached = Object.keys(cluster.registry)
      .sort()
      .map((ref): ClusterAction => ({ substrate: true, kind: 'fault', op: 'image.repoint', target: ref, label: `fault image.repoint ${ref}` }));
    registryFaultCache.set(cluster.registry, cached);
  }
  return cached;
}

// Node faults depend only on the nodes record, which most steps leave untouched.
const nodeFaultListCache = new WeakMap<Cluster['nodes'], { readonly faults: readonly ClusterFaultKind[]; readonly actions: readonly ClusterAction[] }>();

function nodeFaults(cluster: Cluster, faults: readonly ClusterFaultKind[]): readonly ClusterAction[] {
  const cached = nodeFaultListCache.get(cluster.nodes);
  if (cached !== undefined && (cached.faults === faults || sameKinds(cached.faults, faults))) return cached.actions;
  const actions: ClusterAction[] = [];
  for (const op of faults) {
    if (!op.startsWith('node.')) continue;
    for (const name of cluster.nodeNames) {
      const node = cluster.nodes.get(name) as Node;
      if (nodeFaultEnabled(op, node)) actions.push(nodeFault(node, op));
    }
  }
  nodeFaultListCache.set(cluster.nodes, { faults, actions });
  return actions;
}

function podFaults(cluster: Cluster, op: 'pod.delete' | 'pod.restart', out: ClusterAction[]): void {
  const keys = cluster.pods.keys();
  const pods = cluster.pods.values();
  for (let position = 0; position < keys.length; position++) {
    const key = keys[position] as string;
    const pod = pods[position] as Pod;
    if (op === 'pod.delete' ? pod.deletionTick === null : kubeletCanRestart(cluster, pod)) out.push(podAction(key, pod, op));
  }
}

function faultActionsOf(cluster: Cluster, faults: readonly ClusterFaultKind[], out: ClusterAction[]): void {
  if (faults.length === 0) return;
  for (const action of nodeFaults(cluster, faults)) out.push(action);
  for (const op of faults) {
    if (op === 'image.repoint') {
      for (const action of registryFaults(cluster)) out.push(action);
    } else if (op === 'pod.delete' || op === 'pod.restart') {
      podFaults(cluster, op, out);
    } else if (op === 'statefulset.delete') {
      for (const key in cluster.statefulSets) out.push(setAction(key, cluster.statefulSets[key] as StatefulSet, 'delete'));
    }
  }
}

/** The substrate's own steps enabled at `now`: scheduler, kubelet and controller steps (the non-fault part of {@link clusterActions}, in its order). */
export function clusterSystemActions(cluster: Cluster, now: Tick): readonly ClusterAction[] {
  const cached = systemMemo.get(cluster.pods);
  if (cached !== undefined && cached.now === now && sameActionInputs(cached.cluster, cluster)) return cached.actions;
  const out: ClusterAction[] = [];
  const nextDue = systemActionsOf(cluster, activePodKeys(cluster), now, out);
  // Models ask for the next due tick right after the actions: it came out of the same pass.
  nextDueCache.set(cluster.pods, { nodes: cluster.nodes, nodeNames: cluster.nodeNames, tick: nextDue });
  systemMemo.set(cluster.pods, { cluster, now, actions: out });
  return out;
}

/** {@link clusterSystemActions} by a walk over every pod, with no cache: the reference the cached path is tested against. */
export function clusterSystemActionsByWalk(cluster: Cluster, now: Tick): { readonly actions: readonly ClusterAction[]; readonly nextDueTick: Tick | null } {
  const actions: ClusterAction[] = [];
  const nextDueTick = systemActionsOf(cluster, cluster.pods.keys(), now, actions);
  return { actions, nextDueTick };
}

const noActions: readonly ClusterAction[] = [];

/** The offered faults enabled now (the fault part of {@link clusterActions}, in its order). None enabled depends on the time. */
export function clusterFaultActions(cluster: Cluster, options: ClusterActionOptions = noFaults): readonly ClusterAction[] {
  const faults = options.faults;
  if (faults.length === 0) return noActions;
  const cached = faultMemo.get(cluster.pods);
  if (cached !== undefined && (cached.faults === faults || sameKinds(cached.faults, faults)) && sameActionInputs(cached.cluster, cluster)) return cached.actions;
  const out: ClusterAction[] = [];
  faultActionsOf(cluster, faults, out);
  faultMemo.set(cluster.pods, { cluster, faults, actions: out });
  return out;
}

/** Every substrate step enabled at `now`: {@link clusterSystemActions}, then {@link clusterFaultActions}. */
export function clusterActions(cluster: Cluster, now: Tick, options: ClusterActionOptions = noFaults): readonly ClusterAction[] {
  const system = clusterSystemActions(cluster, now);
  const faults = clusterFaultActions(cluster, options);
  if (faults.length === 0) return system;
  const cached = allMemo.get(system);
  if (cached !== undefined && cached.faults === faults) return cached.all;
  const all = system.concat(faults);
  allMemo.set(system, { faults, all });
  return all;
}

function sameKinds(left: readonly ClusterFaultKind[], right: readonly ClusterFaultKind[]): boolean {
  return left.length === right.length && left.every((kind, index) => kind === right[index]);
}

function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  assert(slash > 0, `object key ${key} must be namespace/name`);
  return [key.slice(0, slash), key.slice(slash + 1)];
}

function applyFault(cluster: Cluster, op: ClusterFaultKind, target: string, now: Tick): Cluster {
  switch (op) {
    case 'node.down':
      return clusterNodeDown(cluster, target, now);
    case 'node.up':
      return clusterNodeUp(cluster, target, now);
    case 'node.cordon':
      return clusterCordon(cluster, target, now);
    case 'node.uncordon':
      return clusterUncordon(cluster, target, now);
    case 'node.drain':
      return clusterDrain(cluster, target, now);
    case 'node.replace':
      return clusterNodeReplace(cluster, target, now);
    case 'image.repoint':
      return clusterRegistryRepoint(cluster, target);
    case 'pod.delete':
      return clusterDeletePod(cluster, ...splitKey(target), now);
    case 'pod.restart':
      return kubeletRestart(cluster, target, now);
    case 'statefulset.delete':
      return clusterDeleteStatefulSet(cluster, ...splitKey(target), now);
    default:
      return unreachable(op, 'cluster fault');
  }
}

/** Applies one substrate action at `now`. Pure. */
export function clusterApply(cluster: Cluster, action: ClusterAction, now: Tick): Cluster {
  switch (action.op) {
    case 'schedule':
      return clusterSchedulePod(cluster, action.pod, now);
    case 'kubelet.sync':
      return kubeletSync(cluster, action.pod, now);
    case 'kubelet.start':
      return kubeletStart(cluster, action.pod, now);
    case 'kubelet.ready':
      return kubeletReady(cluster, action.pod, now);
    case 'statefulset.sync':
      return statefulSetSync(cluster, action.statefulSet, now);
    case 'drain.retry':
      return clusterDrainRetry(cluster, action.node, now);
    case 'taint.evict':
      return taintEvict(cluster, action.pod, now);
    default:
      assert(action.kind === 'fault', `unknown cluster action ${action.label}`);
      return applyFault(cluster, action.op, action.target, now);
  }
}

/** True for the actions {@link clusterActions} produces (models route them back to {@link clusterApply}). */
export function isClusterAction(action: SimAction): action is ClusterAction {
  return (action as { substrate?: unknown }).substrate === true;
}

/**
 * The earliest tick at which a delayed substrate step (kubelet start/ready on a Ready node, taint
 * eviction from an unreachable node, drain retry) becomes due, or null. A tick at or before the model's `now` means that step is enabled.
 */
export function clusterNextDueTick(cluster: Cluster): Tick | null {
  // A pure function of the pods and the nodes, asked on every step: cached for the last nodes
  // record seen with each pods record.
  const cached = nextDueCache.get(cluster.pods);
  if (cached !== undefined && cached.nodes === cluster.nodes && cached.nodeNames === cluster.nodeNames) return cached.tick;
  const tick = computeNextDueTick(cluster);
  nextDueCache.set(cluster.pods, { nodes: cluster.nodes, nodeNames: cluster.nodeNames, tick });
  return tick;
}

const nextDueCache = new WeakMap<Cluster['pods'], { readonly nodes: Cluster['nodes']; readonly nodeNames: Cluster['nodeNames']; readonly tick: Tick | null }>();

function computeNextDueTick(cluster: Cluster): Tick | null {
  let next = Number.POSITIVE_INFINITY;
  // Quiet pods have no due tick.
  for (const key of activePodKeys(cluster)) {
    const pod = cluster.pods.get(key) as Pod;
    const node = pod.spec.nodeName === null ? undefined : cluster.nodes.get(pod.spec.nodeName);
    if (node === undefined) continue;
    if (!nodeIsReady(node)) {
      // A kubelet whose node is down does nothing when its tick comes; only the taint eviction is due.
      const due = taintEvictionDueTick(cluster, pod);
      if (due !== null && due < next) next = due;
      continue;
    }
    const { startDueTick, readyDueTick } = pod.kubelet;
    if (startDueTick !== null && startDueTick < next) next = startDueTick;
    if (readyDueTick !== null && readyDueTick < next) next = readyDueTick;
  }
  for (const { drain } of drainingNodes(cluster)) if (drain.retryDueTick < next) next = drain.retryDueTick;
  return next === Number.POSITIVE_INFINITY ? null : next;
}

/** The environment settles: nodes that were only down come back. Cordons and drains are left to the model. */
export function clusterSettle(cluster: Cluster, now: Tick): Cluster {
  let next = cluster;
  for (const name of cluster.nodeNames) if (!nodeIsReady(next.nodes.get(name) as Node)) next = clusterNodeUp(next, name, now);
  return next;
}

