/**
 * The slice of Kubernetes the Longhorn scenarios need: a workload controller (one pod per
 * workload), the scheduler's bind, the attach/detach controller with Longhorn's CSI
 * ControllerPublishVolume (csi/controller_server.go), and the kubelet, which starts a pod only once
 * its volume is attached to the pod's node.
 */
import { assert } from '../../sim/assert.ts';
import { hash32 } from '../../sim/prng.ts';
import { notReadyReason } from '../longhorn-volume/longhorn-volume.rules.ts';
import { currentStateOf } from '../longhorn-replica/longhorn-replica.rules.ts';
import type { LonghornWorld, Pod, Volume } from './world.ts';
import { byName, clearError, engineOf, markDirty, mustByName, putVolume, recordError, recordEvent, removeByName, replicasOf, requeueAfter, updateWorld, upsert } from './world-ops.ts';
import { volumeRobustnessOf, volumeStateOf } from './volume-view.ts';

/** How long ControllerPublishVolume waits for the attachment before DeadlineExceeded. */
export const publishWaitTicks = 30;

/** The workload controller: one pod while `replicas` is 1, none while 0. */
export function reconcileWorkload(world: LonghornWorld, name: string): LonghornWorld {
  const workload = byName(world.workloads, name);
  if (workload === undefined) return world;
  const pods = world.pods.filter((pod) => pod.workload === name);
  if (workload.replicas === 1 && pods.length === 0) {
    const podName = `${name}-${workload.podCounter + 1}`;
    const pod: Pod = { name: podName, workload: name, volumeName: workload.volumeName, nodeName: '', phase: 'Pending' };
    const next = updateWorld(world, { pods: upsert(world.pods, pod), workloads: upsert(world.workloads, { ...workload, podCounter: workload.podCounter + 1 }) });
    return markDirty(next, `Pod/${podName}`);
  }
  if (workload.replicas === 0 && pods.length > 0) {
    let next = world;
    for (const pod of pods) next = deletePod(next, pod.name);
    return next;
  }
  return world;
}

export function deletePod(world: LonghornWorld, name: string): LonghornWorld {
  const pod = mustByName(world.pods, name, 'pod');
  const next = updateWorld(world, { pods: removeByName(world.pods, name) });
  return markDirty(next, `Workload/${pod.workload}`, `VolumeAttachment/${pod.volumeName}`);
}

/** Nodes the scheduler may bind to: present, Ready, not cordoned. */
export function schedulableNodes(world: LonghornWorld): readonly string[] {
  return world.nodes.filter((node) => node.present && node.ready && !node.unschedulable).map((node) => node.name);
}

export function bindPod(world: LonghornWorld, podName: string, node: string): LonghornWorld {
  const pod = mustByName(world.pods, podName, 'pod');
  assert(pod.nodeName === '', `pod ${podName} is already bound`);
  const next = updateWorld(world, { pods: upsert(world.pods, { ...pod, nodeName: node, phase: 'ContainerCreating' as const }) });
  return markDirty(recordEvent(next, 'Normal', `Pod/${podName}`, 'Scheduled', `Successfully assigned default/${podName} to ${node}`, 'default-scheduler'), `VolumeAttachment/${pod.volumeName}`, `Pod/${podName}`);
}

/** True when `volume` is attached to `node` with its engine running. */
export function isAttachedTo(world: LonghornWorld, volume: Volume, node: string): boolean {
  const engine = engineOf(world, volume.name);
  return volumeStateOf(volume) === 'attached' && volume.machine.context.currentNodeID === node && engine !== undefined && currentStateOf(engine.instance) === 'running';
}

/** The kubelet for `Pod/<name>`: Running once its volume is attached to the pod's node. */
export function reconcilePod(world: LonghornWorld, name: string): LonghornWorld {
  const pod = byName(world.pods, name);
  if (pod === undefined || pod.nodeName === '') return world;
  const node = byName(world.nodes, pod.nodeName);
  // The pod garbage collector removes pods bound to a deleted Node.
  if (node === undefined || !node.present) return deletePod(world, name);
  if (!node.ready) return world;
  const volume = mustByName(world.volumes, pod.volumeName, 'volume');
  const phase = isAttachedTo(world, volume, pod.nodeName) ? 'Running' : pod.phase === 'Running' ? 'Running' : 'ContainerCreating';
  if (phase === pod.phase) return world;
  return updateWorld(world, { pods: upsert(world.pods, { ...pod, phase }) });
}

function attachmentID(volume: string, node: string): string {
  return `csi-${hash32(`${volume}/${node}`).toString(16).padStart(8, '0')}`;
}

/**
 * The attach/detach controller and Longhorn's CSI plugin for one volume: unpublish from nodes no
 * pod needs; publish to the node of the pod that needs it. ControllerPublishVolume refuses a volume
 * that is not ready for workloads with `Aborted`, and waits (then `DeadlineExceeded`) for the
 * attachment to complete.
 */
export function reconcileVolumeAttachment(world: LonghornWorld, volumeName: string): LonghornWorld {
  const key = `VolumeAttachment/${volumeName}`;
  const volume = byName(world.volumes, volumeName);
  if (volume === undefined) return world;
  const wanted = world.pods.filter((pod) => pod.volumeName === volumeName && pod.nodeName !== '').map((pod) => pod.nodeName);
  let next = world;
  const kept = volume.tickets.filter((node) => wanted.includes(node));
  if (kept.length !== volume.tickets.length) next = markDirty(putVolume(next, { ...volume, tickets: kept }), `Volume/${volumeName}`);
  const target = wanted[0];
  if (target === undefined) return clearError(next, key);
  const current = mustByName(next.volumes, volumeName, 'volume');
  const pod = next.pods.find((candidate) => candidate.volumeName === volumeName && candidate.nodeName === target);
  const podRef = `Pod/${pod?.name ?? 'unknown'}`;
  if (!current.tickets.includes(target)) {
    const refusal = notReadyReason(
      { state: volumeStateOf(current), robustness: volumeRobustnessOf(current), nodeID: current.nodeID, scheduled: current.scheduled, replicas: replicasOf(next, volumeName) },
      next.profile,
    );
    if (refusal !== null) {
      const message = `AttachVolume.Attach failed for volume "${volumeName}" : rpc error: code = Aborted desc = volume ${volumeName} is not ready for workloads`;
      next = recordEvent(next, 'Warning', podRef, 'FailedAttachVolume', message, 'attachdetach-controller');
      return recordError(next, 'csi-attacher', key, `${message} (${refusal})`);
    }
    next = markDirty(putVolume(next, { ...current, tickets: current.tickets.concat([target]), publishedAt: next.clock.now }), `Volume/${volumeName}`);
    return requeueAfter(next, key, publishWaitTicks);
  }
  if (isAttachedTo(next, current, target)) return clearError(next, key);
  const waited = next.clock.now - (current.publishedAt ?? next.clock.now);
  if (waited < publishWaitTicks) return requeueAfter(next, key, publishWaitTicks - waited);
  const message = `AttachVolume.Attach failed for volume "${volumeName}" : rpc error: code = DeadlineExceeded desc = volume ${volumeName} failed to attach to node ${target} with attachmentID ${attachmentID(volumeName, target)}`;
  next = recordEvent(next, 'Warning', podRef, 'FailedAttachVolume', message, 'attachdetach-controller');
  return recordError(next, 'csi-attacher', key, message);
}
