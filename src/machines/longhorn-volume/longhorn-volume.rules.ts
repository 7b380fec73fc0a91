/**
 * Volume rules as pure functions (reference §1.5–§1.7, §2.1): the `Scheduled` condition, readiness
 * for workloads (the CSI attach gate), the salvage decision.
 */
import type { LonghornProfile, LonghornSettings } from '../longhorn/settings.ts';
import type { Condition, Replica } from '../longhorn/world.ts';
import { isReplicaScheduled } from '../longhorn-replica/longhorn-replica.rules.ts';
import type { VolumeRobustness, VolumeState } from './longhorn-volume.machine.ts';

export const scheduledTrue: Condition = { status: 'True', reason: '', message: '' };

/**
 * controller/volume_controller.go, reconcileVolumeCondition (v1.7.2 and v1.7.3 alike):
 * - a replica the scheduler could not place: `Scheduled=False`, `ReplicaSchedulingFailure` with the
 *   scheduler's reasons;
 * - commit 877e7cba (#9514 backport, in v1.7.2): replica CR count ≠ `numberOfReplicas` also means
 *   not scheduled, message `replica scheduling failed`;
 * - while not attached (`currentNodeID == ""`) with `allow-volume-creation-with-degraded-availability`,
 *   `Scheduled` is reset to True when ≥1 replica is scheduled and not failed.
 */
export function scheduledCondition(
  replicas: readonly Replica[],
  numberOfReplicas: number,
  schedulingFailure: string | null,
  currentNodeID: string,
  settings: LonghornSettings,
): Condition {
  let condition: Condition = scheduledTrue;
  if (schedulingFailure !== null) {
    condition = { status: 'False', reason: 'ReplicaSchedulingFailure', message: schedulingFailure };
  } else if (replicas.length !== numberOfReplicas) {
    condition = { status: 'False', reason: 'ReplicaSchedulingFailure', message: 'replica scheduling failed' };
  }
  if (condition.status !== 'True' && currentNodeID === '' && settings['allow-volume-creation-with-degraded-availability']) {
    if (replicas.some((replica) => isReplicaScheduled(replica) && replica.failedAt === null)) {
      return { status: 'True', reason: '', message: 'Reset schedulable due to allow volume creation with degraded availability' };
    }
  }
  return condition;
}

export interface ReadinessInput {
  readonly state: VolumeState;
  readonly robustness: VolumeRobustness;
  readonly nodeID: string;
  readonly scheduled: Condition;
  readonly replicas: readonly Replica[];
}

/**
 * api/model.go, toVolumeResource `ready` (later types.IsVolumeReady); null when ready, otherwise
 * the reason. v1.7.2: a detached volume with `Scheduled != True` is not ready. v1.7.3 (PR #3522,
 * the fix of #9938): only when, in addition, not every existing replica is scheduled.
 */
export function notReadyReason(input: ReadinessInput, profile: LonghornProfile): string | null {
  if (input.nodeID === '' && input.state !== 'detached') return `waiting for the volume to fully detach. current state: ${input.state}`;
  if (input.state === 'detached' && input.scheduled.status !== 'True') {
    const allScheduled = input.replicas.length > 0 && input.replicas.every((replica) => replica.nodeID !== '');
    if (!(profile.readyWhenAllExistingReplicasScheduled && allScheduled)) {
      return 'volume is currently in detached state with some un-schedulable replicas';
    }
  }
  if (input.robustness === 'faulted') return 'volume is faulted';
  return null;
}

/** getHealthyAndActiveReplicaCount: not failed and `healthyAt` set. */
export function healthyAndActiveCount(replicas: readonly Replica[]): number {
  return replicas.filter((replica) => replica.failedAt === null && replica.healthyAt !== null).length;
}

/**
 * controller/volume_controller.go, isAutoSalvageNeeded: on the first attachment (no replica was
 * ever healthy) when every replica failed; otherwise when no healthy active replica is left and
 * at least one failed.
 */
export function isSalvageNeeded(replicas: readonly Replica[]): boolean {
  if (replicas.length === 0) return false;
  const everHealthy = replicas.some((replica) => replica.lastHealthyAt !== null);
  if (!everHealthy) return replicas.every((replica) => replica.failedAt !== null);
  return healthyAndActiveCount(replicas) === 0 && replicas.some((replica) => replica.failedAt !== null);
}
