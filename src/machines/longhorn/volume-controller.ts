/**
 * The volume controller's syncVolume (controller/volume_controller.go, reference §1.5), in the
 * upstream order: attachment tickets → ReconcileEngineReplicaState (failure marking, robustness,
 * replenish) → ReconcileVolumeState (attach/detach state machine, Scheduled condition, salvage)
 * → cleanupReplicas.
 */
import type { HostEffect } from '../../sim/machine-host.ts';
import { cachedStep, stepCache, volumeEventCode } from './machine-steps.ts';
import type { EventObject } from 'xstate';
import { longhornVolumeMachine, type VolumeEvent } from '../longhorn-volume/longhorn-volume.machine.ts';
import { volumeRobustnessOf, volumeStateOf } from './volume-view.ts';
import { isSalvageNeeded, scheduledCondition } from '../longhorn-volume/longhorn-volume.rules.ts';
import { currentStateOf, markReplicaFailed, markReplicaHealthy } from '../longhorn-replica/longhorn-replica.rules.ts';
import { modeOf } from '../longhorn-engine/longhorn-engine.rules.ts';
import type { LonghornWorld, Volume } from './world.ts';
import { byName, clearDirty, clearError, engineOf, mustByName, putEngine, putVolume, recordError, recordEvent, replicasOf, sameJson, updateWorld } from './world-ops.ts';
import { putReplicaChecked } from './safety.ts';
import { closeResources, failReplicasOnMissingDisk, openResources, resourcesClosed, resourcesOpened } from './volume-resources.ts';
import { replenishReplicas, scheduleUnscheduled } from './replenish.ts';
import { autoSalvage, cleanupReplicas } from './volume-cleanup.ts';

const volumeSteps = stepCache(longhornVolumeMachine);

/** Steps the volume machine with `event` and performs the effects it names. */
export function stepVolume(world: LonghornWorld, volumeName: string, event: VolumeEvent): { world: LonghornWorld; error: string | null } {
  const volume = mustByName(world.volumes, volumeName, 'volume');
  const step = cachedStep(volumeSteps, volume.machine, volumeEventCode(event), event as EventObject);
  if (!step.changed) return { world, error: null };
  let next = putVolume(world, { ...volume, machine: step.state });
  let error: string | null = null;
  for (const effect of step.effects) {
    const done = performVolumeEffect(next, volumeName, effect);
    next = done.world;
    error = error ?? done.error;
  }
  return { world: next, error };
}

function performVolumeEffect(world: LonghornWorld, volumeName: string, effect: HostEffect): { world: LonghornWorld; error: string | null } {
  if (effect.kind !== 'effect') return { world, error: null };
  const subject = `Volume/${volumeName}`;
  const volume = mustByName(world.volumes, volumeName, 'volume');
  switch (effect.type) {
    case 'openResources':
      return openResources(world, volumeName, volumeStateOf(volume) === 'attached');
    case 'closeResources': {
      const closing = stepVolume(closeResources(world, volumeName), volumeName, { type: 'robustness.closing' });
      return closing;
    }
    case 'recordAttached':
      return { world: recordEvent(world, 'Normal', subject, 'Attached', `volume ${volumeName} has been attached to ${volume.machine.context.currentNodeID}`), error: null };
    case 'recordDetached':
      return { world: recordEvent(world, 'Normal', subject, 'Detached', `volume ${volumeName} has been detached`), error: null };
    case 'recordHealthy':
      return { world: recordEvent(world, 'Normal', subject, 'Healthy', `volume ${volumeName} became healthy`), error: null };
    case 'recordDegraded':
      return { world: recordEvent(putVolume(world, { ...volume, lastDegradedAt: world.clock.now }), 'Normal', subject, 'Degraded', `volume ${volumeName} became degraded`), error: null };
    case 'recordUnknown':
      return { world: volume.lastDegradedAt === null ? world : putVolume(world, { ...volume, lastDegradedAt: null }), error: null };
    case 'recordFaulted':
      return { world: recordEvent(world, 'Warning', subject, 'Faulted', `volume ${volumeName} became faulted`), error: null };
    case 'recordEngineDied':
      return { world: recordEvent(world, 'Warning', subject, 'DetachedUnexpectedly', `Engine of volume ${volumeName} dead unexpectedly, reattach the volume`), error: null };
    default:
      return { world, error: null };
  }
}

/**
 * The VolumeAttachment controller's choice of `spec.nodeID` from the attachment tickets
 * (controller/volume_attachment_controller.go): detach when the attached node has no ticket any
 * more; attach to the oldest ticket only once the volume is fully detached (RWO).
 */
