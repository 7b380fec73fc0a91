/**
 * The replica and engine controllers: the generic instance handler (controller/instance_handler.go,
 * ReconcileInstanceState) over the instance manager's processes, and the engine's replica mode
 * map and rebuilds (controller/engine_controller.go).
 */
import type { EventObject } from 'xstate';
import { clockSchedule } from '../../sim/clock.ts';
import { machineStep } from '../../sim/machine-host.ts';
import { cachedStep, instanceEventCode, stepCache } from './machine-steps.ts';
import type { ImObservation, InstanceEvent, ProcessObservation } from './instance.machine.ts';
import { longhornReplicaMachine } from '../longhorn-replica/longhorn-replica.machine.ts';
import { longhornEngineMachine } from '../longhorn-engine/longhorn-engine.machine.ts';
import { canStartRebuildingReplica, currentStateOf, replicaCreateInstanceError } from '../longhorn-replica/longhorn-replica.rules.ts';
import { nextModeMap, sameModeMap } from '../longhorn-engine/longhorn-engine.rules.ts';
import type { MachineState } from '../../sim/machine-host.ts';
import type { InstanceContext } from './instance.machine.ts';
import type { Engine, KubeNode, LonghornWorld, Replica } from './world.ts';
import { byName, clearError, markDirty, putEngine, putReplica, recordError, recordEvent, requeueAfter, updateWorld } from './world-ops.ts';

/** Ticks an instance process takes from `starting` to `running` inside the instance manager. */
export const processStartTicks = 2;

export function imObservation(node: KubeNode | undefined): ImObservation {
  if (node === undefined || !node.present) return 'missing';
  switch (node.imPod) {
    case 'running':
      return 'running';
    case 'starting':
      return 'starting';
    case 'unknown':
      return 'unknown';
    case 'absent':
      return 'missing';
  }
}

function processObservation(world: LonghornWorld, name: string, node: string): ProcessObservation {
  const process = world.processes.find((candidate) => candidate.name === name);
  if (process === undefined || process.node !== node) return 'missing';
  return process.state;
}

function startProcess(world: LonghornWorld, name: string, node: string, diskUUID: string): LonghornWorld {
  const processes = world.processes.concat([{ name, node, state: 'starting' as const, diskUUID }]).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const clock = clockSchedule(world.clock, `process.start ${name}`, processStartTicks, { kind: 'process.start', process: name });
  return updateWorld(world, { processes, clock });
}

function deleteProcess(world: LonghornWorld, name: string): LonghornWorld {
  return world.processes.some((process) => process.name === name) ? updateWorld(world, { processes: world.processes.filter((process) => process.name !== name) }) : world;
}

type InstanceMachineState = MachineState<InstanceContext>;

const replicaSteps = stepCache(longhornReplicaMachine);
const engineSteps = stepCache(longhornEngineMachine);

function stepInstance(machine: typeof longhornReplicaMachine, state: InstanceMachineState, event: InstanceEvent): InstanceMachineState {
  const code = instanceEventCode(event);
  if (code === null) return machineStep(machine, state, event as EventObject).state as InstanceMachineState;
  return cachedStep(machine === longhornReplicaMachine ? replicaSteps : engineSteps, state, code, event as EventObject).state;
}

