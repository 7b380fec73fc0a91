/**
 * The data-loss check behind the safety property "the last healthy replica of a volume is never
 * deleted or marked failed by the system". Ground truth, not Longhorn's view: a replica holds the
 * volume's data when it is a complete copy (`healthyAt` set: RW since its creation or last
 * rebuild; a reused replica loses it until its rebuild completes) and its disk — the one whose
 * UUID is its `diskID` — is still physically on its node. Every system write that fails or deletes a
 * replica goes through here; the first offending write is kept in `world.seen.lastReplicaLost`.
 */
import { currentStateOf } from '../longhorn-replica/longhorn-replica.rules.ts';
import type { LonghornWorld, Replica } from './world.ts';
import { byName, markDirty, putReplica, removeByName, replicasOf, updateWorld } from './world-ops.ts';

/** True when `replica`'s data still exists: a complete copy whose disk is still on its node. */
export function holdsData(world: LonghornWorld, replica: Replica): boolean {
  if (replica.healthyAt === null || replica.diskID === '') return false;
  const node = byName(world.nodes, replica.nodeID);
  return node !== undefined && node.present && node.diskUUID === replica.diskID;
}

function isLastDataHolder(world: LonghornWorld, replica: Replica): boolean {
  if (!holdsData(world, replica)) return false;
  return !replicasOf(world, replica.volumeName).some((other) => other.name !== replica.name && holdsData(world, other));
}

function noteLoss(world: LonghornWorld, what: string): LonghornWorld {
  if (world.seen.lastReplicaLost !== null) return world;
  return updateWorld(world, { seen: { ...world.seen, lastReplicaLost: `tick ${world.clock.now}: ${what}` } });
}

/**
 * Writes a replica. When the write marks failed the last data-holding replica while its process
 * runs on a Ready node with its disk intact (nothing was wrong with it), the loss is noted.
 */
export function putReplicaChecked(world: LonghornWorld, replica: Replica, why: string): LonghornWorld {
  const before = byName(world.replicas, replica.name);
  let next = world;
  if (before !== undefined && before.failedAt === null && replica.failedAt !== null) {
    // Ground truth again: its process really runs (the CR's currentState may lag a process death).
    const node = byName(world.nodes, before.nodeID);
    const processRuns = world.processes.some((process) => process.name === before.name && process.node === before.nodeID && process.state === 'running');
    const healthyProcess = processRuns && currentStateOf(before.instance) === 'running' && node !== undefined && node.ready;
    if (healthyProcess && isLastDataHolder(world, before)) {
      next = noteLoss(next, `${why || `replica ${replica.name} marked failed`} while it was the last replica holding the data of volume ${replica.volumeName}`);
    }
  }
  return putReplica(next, replica);
}

/** Deletes a replica CR; deleting the last data-holding replica is noted as a loss. */
export function deleteReplicaChecked(world: LonghornWorld, replica: Replica, why: string): LonghornWorld {
  let next = world;
  if (isLastDataHolder(world, replica)) next = noteLoss(next, `replica ${replica.name} deleted (${why}) while it was the last replica holding the data of volume ${replica.volumeName}`);
  const replicas = removeByName(next.replicas, replica.name);
  const processes = next.processes.filter((process) => process.name !== replica.name);
  return markDirty(updateWorld(next, { replicas, processes }), `Volume/${replica.volumeName}`, `InstanceManager/${replica.nodeID}`);
}
