/**
 * openVolumeDependentResources / closeVolumeDependentResources (controller/volume_controller.go,
 * reference §1.6) and the "closed" / "opened" tests the attach/detach state machine reads.
 */
import type { Tick } from '../../sim/ticks.ts';
import { currentStateOf, isReplicaScheduled, markReplicaFailed } from '../longhorn-replica/longhorn-replica.rules.ts';
import { failedReplicaMaxRetryCount } from './settings.ts';
import type { Engine, KubeNode, LonghornNode, LonghornWorld, Replica, Volume } from './world.ts';
import { byName, engineOf, putEngine, replicasOf } from './world-ops.ts';
import { putReplicaChecked } from './safety.ts';

/** verifyVolumeDependentResourcesClosed: the engine and every replica `stopped`. */
export function resourcesClosed(engine: Engine | undefined, replicas: readonly Replica[]): boolean {
  if (engine !== undefined && currentStateOf(engine.instance) !== 'stopped') return false;
  return replicas.every((replica) => currentStateOf(replica.instance) === 'stopped');
}

/** areVolumeDependentResourcesOpened: ≥1 replica `running` and the engine `running`. */
export function resourcesOpened(engine: Engine | undefined, replicas: readonly Replica[]): boolean {
  if (engine === undefined || currentStateOf(engine.instance) !== 'running') return false;
  return replicas.some((replica) => currentStateOf(replica.instance) === 'running');
}

/** IsNodeDeleted: the Longhorn Node CR is missing, or Ready=False with `KubernetesNodeGone`. */
export function isNodeDeleted(lhNode: LonghornNode | undefined): boolean {
  return lhNode === undefined || (lhNode.ready.status === 'False' && lhNode.ready.reason === 'KubernetesNodeGone');
}

/** IsNodeDownOrDeleted: also Ready=False with `KubernetesNodeNotReady`. */
export function isNodeDownOrDeleted(lhNode: LonghornNode | undefined): boolean {
  return isNodeDeleted(lhNode) || (lhNode !== undefined && lhNode.ready.status === 'False' && lhNode.ready.reason === 'KubernetesNodeNotReady');
}

/** canInstanceManagerLaunchReplica: node up and not deleted, its default IM `running` or `starting`. */
export function canLaunchReplica(lhNode: LonghornNode | undefined, kubeNode: KubeNode | undefined): boolean {
  if (isNodeDownOrDeleted(lhNode) || kubeNode === undefined || !kubeNode.present) return false;
  return kubeNode.imPod === 'running' || kubeNode.imPod === 'starting';
}

export type OpenOutcome = { readonly world: LonghornWorld; readonly error: string | null };

/**
 * Proposal `fail-replica-on-disk-uuid-change`: a replica whose disk is no longer on its node — the
 * node carries no disk with the replica's `diskID` (re-imaged machine), or the node itself is
 * deleted — is marked failed at once, attached or not, so that nothing (the start gate, the IM
 * PDB, cleanup's healthy count) takes it for a replica that still has data. Marking failed is
 * reversible: a replica whose disk comes back is reused or salvaged as usual.
 * Upstream v1.7.3 has no such rule (IsReplicaUnavailable returns false when no disk has the UUID);
 * master marks replicas failed on down or deleted nodes (#13571), not on a changed disk UUID.
 */
export function failReplicasOnMissingDisk(world: LonghornWorld, volumeName: string): LonghornWorld {
  if (!world.profile.failReplicaOnDiskUuidChange) return world;
  let next = world;
  for (const replica of replicasOf(world, volumeName)) {
    if (replica.failedAt !== null || replica.diskID === '') continue;
    const lhNode = byName(next.lhNodes, replica.nodeID);
    if (!isNodeDeleted(lhNode) && lhNode?.disk.diskUUID === replica.diskID) continue;
    next = putReplicaChecked(next, markReplicaFailed(replica, next.clock.now), `replica ${replica.name} marked failed: disk ${replica.diskID} is no longer on node ${replica.nodeID}`);
  }
  return next;
}

