/**
 * The properties of a Longhorn world (issue 8): no data loss by the system's own hand, no volume
 * reported healthy on too few running RW replicas; every volume a pod needs attached with the pod
 * Running; every attached volume healthy again when the pool can hold its replicas; and the
 * reachability of a completed rebuild and of a drain refused by the PodDisruptionBudget.
 */
import { always, eventually, sometimes, type Explanation, type Property } from '../../sim/property.ts';
import { currentStateOf } from '../longhorn-replica/longhorn-replica.rules.ts';
import { isAttachedTo } from './kube.ts';
import { holdsData } from './safety.ts';
import type { LonghornWorld, Pod, Replica, Volume, Workload } from './world.ts';
import { byName, mustByName, replicasOf } from './world-ops.ts';
import { volumeRobustnessOf, volumeStateOf } from './volume-view.ts';

export const propertyNoDataLoss = 'the last replica holding a volume\'s data is never deleted or marked failed by the system';
export const propertyNoFalseHealthy = 'a volume is never reported healthy by a reconcile that saw fewer running RW replicas than numberOfReplicas';
export const propertyPodsRunning = 'every volume a pod needs is eventually attached to its node and the pod is Running';
export const propertyVolumesHealthy = 'every attached volume eventually returns to healthy when the node pool can hold its replicas';
export const propertyRebuildCompletes = 'a replica rebuild completes';
export const propertyDrainRefused = 'a drain is refused by the instance-manager PodDisruptionBudget';

function describeReplica(world: LonghornWorld, replica: Replica): string {
  const failed = replica.failedAt === null ? 'failedAt=""' : `failedAt=${replica.failedAt}`;
  return `replica ${replica.name} currentState=${currentStateOf(replica.instance)} desireState=${replica.desireState} nodeID=${replica.nodeID} diskID=${replica.diskID} ${failed}`;
}

function describeNode(world: LonghornWorld, name: string): string {
  const node = byName(world.lhNodes, name);
  if (node === undefined) return `node ${name}: no Longhorn Node`;
  const ready = node.disk.ready.status === 'True' ? 'Ready=True' : `Ready=False (${node.disk.ready.reason})`;
  return `node ${name} disk ${node.disk.diskName} diskUUID=${node.disk.diskUUID} ${ready}`;
}

/** Replicas the start gate of openVolumeDependentResources waits for. */
function gateBlockers(world: LonghornWorld, volume: Volume): readonly Replica[] {
  return replicasOf(world, volume.name).filter(
    (replica) => replica.nodeID !== '' && replica.failedAt === null && !['running', 'error'].includes(currentStateOf(replica.instance)),
  );
}

function lastMessage(world: LonghornWorld, involved: string, reason: string): string | null {
  const rows = world.events.filter((event) => event.involvedObject === involved && event.reason === reason);
  const last = rows[rows.length - 1];
  return last === undefined ? null : `${reason}: ${last.message} (x${last.count})`;
}

/** Some replica still holds the volume's data (the environment did not re-image every copy away). */
export function dataSurvives(world: LonghornWorld, volume: Volume): boolean {
  return replicasOf(world, volume.name).some((replica) => holdsData(world, replica));
}

function podProblem(world: LonghornWorld, workload: Workload): { pod: Pod | undefined; volume: Volume } | null {
  if (workload.replicas === 0) return null;
  const volume = mustByName(world.volumes, workload.volumeName, 'volume');
  if (!dataSurvives(world, volume)) return null;
  const pod = world.pods.find((candidate) => candidate.workload === workload.name);
  if (pod !== undefined && pod.phase === 'Running' && isAttachedTo(world, volume, pod.nodeName)) return null;
  return { pod, volume };
}

