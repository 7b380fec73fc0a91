/**
 * The starting world of a Longhorn scenario: `nodeCount` nodes with one data disk each, volumes
 * with `numberOfReplicas` replicas spread one per node, each used by one workload pod, all
 * attached, healthy and running — a cluster in its steady state before the maintenance window.
 */
import { assert } from '../../sim/assert.ts';
import { clockCreate } from '../../sim/clock.ts';
import type { MachineState } from '../../sim/machine-host.ts';
import type { InstanceContext } from './instance.machine.ts';
import type { VolumeContext } from '../longhorn-volume/longhorn-volume.machine.ts';
import { scheduledTrue } from '../longhorn-volume/longhorn-volume.rules.ts';
import { defaultDiskPath } from './node-controller.ts';
import type { LonghornProfile, LonghornSettings } from './settings.ts';
import type { Engine, ImProcess, KubeNode, LonghornNode, LonghornWorld, Pod, Replica, Volume, Workload } from './world.ts';

export interface LonghornWorldShape {
  readonly profile: LonghornProfile;
  readonly settings: LonghornSettings;
  readonly nodeCount: number;
  readonly volumeCount: number;
  readonly numberOfReplicas: number;
  readonly staleReplicaTimeoutTicks: number;
  readonly rebuildTicks: number;
  readonly imStartTicks: number;
  readonly provisionTicks: number;
}

const conditionTrue = { status: 'True', reason: '', message: '' } as const;
const running: MachineState<InstanceContext> = { value: 'running', context: { started: true } };

function pad(value: number): string {
  return String(value).padStart(4, '0');
}

export function initLonghornWorld(shape: LonghornWorldShape): LonghornWorld {
  assert(shape.numberOfReplicas <= shape.nodeCount, 'the starting world places one replica per node');
  const nodes: KubeNode[] = [];
  const lhNodes: LonghornNode[] = [];
  for (let index = 1; index <= shape.nodeCount; index++) {
    const name = `node-${index}`;
    const node: KubeNode = { name, present: true, ready: true, unschedulable: false, diskUUID: `disk-uuid-${pad(index)}`, diskName: `default-disk-fs${pad(index)}`, imPod: 'running' };
    nodes.push(node);
    lhNodes.push({
      name,
      ready: conditionTrue,
      schedulable: conditionTrue,
      disk: { diskName: node.diskName, diskPath: defaultDiskPath, diskUUID: node.diskUUID, ready: conditionTrue, schedulable: conditionTrue },
      imPdb: true,
    });
  }
  const volumes: Volume[] = [];
  const engines: Engine[] = [];
  const replicas: Replica[] = [];
  const processes: ImProcess[] = [];
  const workloads: Workload[] = [];
  const pods: Pod[] = [];
  for (let index = 1; index <= shape.volumeCount; index++) {
    const name = `vol-${index}`;
    const attachedTo = nodes[(index - 1) % nodes.length]?.name ?? 'node-1';
    const replicaNames: string[] = [];
    for (let copy = 1; copy <= shape.numberOfReplicas; copy++) {
      const node = nodes[(index - 1 + copy - 1) % nodes.length] as KubeNode;
      const replicaName = `${name}-r-${String(copy).padStart(2, '0')}`;
      replicaNames.push(replicaName);
      replicas.push({
        name: replicaName,
        volumeName: name,
        engineName: `${name}-e-0`,
        nodeID: node.name,
        diskID: node.diskUUID,
        diskPath: defaultDiskPath,
        dataDirectoryName: `${replicaName}-data`,
        desireState: 'running',
        healthyAt: 0,
        lastHealthyAt: 0,
        failedAt: null,
        lastFailedAt: null,
        rebuildRetryCount: 0,
        instance: running,
      });
      processes.push({ name: replicaName, node: node.name, state: 'running', diskUUID: node.diskUUID });
    }
    replicaNames.sort();
    engines.push({
      name: `${name}-e-0`,
      volumeName: name,
      nodeID: attachedTo,
      desireState: 'running',
      replicaAddresses: replicaNames,
      replicaModeMap: replicaNames.map((replica) => ({ replica, mode: 'RW' as const })),
      salvageRequested: false,
      instance: running,
    });
    processes.push({ name: `${name}-e-0`, node: attachedTo, state: 'running', diskUUID: '' });
    const machine: MachineState<VolumeContext> = { value: { state: 'attached', robustness: 'healthy' }, context: { volumeName: name, currentNodeID: attachedTo } };
    volumes.push({
      name,
      numberOfReplicas: shape.numberOfReplicas,
      staleReplicaTimeoutTicks: shape.staleReplicaTimeoutTicks,
      nodeID: attachedTo,
      tickets: [attachedTo],
      publishedAt: 0,
      machine,
      scheduled: scheduledTrue,
      lastDegradedAt: null,
      remountRequestedAt: null,
      lastRobustnessCheck: null,
      replicaCounter: shape.numberOfReplicas,
    });
    workloads.push({ name: `app-${index}`, volumeName: name, replicas: 1, podCounter: 1 });
    pods.push({ name: `app-${index}-1`, workload: `app-${index}`, volumeName: name, nodeName: attachedTo, phase: 'Running' });
  }
  processes.sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  return {
    profile: shape.profile,
    settings: shape.settings,
    clock: clockCreate(),
    nodes,
    lhNodes,
    processes,
    volumes,
    engines,
    replicas,
    workloads,
    pods,
    upgrade: { done: [], current: '', step: 'idle', rejoinAtTick: 0 },
    dirty: [],
    events: [],
    errors: [],
    diskCounter: shape.nodeCount,
    rebuildTicks: shape.rebuildTicks,
    imStartTicks: shape.imStartTicks,
    provisionTicks: shape.provisionTicks,
    seen: { rebuildCompleted: false, drainRefusedByPdb: false, lastReplicaLost: null },
  };
}