function syncDesiredNode(world: LonghornWorld, volume: Volume): LonghornWorld {
  let nodeID = volume.nodeID;
  if (nodeID !== '' && !volume.tickets.includes(nodeID)) nodeID = '';
  else if (nodeID === '' && volumeStateOf(volume) === 'detached') nodeID = volume.tickets[0] ?? '';
  return nodeID === volume.nodeID ? world : putVolume(world, { ...volume, nodeID });
}

interface Pass {
  readonly world: LonghornWorld;
  readonly error: string | null;
  readonly schedulingFailure: string | null;
  /** RW entries of the running engine's mode map this pass counted; null when the engine was not running. */
  readonly runningRw: number | null;
}

/** ReconcileEngineReplicaState: failure marking, healthyAt, robustness, replenish. */
function reconcileEngineReplicaState(world: LonghornWorld, volumeName: string): Pass {
  let next = world;
  const engine = engineOf(next, volumeName);
  if (engine === undefined) return { world: next, error: null, schedulingFailure: null, runningRw: null };
  const engineState = currentStateOf(engine.instance);
  const now = next.clock.now;
  if (engineState === 'unknown') return { ...stepVolume(next, volumeName, { type: 'robustness.engineUnknown' }), schedulingFailure: null, runningRw: null };
  if (engineState !== 'running') {
    for (const replica of replicasOf(next, volumeName)) {
      if (replica.failedAt === null && currentStateOf(replica.instance) === 'error') {
        next = putReplicaChecked(next, markReplicaFailed(replica, now), `replica ${replica.name} marked failed: instance error while the engine is not running`);
      }
    }
    return { world: next, error: null, schedulingFailure: null, runningRw: null };
  }
  if (next.profile.failErrorReplicaOutsideModeMap) {
    for (const replica of replicasOf(next, volumeName)) {
      if (replica.failedAt === null && currentStateOf(replica.instance) === 'error' && modeOf(engine, replica.name) === undefined) {
        next = putReplicaChecked(next, markReplicaFailed(replica, now), `replica ${replica.name} marked failed: error outside the engine's mode map`);
      }
    }
  }
  let healthy = 0;
  let runningRw = 0;
  for (const replica of replicasOf(next, volumeName)) {
    const mode = modeOf(engine, replica.name);
    if (mode === 'ERR' && replica.failedAt === null) {
      next = putReplicaChecked(next, markReplicaFailed(replica, now), `replica ${replica.name} marked failed: engine reports ERR`);
    } else if (mode === 'RW' && replica.failedAt === null) {
      next = putReplicaChecked(next, markReplicaHealthy(replica, now), '');
      healthy++;
      // What this reconcile saw: an RW entry of the running engine's mode map. The replica CR's own
      // currentState may lag or lead it (the engine monitor and the replica controller are separate).
      runningRw++;
    }
  }
  const volume = mustByName(next.volumes, volumeName, 'volume');
  if (healthy === 0) return { world: next, error: null, schedulingFailure: null, runningRw: 0 };
  const stepped = stepVolume(next, volumeName, { type: 'robustness.counted', healthyCount: healthy, numberOfReplicas: volume.numberOfReplicas });
  next = stepped.world;
  const after = mustByName(next.volumes, volumeName, 'volume');
  if (volumeRobustnessOf(after) === 'degraded') return { ...replenishReplicas(next, volumeName), runningRw };
  return { world: next, error: stepped.error, schedulingFailure: null, runningRw };
}

/** Faulted / salvage part of ReconcileVolumeState (isAutoSalvageNeeded, engine dead). */
function reconcileFaulted(world: LonghornWorld, volumeName: string): LonghornWorld {
  let next = world;
  const volume = mustByName(next.volumes, volumeName, 'volume');
  const replicas = replicasOf(next, volumeName);
  const engine = engineOf(next, volumeName);
  if (isSalvageNeeded(replicas)) {
    next = stepVolume(next, volumeName, { type: 'robustness.salvageNeeded' }).world;
    // status.currentNodeID = "": detach first, salvage once detached.
    next = stepVolume(next, volumeName, { type: 'volume.salvageNeeded' }).world;
    if (engine !== undefined && next.settings['auto-salvage'] && !engine.salvageRequested) next = putEngine(next, { ...engine, salvageRequested: true });
  }
  if (engine !== undefined && currentStateOf(engine.instance) === 'error' && volume.nodeID !== '' && volumeStateOf(volume) === 'attached') {
    next = stepVolume(next, volumeName, { type: 'volume.engineDied' }).world;
  }
  const current = mustByName(next.volumes, volumeName, 'volume');
  if (volumeRobustnessOf(current) === 'faulted' && volumeStateOf(current) === 'detached') next = autoSalvage(next, volumeName);
  return next;
}