/** Steps 1–3: start what can start, mark failed what cannot launch while not attached. */
function launchReplicas(world: LonghornWorld, volume: Volume, attached: boolean, now: Tick): LonghornWorld {
  let next = world;
  for (const replica of replicasOf(world, volume.name)) {
    if (replica.nodeID === '') continue;
    const lhNode = byName(next.lhNodes, replica.nodeID);
    const kubeNode = byName(next.nodes, replica.nodeID);
    if (canLaunchReplica(lhNode, kubeNode)) {
      if (replica.failedAt === null && currentStateOf(replica.instance) === 'stopped' && replica.desireState !== 'running') {
        next = putReplicaChecked(next, { ...replica, desireState: 'running' }, '');
      }
    } else if (replica.failedAt === null && (!attached || isNodeDeleted(lhNode))) {
      // "Replica <r> is marked as failed because the volume <v> is not attached and the instance
      // manager is unable to launch the replica" / "... since the node <n> is deleted."
      next = putReplicaChecked(next, markReplicaFailed(replica, now), `replica ${replica.name} marked failed: instance manager on ${replica.nodeID} cannot launch it`);
    }
  }
  return next;
}

/** openVolumeDependentResources. */
export function openResources(world: LonghornWorld, volumeName: string, attached: boolean): OpenOutcome {
  const volume = byName(world.volumes, volumeName);
  if (volume === undefined) return { world, error: null };
  let next = launchReplicas(world, volume, attached, world.clock.now);
  const engine = engineOf(next, volumeName);
  if (engine === undefined) return { world: next, error: null };
  const addresses: string[] = [];
  for (const replica of replicasOf(next, volumeName)) {
    if (!isReplicaScheduled(replica) || replica.failedAt !== null) continue;
    const state = currentStateOf(replica.instance);
    if (state === 'error') continue;
    // Step 4: wait for all potentially healthy replicas to become running (the #10385 gate).
    if (state !== 'running') {
      if (next.profile.noStartGateWhileEngineRuns && currentStateOf(engine.instance) === 'running') continue;
      return { world: next, error: null };
    }
    addresses.push(replica.name);
  }
  if (addresses.length === 0) return { world: next, error: 'no healthy or scheduled replica for starting' };
  addresses.sort();
  next = putEngine(next, { ...engine, nodeID: volume.nodeID, replicaAddresses: sameList(engine.replicaAddresses, addresses) ? engine.replicaAddresses : addresses, desireState: 'running' });
  return { world: next, error: null };
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

/** closeVolumeDependentResources (robustness is handled by the machine's `robustness.closing`). */
export function closeResources(world: LonghornWorld, volumeName: string): LonghornWorld {
  const engine = engineOf(world, volumeName);
  let next = world;
  if (engine !== undefined) next = putEngine(next, { ...engine, desireState: 'stopped', nodeID: '' });
  const stopped = engine === undefined || currentStateOf(engine.instance) === 'stopped';
  if (!stopped) return next;
  const replicas = replicasOf(next, volumeName);
  const someHasData = replicas.some((replica) => replica.healthyAt !== null);
  for (const replica of replicas) {
    let updated: Replica = replica;
    if (replica.healthyAt === null && replica.failedAt === null && someHasData) {
      // A replica in the middle of a rebuild at detach is marked failed; a never-scheduled one
      // gets the maximum retry count so that cleanup removes it.
      updated = markReplicaFailed(updated, next.clock.now);
      if (!isReplicaScheduled(replica)) updated = { ...updated, rebuildRetryCount: failedReplicaMaxRetryCount };
    }
    updated = updated.desireState === 'stopped' ? updated : { ...updated, desireState: 'stopped' };
    next = putReplicaChecked(next, updated, updated.failedAt !== replica.failedAt ? `replica ${replica.name} marked failed: rebuilding at detach` : '');
  }
  return next;
}
