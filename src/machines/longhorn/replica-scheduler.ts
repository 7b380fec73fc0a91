/**
 * The replica scheduler (scheduler/replica_scheduler.go, reference §1.9): candidate nodes and disks
 * for a new replica, with node-level anti-affinity. All nodes carry no zone label here, so they
 * form one zone (upstream treats an empty zone label as one zone); zone soft anti-affinity
 * (default true) then lets replicas share it.
 */
import type { LonghornSettings } from './settings.ts';
import type { KubeNode, LonghornNode, Replica } from './world.ts';

export interface SchedulingChoice {
  readonly nodeID: string;
  readonly diskID: string;
  readonly diskPath: string;
}

export type SchedulingResult = { readonly ok: true; readonly choice: SchedulingChoice } | { readonly ok: false; readonly reason: string };

/** A node the scheduler may use at all: Ready, schedulable, instance manager running. */
function nodeUsable(node: LonghornNode, kubeNode: KubeNode | undefined): boolean {
  return node.ready.status === 'True' && node.schedulable.status === 'True' && kubeNode !== undefined && kubeNode.present && kubeNode.imPod === 'running';
}

/**
 * Chooses a disk for `replica` among `lhNodes`. Nodes already holding a non-failed replica of the
 * volume are used (getCurrentNodesAndZones ignores failed replicas while replenishing); with
 * `replica-soft-anti-affinity=false` they are never chosen, so on three nodes a fourth distinct
 * node is needed for a replacement. Among candidates, the first by name wins (one disk per node,
 * equal sizes: "most usable storage" ties).
 */
export function scheduleReplica(
  replica: Replica,
  volumeReplicas: readonly Replica[],
  lhNodes: readonly LonghornNode[],
  kubeNodes: readonly KubeNode[],
  settings: LonghornSettings,
): SchedulingResult {
  const used = new Set(
    volumeReplicas.filter((other) => other.name !== replica.name && other.nodeID !== '' && other.failedAt === null).map((other) => other.nodeID),
  );
  const usable = lhNodes.filter((node) => nodeUsable(node, kubeNodes.find((kube) => kube.name === node.name)));
  if (usable.length === 0) return { ok: false, reason: 'nodes are unavailable' };
  const unused = usable.filter((node) => !used.has(node.name));
  const candidates = unused.length > 0 || !settings['replica-soft-anti-affinity'] ? unused : usable;
  if (candidates.length === 0) return { ok: false, reason: 'nodes are unavailable' };
  const withDisk = candidates.filter((node) => node.disk.ready.status === 'True' && node.disk.schedulable.status === 'True');
  const chosen = withDisk[0];
  if (chosen === undefined) return { ok: false, reason: 'disks are unavailable' };
  return { ok: true, choice: { nodeID: chosen.name, diskID: chosen.disk.diskUUID, diskPath: chosen.disk.diskPath } };
}
