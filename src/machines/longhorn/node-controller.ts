/**
 * Longhorn's view of nodes and disks (reference §1.10–§1.11):
 * - the Kubernetes node controller deletes the Longhorn Node CR when its Kubernetes Node is gone
 *   (controller/kubernetes_node_controller.go) — replicas are kept;
 * - the node controller creates the CR for a (re)joined node with its default disk, sets `Ready`,
 *   `Schedulable` (cordon), and the disk's `Ready=False` `DiskFilesystemChanged` when the UUID on
 *   the disk no longer matches the recorded one (controller/node_controller.go, findNotReadyAndReadyDiskMaps);
 * - the instance-manager controller keeps one PDB per running IM and lifts it on a cordoned node
 *   only as `node-drain-policy` allows (controller/instance_manager_controller.go, canDeleteInstanceManagerPDB).
 */
import { currentStateOf } from '../longhorn-replica/longhorn-replica.rules.ts';
import type { Condition, KubeNode, LonghornDiskStatus, LonghornNode, LonghornWorld } from './world.ts';
import { byName, markDirty, markNodeWatchers, removeByName, requeueAfter, updateWorld, upsert } from './world-ops.ts';

/** How often a kept IM PDB on a cordoned node is looked at again. */
export const pdbResyncTicks = 30;

/** Where the default disk is mounted (`/var/lib/longhorn/`). */
export const defaultDiskPath = '/var/lib/longhorn/';

const conditionTrue: Condition = { status: 'True', reason: '', message: '' };

function diskStatus(node: KubeNode, recorded: LonghornDiskStatus | undefined): LonghornDiskStatus {
  if (recorded === undefined) {
    return { diskName: node.diskName, diskPath: defaultDiskPath, diskUUID: node.diskUUID, ready: conditionTrue, schedulable: conditionTrue };
  }
  if (recorded.diskUUID !== '' && recorded.diskUUID !== node.diskUUID) {
    const message = `Disk ${recorded.diskName}(${recorded.diskPath}) on node ${node.name} is not ready: record diskUUID doesn't match the one on the disk `;
    return {
      ...recorded,
      ready: { status: 'False', reason: 'DiskFilesystemChanged', message },
      schedulable: { status: 'False', reason: 'DiskNotReady', message: `the disk ${recorded.diskName}(${recorded.diskPath}) on the node ${node.name} is not ready` },
    };
  }
  return { ...recorded, ready: conditionTrue, schedulable: conditionTrue };
}

function sameCondition(left: Condition, right: Condition): boolean {
  return left.status === right.status && left.reason === right.reason && left.message === right.message;
}

/** Keeps the recorded disk status object when nothing in it changed (no spurious watch events). */
function stableDisk(recorded: LonghornDiskStatus | undefined, next: LonghornDiskStatus): LonghornDiskStatus {
  if (recorded === undefined) return next;
  const same =
    recorded.diskName === next.diskName &&
    recorded.diskPath === next.diskPath &&
    recorded.diskUUID === next.diskUUID &&
    sameCondition(recorded.ready, next.ready) &&
    sameCondition(recorded.schedulable, next.schedulable);
  return same ? recorded : next;
}

function nodeConditions(world: LonghornWorld, node: KubeNode): { ready: Condition; schedulable: Condition } {
  const ready: Condition = node.ready
    ? conditionTrue
    : { status: 'False', reason: 'KubernetesNodeNotReady', message: `Kubernetes node ${node.name} not ready` };
  const schedulable: Condition =
    node.unschedulable && world.settings['disable-scheduling-on-cordoned-node']
      ? { status: 'False', reason: 'KubernetesNodeCordoned', message: `Node ${node.name} is cordoned` }
      : conditionTrue;
  return { ready, schedulable };
}

