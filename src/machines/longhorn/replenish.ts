/**
 * replenishReplicas and replica scheduling from the volume controller (reference §1.8–§1.9).
 */
import { machineInit, type MachineState } from '../../sim/machine-host.ts';
import { isReplicaReusable, reuseFailedReplica, currentStateOf } from '../longhorn-replica/longhorn-replica.rules.ts';
import { longhornReplicaMachine } from '../longhorn-replica/longhorn-replica.machine.ts';
import type { InstanceContext } from './instance.machine.ts';
import { isRebuildInProgress } from '../longhorn-engine/longhorn-engine.rules.ts';
import { scheduleReplica, type SchedulingChoice } from './replica-scheduler.ts';
import { failedReplicaMaxRetryCount } from './settings.ts';
import type { LonghornWorld, Replica, Volume } from './world.ts';
import { byName, engineOf, mustByName, putVolume, replicasOf, requeueAfter } from './world-ops.ts';
import { putReplicaChecked } from './safety.ts';
import { volumeRobustnessOf, volumeStateOf } from './volume-view.ts';

export interface ReplenishOutcome {
  readonly world: LonghornWorld;
  readonly error: string | null;
  readonly schedulingFailure: string | null;
}

let initialInstance: MachineState<InstanceContext> | null = null;

/** The replica machine's initial snapshot: the same for every replica, made once (plain data, never mutated). */
function replicaInitialInstance(): MachineState<InstanceContext> {
  initialInstance ??= machineInit<InstanceContext>(longhornReplicaMachine).state;
  return initialInstance;
}

/** A fresh replica CR placed by the scheduler. */
export function newReplica(volume: Volume, engineName: string, index: number, choice: SchedulingChoice | null): Replica {
  const instance = replicaInitialInstance();
  return {
    name: `${volume.name}-r-${String(index).padStart(2, '0')}`,
    volumeName: volume.name,
    engineName,
    nodeID: choice?.nodeID ?? '',
    diskID: choice?.diskID ?? '',
    diskPath: choice?.diskPath ?? '',
    dataDirectoryName: choice === null ? '' : `${volume.name}-r-${String(index).padStart(2, '0')}-data`,
    desireState: 'stopped',
    healthyAt: null,
    lastHealthyAt: null,
    failedAt: null,
    lastFailedAt: null,
    rebuildRetryCount: 0,
    instance,
  };
}

/** IsPotentiallyReusableReplica: failed, placed, under the retry limit. */
function isPotentiallyReusable(replica: Replica): boolean {
  return replica.failedAt !== null && replica.nodeID !== '' && replica.diskID !== '' && replica.rebuildRetryCount < failedReplicaMaxRetryCount;
}

function skipReason(world: LonghornWorld, volume: Volume, replicas: readonly Replica[]): string | null {
  if (world.settings['concurrent-replica-rebuild-per-node-limit'] === 0 && replicas.length > 0) return 'rebuild disabled';
  if (replicas.length > 0 && volumeStateOf(volume) !== 'attached') return 'not attached';
  const engine = engineOf(world, volume.name);
  if (engine === undefined || currentStateOf(engine.instance) !== 'running' || engine.replicaModeMap.length === 0) return 'engine status not synced';
  if (isRebuildInProgress(engine)) return 'rebuild in progress';
  if (engine.replicaAddresses.some((name) => !engine.replicaModeMap.some((entry) => entry.replica === name))) return 'rebuild in progress';
  return null;
}

/** replenishReplicas: at most one replica per pass, only while attached. */
export function replenishReplicas(world: LonghornWorld, volumeName: string): ReplenishOutcome {
  const volume = mustByName(world.volumes, volumeName, 'volume');
  const replicas = replicasOf(world, volumeName);
  if (skipReason(world, volume, replicas) !== null) return { world, error: null, schedulingFailure: null };
  const usable = replicas.filter((replica) => replica.failedAt === null).length;
  if (volume.numberOfReplicas - usable <= 0) return { world, error: null, schedulingFailure: null };
  // 1. CheckAndReuseFailedReplica.
  const reusable = replicas.find((replica) => {
    const node = byName(world.nodes, replica.nodeID);
    return isReplicaReusable(replica, byName(world.lhNodes, replica.nodeID), node !== undefined && node.present && node.imPod === 'running');
  });
  if (reusable !== undefined) return { world: putReplicaChecked(world, reuseFailedReplica(reusable), ''), error: null, schedulingFailure: null };
  // 2. RequireNewReplica: wait replica-replenishment-wait-interval for a potentially reusable one.
  if (volumeRobustnessOf(volume) === 'degraded' && volume.lastDegradedAt !== null && replicas.some(isPotentiallyReusable)) {
    const due = volume.lastDegradedAt + world.settings['replica-replenishment-wait-interval'];
    if (world.clock.now < due) return { world: requeueAfter(world, `Volume/${volumeName}`, due - world.clock.now), error: null, schedulingFailure: null };
  }
  // 3. precheckCreateReplica, then the new replica CR placed by the scheduler.
  const engine = engineOf(world, volumeName);
  const candidate = newReplica(volume, engine?.name ?? '', volume.replicaCounter + 1, null);
  const result = scheduleReplica(candidate, replicas, world.lhNodes, world.nodes, world.settings);
  if (!result.ok) return { world, error: null, schedulingFailure: `precheck new replica failed: ${result.reason}` };
  const created = newReplica(volume, engine?.name ?? '', volume.replicaCounter + 1, result.choice);
  const next = putVolume(world, { ...volume, replicaCounter: volume.replicaCounter + 1 });
  return { world: putReplicaChecked(next, created, ''), error: null, schedulingFailure: null };
}

/** reconcileVolumeCondition's scheduling of replicas that have no node yet. */
export function scheduleUnscheduled(world: LonghornWorld, volumeName: string): { world: LonghornWorld; failure: string | null } {
  let next = world;
  let failure: string | null = null;
  for (const replica of replicasOf(world, volumeName)) {
    if (replica.nodeID !== '' || replica.failedAt !== null) continue;
    const result = scheduleReplica(replica, replicasOf(next, volumeName), next.lhNodes, next.nodes, next.settings);
    if (!result.ok) {
      failure = failure ?? result.reason;
      continue;
    }
    next = putReplicaChecked(next, { ...replica, nodeID: result.choice.nodeID, diskID: result.choice.diskID, diskPath: result.choice.diskPath, dataDirectoryName: `${replica.name}-data` }, '');
  }
  return { world: next, failure };
}