function repeatRowAction(world: LonghornWorld, volume: Volume): { world: LonghornWorld; error: string | null } {
  const state = volumeStateOf(volume);
  const current = volume.machine.context.currentNodeID;
  if ((state === 'attaching' && current === '' && volume.nodeID !== '') || (state === 'attached' && volume.nodeID !== '' && volume.nodeID === current)) {
    return openResources(world, volume.name, state === 'attached');
  }
  if (state === 'detaching' || (state === 'detached' && volume.nodeID === '')) return stepVolume(closeResources(world, volume.name), volume.name, { type: 'robustness.closing' });
  return { world, error: null };
}

/**
 * Upstream writes the volume once, at the end of syncVolume; a pass whose intermediate writes end
 * where they started wrote nothing, so it neither requeues the volume nor changes its identity.
 */
function settleOwnWrites(world: LonghornWorld, before: Volume): LonghornWorld {
  const after = mustByName(world.volumes, before.name, 'volume');
  if (after === before || !sameJson(after, before)) return world;
  return clearDirty(updateWorld(world, { volumes: world.volumes.map((volume) => (volume === after ? before : volume)) }), `Volume/${before.name}`);
}

/** One syncVolume pass for `Volume/<name>`. */
export function reconcileVolume(world: LonghornWorld, volumeName: string): LonghornWorld {
  const key = `Volume/${volumeName}`;
  const existing = byName(world.volumes, volumeName);
  if (existing === undefined) return world;
  let next = failReplicasOnMissingDisk(syncDesiredNode(world, existing), volumeName);
  const errors: string[] = [];
  const engineReplica = reconcileEngineReplicaState(next, volumeName);
  next = engineReplica.world;
  if (engineReplica.error !== null) errors.push(engineReplica.error);
  const volume = mustByName(next.volumes, volumeName, 'volume');
  const replicas = replicasOf(next, volumeName);
  const engine = engineOf(next, volumeName);
  // A faulted volume that needs salvage is held detached (upstream sets status.currentNodeID = "")
  // until auto-salvage clears it; only then is it attached again (PendingNodeID).
  const holdDetached = volumeRobustnessOf(volume) === 'faulted' && isSalvageNeeded(replicas);
  const attach = stepVolume(next, volumeName, {
    type: 'volume.synced',
    desiredNodeID: holdDetached ? '' : volume.nodeID,
    resourcesClosed: resourcesClosed(engine, replicas),
    resourcesOpened: resourcesOpened(engine, replicas),
    migrating: false,
  });
  next = attach.world;
  if (attach.error !== null) errors.push(attach.error);
  // Rows whose action repeats without a state change ("open; when opened …", "close again just
  // in case", attached + stable "calls open again"): the machine's snapshot stays the same, so the
  // controller performs the row's action itself.
  const afterAttach = mustByName(next.volumes, volumeName, 'volume');
  if (afterAttach === volume) {
    const repeated = repeatRowAction(next, afterAttach);
    next = repeated.world;
    if (repeated.error !== null) errors.push(repeated.error);
  }
  const scheduling = scheduleUnscheduled(next, volumeName);
  next = scheduling.world;
  const conditioned = mustByName(next.volumes, volumeName, 'volume');
  const scheduled = scheduledCondition(
    replicasOf(next, volumeName),
    conditioned.numberOfReplicas,
    engineReplica.schedulingFailure ?? scheduling.failure,
    conditioned.machine.context.currentNodeID,
    next.settings,
  );
  next = putVolume(next, { ...conditioned, scheduled });
  next = reconcileFaulted(next, volumeName);
  next = cleanupReplicas(next, volumeName);
  if (engineReplica.runningRw !== null) {
    // The robustness this whole pass leaves behind, next to what it counted (the safety property reads it).
    const done = mustByName(next.volumes, volumeName, 'volume');
    const check = { robustness: volumeRobustnessOf(done), runningRw: engineReplica.runningRw };
    const previous = done.lastRobustnessCheck;
    if (previous === null || previous.robustness !== check.robustness || previous.runningRw !== check.runningRw) next = putVolume(next, { ...done, lastRobustnessCheck: check });
  }
  next = settleOwnWrites(next, existing);
  const firstError = errors[0];
  if (firstError !== undefined) return recordError(next, 'longhorn-volume-controller', key, firstError);
  return clearError(next, key);
}