/** One ReconcileInstanceState pass for `Replica/<name>`. */
export function reconcileReplica(world: LonghornWorld, name: string): LonghornWorld {
  const key = `Replica/${name}`;
  const replica = byName(world.replicas, name);
  if (replica === undefined) return world;
  let next = world;
  const kubeNode = byName(next.nodes, replica.nodeID);
  const im = imObservation(kubeNode);
  let process = processObservation(next, name, replica.nodeID);
  let instance = replica.instance;
  if (replica.desireState === 'running' && currentStateOf(instance) === 'stopped' && im === 'running' && process === 'missing') {
    const onNode = next.replicas.filter((other) => other.nodeID === replica.nodeID);
    if (!canStartRebuildingReplica(replica, onNode, next.settings['concurrent-replica-rebuild-per-node-limit'])) {
      return requeueAfter(next, key, 10);
    }
    const error = replicaCreateInstanceError(replica, byName(next.lhNodes, replica.nodeID));
    if (error !== null) {
      // FailedStarting, then return before any status sync: currentState stays `stopped` (§1.3).
      instance = stepInstance(longhornReplicaMachine, instance, { type: 'instance.createFailed', message: error });
      next = recordEvent(next, 'Warning', key, 'FailedStarting', `Error starting ${name}: ${error}`);
      return recordError(putReplica(next, { ...replica, instance }), 'longhorn-replica-controller', key, error);
    }
    const disk = byName(next.lhNodes, replica.nodeID)?.disk.diskUUID ?? '';
    next = startProcess(next, name, replica.nodeID, disk);
    process = 'starting';
  } else if (replica.desireState === 'stopped' && process !== 'missing') {
    next = deleteProcess(next, name);
    process = 'missing';
  }
  // desireState=stopped: the process is gone and `started` is cleared.
  if (replica.desireState === 'stopped') instance = stepInstance(longhornReplicaMachine, instance, { type: 'instance.processDeleted' });
  instance = stepInstance(longhornReplicaMachine, instance, { type: 'instance.observed', im, process, nodeMatches: true });
  next = putReplica(next, instance === replica.instance ? replica : { ...replica, instance });
  if (instance !== replica.instance) next = markEnginesOf(next, replica);
  return clearError(next, key);
}

function markEnginesOf(world: LonghornWorld, replica: Replica): LonghornWorld {
  return markDirty(world, `Engine/${replica.engineName}`, `InstanceManager/${replica.nodeID}`);
}

function replicaProcessRunning(world: LonghornWorld, name: string): boolean {
  const replica = byName(world.replicas, name);
  if (replica === undefined) return false;
  const node = byName(world.nodes, replica.nodeID);
  return imObservation(node) === 'running' && processObservation(world, name, replica.nodeID) === 'running';
}

/** Drops mode-map entries of replicas that left the address map. */
function prunedModeMap(engine: Engine): Engine['replicaModeMap'] {
  const kept = engine.replicaModeMap.filter((entry) => engine.replicaAddresses.includes(entry.replica));
  return kept.length === engine.replicaModeMap.length ? engine.replicaModeMap : kept;
}

/** One pass of the engine controller for `Engine/<name>`: instance handler, then mode map and rebuilds. */
export function reconcileEngine(world: LonghornWorld, name: string): LonghornWorld {
  const key = `Engine/${name}`;
  const engine = byName(world.engines, name);
  if (engine === undefined) return world;
  let next = world;
  const kubeNode = engine.nodeID === '' ? undefined : byName(next.nodes, engine.nodeID);
  const im: ImObservation = engine.nodeID === '' ? 'missing' : imObservation(kubeNode);
  let process = processObservation(next, name, engine.nodeID);
  let instance = engine.instance;
  if (engine.desireState === 'running' && currentStateOf(instance) === 'stopped' && im === 'running' && process === 'missing') {
    next = startProcess(next, name, engine.nodeID, '');
    process = 'starting';
  } else if (engine.desireState === 'stopped') {
    const stale = next.processes.find((candidate) => candidate.name === name);
    if (stale !== undefined) next = deleteProcess(next, name);
    process = 'missing';
    instance = stepInstance(longhornEngineMachine, instance, { type: 'instance.processDeleted' });
  }
  const wasRunning = currentStateOf(instance) === 'running';
  instance = stepInstance(longhornEngineMachine, instance, { type: 'instance.observed', im, process, nodeMatches: true });
  let updated: Engine = instance === engine.instance ? engine : { ...engine, instance };
  if (currentStateOf(instance) === 'running') {
    const fresh = !wasRunning || engine.replicaModeMap.length === 0;
    const base = { ...updated, replicaModeMap: prunedModeMap(updated) };
    const { modeMap, rebuildStarted } = nextModeMap(base, fresh, (replica) => replicaProcessRunning(next, replica));
    if (!sameModeMap(modeMap, engine.replicaModeMap)) updated = { ...updated, replicaModeMap: modeMap };
    if (rebuildStarted !== null) {
      next = updateWorld(next, { clock: clockSchedule(next.clock, `rebuild ${name}`, next.rebuildTicks, { kind: 'rebuild', engine: name, replica: rebuildStarted }) });
    }
  } else if (updated.replicaModeMap.length > 0) {
    updated = { ...updated, replicaModeMap: [] };
  }
  next = putEngine(next, updated);
  return clearError(next, key);
}