function explainPods(world: LonghornWorld): Explanation {
  for (const workload of world.workloads) {
    const problem = podProblem(world, workload);
    if (problem === null) continue;
    const { pod, volume } = problem;
    const state = volumeStateOf(volume);
    const blockers = gateBlockers(world, volume);
    const podText = pod === undefined ? `workload ${workload.name} has no pod` : `pod ${pod.name} is ${pod.phase}${pod.nodeName === '' ? ' (unscheduled)' : ` on ${pod.nodeName}`}`;
    let reason = `${podText}: volume ${volume.name} is ${state} (robustness ${volumeRobustnessOf(volume)})`;
    const firstBlocker = blockers[0];
    if (state === 'attaching' && firstBlocker !== undefined) {
      const node = byName(world.lhNodes, firstBlocker.nodeID);
      reason += `; the engine is never started because replica ${firstBlocker.name} stays ${currentStateOf(firstBlocker.instance)} with diskID ${firstBlocker.diskID}, while node ${firstBlocker.nodeID} now has disk ${node?.disk.diskName ?? '?'} with diskUUID ${node?.disk.diskUUID ?? '?'}`;
    } else if (state === 'detached' && volume.scheduled.status !== 'True') {
      reason += `; Scheduled=False (${volume.scheduled.reason}: ${volume.scheduled.message}) with ${replicasOf(world, volume.name).length}/${volume.numberOfReplicas} replicas, so CSI refuses the attach: volume ${volume.name} is not ready for workloads`;
    }
    const details: string[] = replicasOf(world, volume.name).map((replica) => describeReplica(world, replica));
    const nodes = [...new Set(replicasOf(world, volume.name).map((replica) => replica.nodeID).filter((name) => name !== ''))].sort();
    for (const name of nodes) details.push(describeNode(world, name));
    for (const replica of blockers) {
      const line = lastMessage(world, `Replica/${replica.name}`, 'FailedStarting');
      if (line !== null) details.push(line);
    }
    if (pod !== undefined) {
      const line = lastMessage(world, `Pod/${pod.name}`, 'FailedAttachVolume');
      if (line !== null) details.push(line);
    }
    return { subject: { kind: 'Volume', name: volume.name, phase: state }, reason, details };
  }
  return { reason: 'every pod is Running' };
}

/** The pool can hold `n` replicas: enough usable nodes (distinct nodes unless soft anti-affinity). */
export function poolCanHold(world: LonghornWorld, numberOfReplicas: number): boolean {
  const usable = world.lhNodes.filter((node) => {
    const kube = byName(world.nodes, node.name);
    return node.ready.status === 'True' && node.schedulable.status === 'True' && node.disk.ready.status === 'True' && kube !== undefined && kube.present && kube.imPod === 'running';
  }).length;
  return world.settings['replica-soft-anti-affinity'] ? usable > 0 : usable >= numberOfReplicas;
}

function unhealthyAttached(world: LonghornWorld): Volume | undefined {
  return world.volumes.find(
    (volume) => volumeStateOf(volume) === 'attached' && volumeRobustnessOf(volume) !== 'healthy' && poolCanHold(world, volume.numberOfReplicas),
  );
}

function falseHealthy(world: LonghornWorld): Volume | undefined {
  return world.volumes.find((volume) => volume.lastRobustnessCheck !== null && volume.lastRobustnessCheck.robustness === 'healthy' && volume.lastRobustnessCheck.runningRw < volume.numberOfReplicas);
}

const dataFairness =
  'weak fairness: every enabled controller, kubelet and scheduler step is eventually taken; faults and new requests stop when the environment settles; a volume whose every replica was re-imaged away by the environment is not expected back';

export function longhornProperties(): readonly Property<LonghornWorld>[] {
  return [
    always(propertyNoDataLoss, (world) => world.seen.lastReplicaLost === null, (world) => ({ reason: world.seen.lastReplicaLost ?? '' })),
    always(
      propertyNoFalseHealthy,
      (world) => falseHealthy(world) === undefined,
      (world) => {
        const volume = falseHealthy(world) as Volume;
        return { subject: { kind: 'Volume', name: volume.name, phase: 'healthy' }, reason: `healthy with ${volume.lastRobustnessCheck?.runningRw} running RW replicas of ${volume.numberOfReplicas}` };
      },
    ),
    eventually(propertyPodsRunning, (world) => world.workloads.every((workload) => podProblem(world, workload) === null), explainPods, dataFairness),
    eventually(
      propertyVolumesHealthy,
      (world) => unhealthyAttached(world) === undefined,
      (world) => {
        const volume = unhealthyAttached(world) as Volume;
        const waiting = gateBlockers(world, volume).map((replica) => replica.name);
        const gate = waiting.length === 0 ? '' : `; openVolumeDependentResources waits for ${waiting.join(', ')} to run before it updates the engine's replicaAddressMap`;
        return {
          subject: { kind: 'Volume', name: volume.name, phase: volumeRobustnessOf(volume) },
          reason: `volume ${volume.name} attached but ${volumeRobustnessOf(volume)}; Scheduled=${volume.scheduled.status} ${volume.scheduled.message}${gate}`,
          details: replicasOf(world, volume.name).map((replica) => describeReplica(world, replica)),
        };
      },
    ),
    sometimes(propertyRebuildCompletes, (world) => world.seen.rebuildCompleted),
    sometimes(propertyDrainRefused, (world) => world.seen.drainRefusedByPdb),
  ];
}
