/**
 * cleanupReplicas and auto-salvage (controller/volume_controller.go, reference §1.7–§1.8).
 */
import { isReplicaScheduled } from '../longhorn-replica/longhorn-replica.rules.ts';
import { isSalvageNeeded } from '../longhorn-volume/longhorn-volume.rules.ts';
import { autoSalvageTimeLimitTicks, failedReplicaMaxRetryCount } from './settings.ts';
import type { LonghornWorld, Replica } from './world.ts';
import { byName, engineOf, mustByName, putEngine, putVolume, recordEvent, replicasOf, requeueAfter } from './world-ops.ts';
import { deleteReplicaChecked, putReplicaChecked } from './safety.ts';
import { isNodeDownOrDeleted } from './volume-resources.ts';
import { stepVolume } from './volume-controller.ts';

/** isSafeAsLastReplica: healthy once and not failed. */
function isSafeAsLastReplica(replica: Replica): boolean {
  return replica.healthyAt !== null && replica.failedAt === null;
}

/**
 * cleanupCorruptedOrStaleReplicas + cleanupFailedToScheduleReplicas: a failed replica goes when
 * its retries are used up or it failed longer than `staleReplicaTimeout` ago ("failed too long ago
 * to be useful during a rebuild") — but never while it has `lastHealthyAt` and no replica is safe
 * as the last one. Unscheduled replicas go once enough healthy ones exist.
 */
export function cleanupReplicas(world: LonghornWorld, volumeName: string): LonghornWorld {
  const volume = mustByName(world.volumes, volumeName, 'volume');
  let next = world;
  const replicas = replicasOf(world, volumeName);
  const anySafe = replicas.some(isSafeAsLastReplica);
  const healthy = replicas.filter(isSafeAsLastReplica).length;
  for (const replica of replicas) {
    if (!isReplicaScheduled(replica) && replica.failedAt === null) {
      if (healthy >= volume.numberOfReplicas) next = deleteReplicaChecked(next, replica, 'failed to schedule');
      continue;
    }
    if (replica.failedAt === null) continue;
    if (replica.lastHealthyAt !== null && !anySafe) continue;
    const staleAt = replica.failedAt + volume.staleReplicaTimeoutTicks;
    if (replica.rebuildRetryCount >= failedReplicaMaxRetryCount) {
      next = deleteReplicaChecked(next, replica, 'rebuild retries used up');
    } else if (next.clock.now >= staleAt) {
      next = deleteReplicaChecked(next, replica, `Replica ${replica.name} failed too long ago to be useful during a rebuild`);
    } else {
      next = requeueAfter(next, `Volume/${volumeName}`, staleAt - next.clock.now);
    }
  }
  return next;
}

/**
 * Faulted and detached: auto-salvage picks failed replicas that were healthy, whose node is up,
 * whose disk (UUID = diskID) is still there and schedulable, and that failed within
 * `AutoSalvageTimeLimit` of the latest failure; it clears their `failedAt` and asks for a remount.
 * When salvage is no longer needed, robustness goes back to unknown.
 */
export function autoSalvage(world: LonghornWorld, volumeName: string): LonghornWorld {
  let next = world;
  const replicas = replicasOf(next, volumeName);
  if (!isSalvageNeeded(replicas)) return recover(next, volumeName, false);
  if (!next.settings['auto-salvage']) return next;
  // failedUsableReplicas: healthy once, node up, its disk (UUID = diskID) schedulable; the latest
  // failure is taken over these only.
  const usable = replicas.filter((replica) => {
    if (replica.failedAt === null || replica.healthyAt === null) return false;
    const lhNode = byName(next.lhNodes, replica.nodeID);
    if (isNodeDownOrDeleted(lhNode) || lhNode === undefined) return false;
    return lhNode.disk.diskUUID === replica.diskID && lhNode.disk.schedulable.status === 'True';
  });
  const latest = Math.max(...usable.map((replica) => replica.failedAt ?? -1));
  const candidates = usable.filter((replica) => latest - (replica.failedAt ?? latest) <= autoSalvageTimeLimitTicks);
  if (candidates.length === 0) return next;
  for (const replica of candidates) {
    next = putReplicaChecked(next, { ...replica, failedAt: null }, '');
    next = recordEvent(next, 'Normal', `Volume/${volumeName}`, 'AutoSalvaged', `Replica ${replica.name} of volume ${volumeName} will be automatically salvaged`);
  }
  return recover(next, volumeName, true);
}

function recover(world: LonghornWorld, volumeName: string, salvaged: boolean): LonghornWorld {
  let next = stepVolume(world, volumeName, { type: 'robustness.recovered' }).world;
  const volume = mustByName(next.volumes, volumeName, 'volume');
  next = putVolume(next, { ...volume, remountRequestedAt: next.clock.now });
  const engine = engineOf(next, volumeName);
  if (engine !== undefined && engine.salvageRequested && salvaged) next = putEngine(next, { ...engine, salvageRequested: false });
  return next;
}
