/**
 * Replica rules, as pure functions over plain objects (reference §1.2–§1.4, §1.8).
 */
import { assert } from '../../sim/assert.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { InstanceState } from '../longhorn/instance.machine.ts';
import { failedReplicaMaxRetryCount } from '../longhorn/settings.ts';
import type { LonghornNode, Replica } from '../longhorn/world.ts';

/** `status.currentState` of an engine or replica. */
export function currentStateOf(instance: { readonly value: unknown }): InstanceState {
  assert(typeof instance.value === 'string', 'an instance state is a plain string');
  return instance.value as InstanceState;
}

/** "Failed" in Longhorn is `spec.failedAt != ""`; there is no failed state value. */
export function isReplicaFailed(replica: Replica): boolean {
  return replica.failedAt !== null;
}

/** A rebuilding replica: `rebuildRetryCount != 0 && healthyAt == "" && failedAt == ""` (controller/replica_controller.go). */
export function isRebuildingReplica(replica: Replica): boolean {
  return replica.rebuildRetryCount !== 0 && replica.healthyAt === null && replica.failedAt === null;
}

/** Scheduled: the replica scheduler gave it a node and a disk. */
export function isReplicaScheduled(replica: Replica): boolean {
  return replica.nodeID !== '' && replica.diskID !== '';
}

/**
 * controller/replica_controller.go, CreateInstance: the error it returns, or null when the
 * instance manager is asked to create the process.
 * - `missing parameters for replica instance creation` when nodeID, data path, diskID or size is empty;
 * - getDiskNameFromUUID looks through **the current node's** `status.diskStatus` for the
 *   replica's `diskID`: `cannot find disk name for replica <r>` when no disk carries it (#10385).
 */
export function replicaCreateInstanceError(replica: Replica, node: LonghornNode | undefined): string | null {
  if (replica.nodeID === '' || replica.diskPath === '' || replica.dataDirectoryName === '' || replica.diskID === '') {
    return 'missing parameters for replica instance creation';
  }
  if (node === undefined || node.disk.diskUUID !== replica.diskID) return `cannot find disk name for replica ${replica.name}`;
  return null;
}

/**
 * controller/replica_controller.go, CanStartRebuildingReplica: a rebuilding replica needs a slot
 * under `concurrent-replica-rebuild-per-node-limit` on its node; at the limit creation is skipped
 * without an error and retried later.
 */
export function canStartRebuildingReplica(replica: Replica, replicasOnNode: readonly Replica[], limit: number): boolean {
  if (!isRebuildingReplica(replica)) return true;
  const starting = replicasOnNode.filter(
    (other) => other.name !== replica.name && isRebuildingReplica(other) && currentStateOf(other.instance) !== 'stopped',
  );
  return starting.length < limit;
}

/** Marks a replica failed (`failedAt` and `lastFailedAt` set, `desireState=stopped`). */
export function markReplicaFailed(replica: Replica, now: Tick): Replica {
  if (replica.failedAt !== null && replica.desireState === 'stopped') return replica;
  return { ...replica, failedAt: replica.failedAt ?? now, lastFailedAt: now, desireState: 'stopped' };
}

/** The replica became RW: `healthyAt` set once (and the retry count reset), `lastHealthyAt` every time. */
export function markReplicaHealthy(replica: Replica, now: Tick): Replica {
  if (replica.healthyAt !== null && replica.lastHealthyAt === now) return replica;
  return {
    ...replica,
    healthyAt: replica.healthyAt ?? now,
    rebuildRetryCount: replica.healthyAt === null ? 0 : replica.rebuildRetryCount,
    lastHealthyAt: now,
  };
}

/**
 * datastore CheckAndReuseFailedReplica / IsReplicaReusable (reference §1.8): a failed replica is
 * reusable only on a Ready, schedulable disk whose UUID is its `diskID`, on a node whose IM runs.
 */
export function isReplicaReusable(replica: Replica, node: LonghornNode | undefined, imRunning: boolean): boolean {
  if (replica.failedAt === null) return false;
  if (!isReplicaScheduled(replica) || replica.rebuildRetryCount >= failedReplicaMaxRetryCount) return false;
  if (node === undefined || !imRunning) return false;
  return node.disk.diskUUID === replica.diskID && node.disk.ready.status === 'True' && node.disk.schedulable.status === 'True';
}

/** Reuses a failed replica for a rebuild: failedAt and healthyAt cleared, retry count bumped. */
export function reuseFailedReplica(replica: Replica): Replica {
  return { ...replica, failedAt: null, healthyAt: null, rebuildRetryCount: replica.rebuildRetryCount + 1 };
}