/** One pass for `Node/<name>`. */
export function reconcileNode(world: LonghornWorld, name: string): LonghornWorld {
  const kubeNode = byName(world.nodes, name);
  const lhNode = byName(world.lhNodes, name);
  if (kubeNode === undefined || !kubeNode.present) {
    if (lhNode === undefined) return world;
    if (lhNode.ready.reason !== 'KubernetesNodeGone') {
      const gone: LonghornNode = { ...lhNode, ready: { status: 'False', reason: 'KubernetesNodeGone', message: `Kubernetes node ${name} has been deleted` } };
      return markDirty(markNodeWatchers(updateWorld(world, { lhNodes: upsert(world.lhNodes, gone) }), name), `Node/${name}`);
    }
    // "Cleaning up Longhorn node <n> since failed to find the related kubernetes node"
    return markNodeWatchers(updateWorld(world, { lhNodes: removeByName(world.lhNodes, name) }), name);
  }
  const { ready, schedulable } = nodeConditions(world, kubeNode);
  const disk = stableDisk(lhNode?.disk, diskStatus(kubeNode, lhNode?.disk));
  const base: LonghornNode = lhNode ?? { name, ready, schedulable, disk, imPdb: false };
  const updated: LonghornNode = {
    ...base,
    ready: sameCondition(base.ready, ready) ? base.ready : ready,
    schedulable: sameCondition(base.schedulable, schedulable) ? base.schedulable : schedulable,
    disk,
  };
  const lhNodes = upsert(world.lhNodes, updated);
  return lhNodes === world.lhNodes ? world : markNodeWatchers(updateWorld(world, { lhNodes }), name);
}

/**
 * canDeleteInstanceManagerPDB: on a cordoned node, the PDB goes only when no engine runs there
 * and `node-drain-policy` allows; null when it may go, otherwise why not.
 */
export function pdbBlockReason(world: LonghornWorld, node: string): string | null {
  const engines = world.engines.filter((engine) => engine.nodeID === node || world.processes.some((process) => process.name === engine.name && process.node === node));
  const firstEngine = engines[0];
  if (firstEngine !== undefined) return `engine ${firstEngine.name} is still on node ${node}`;
  const policy = world.settings['node-drain-policy'];
  if (policy === 'always-allow') return null;
  let replicas = world.replicas.filter((replica) => replica.nodeID === node);
  if (policy === 'allow-if-replica-is-stopped') {
    replicas = replicas.filter((replica) => !(replica.desireState === 'stopped' && currentStateOf(replica.instance) === 'stopped'));
  }
  if (policy === 'block-for-eviction' || policy === 'block-for-eviction-if-contains-last-replica') {
    const first = replicas[0];
    if (first !== undefined) return `replica ${first.name} is on node ${node} and eviction is not modelled`;
  }
  for (const replica of replicas) {
    // A replica that never started has nothing to protect.
    if (replica.healthyAt === null && replica.failedAt === null) continue;
    const protectedElsewhere = world.replicas.some((other) => {
      if (other.volumeName !== replica.volumeName || other.nodeID === node) return false;
      if (other.failedAt !== null || other.healthyAt === null) return false;
      return byName(world.lhNodes, other.nodeID)?.imPdb === true;
    });
    if (!protectedElsewhere) return `replica ${replica.name} has no pdb on another node`;
  }
  return null;
}

/** One pass for `InstanceManager/<node>`: keep or lift the IM PodDisruptionBudget. */
export function reconcileInstanceManager(world: LonghornWorld, node: string): LonghornWorld {
  const key = `InstanceManager/${node}`;
  const lhNode = byName(world.lhNodes, node);
  const kubeNode = byName(world.nodes, node);
  if (lhNode === undefined || kubeNode === undefined) return world;
  let want = kubeNode.present && kubeNode.imPod === 'running';
  let next = world;
  if (want && kubeNode.unschedulable) {
    const blocked = pdbBlockReason(world, node);
    want = blocked !== null;
    // Not an error upstream: the PDB stays and the decision is re-evaluated on the next resync.
    if (blocked !== null) next = requeueAfter(next, key, pdbResyncTicks);
  }
  if (lhNode.imPdb === want) return next;
  // Other nodes' PDB decisions read this one.
  const keys = world.lhNodes.filter((other) => other.name !== node).map((other) => `InstanceManager/${other.name}`);
  return markDirty(updateWorld(next, { lhNodes: upsert(next.lhNodes, { ...lhNode, imPdb: want }) }), ...keys);
}
