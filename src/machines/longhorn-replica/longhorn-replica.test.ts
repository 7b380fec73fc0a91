import { describe, expect, it } from 'vitest';
import type { EventObject } from 'xstate';
import { machineInit, machineStep, type MachineState } from '../../sim/machine-host.ts';
import { deriveInstanceState, instanceEventTypes, instanceIgnored, instanceStates, type InstanceContext, type InstanceEvent } from '../longhorn/instance.machine.ts';
import type { LonghornNode, Replica } from '../longhorn/world.ts';
import { longhornReplicaMachine } from './longhorn-replica.machine.ts';
import { canStartRebuildingReplica, isRebuildingReplica, isReplicaReusable, markReplicaFailed, markReplicaHealthy, replicaCreateInstanceError } from './longhorn-replica.rules.ts';

// controller/instance_handler.go (ReconcileInstanceState, syncStatusWithInstanceManager) and
// controller/replica_controller.go (CreateInstance, getDiskNameFromUUID, CanStartRebuildingReplica).

const ready = { status: 'True', reason: '', message: '' } as const;

function node(diskUUID: string): LonghornNode {
  return { name: 'node-2', ready, schedulable: ready, imPdb: true, disk: { diskName: 'default-disk-fs0004', diskPath: '/var/lib/longhorn/', diskUUID, ready, schedulable: ready } };
}

function replica(overrides: Partial<Replica> = {}): Replica {
  return {
    name: 'vol-1-r-02',
    volumeName: 'vol-1',
    engineName: 'vol-1-e-0',
    nodeID: 'node-2',
    diskID: 'disk-uuid-0002',
    diskPath: '/var/lib/longhorn/',
    dataDirectoryName: 'vol-1-r-02-data',
    desireState: 'running',
    healthyAt: 0,
    lastHealthyAt: 0,
    failedAt: null,
    lastFailedAt: null,
    rebuildRetryCount: 0,
    instance: machineInit<InstanceContext>(longhornReplicaMachine).state,
    ...overrides,
  };
}

function step(state: MachineState<InstanceContext>, event: InstanceEvent) {
  return machineStep<InstanceContext>(longhornReplicaMachine, state, event as EventObject);
}

describe('instance state derivation (syncStatusWithInstanceManager)', () => {
  it('error requires started: a never-started instance falls back to stopped where a started one errors', () => {
    expect(deriveInstanceState(false, 'stopped', 'running', 'missing', true)).toBe('stopped');
    expect(deriveInstanceState(true, 'running', 'running', 'missing', true)).toBe('error');
    expect(deriveInstanceState(false, 'stopped', 'stopped', 'missing', true)).toBe('stopped');
    expect(deriveInstanceState(true, 'running', 'error', 'missing', true)).toBe('error');
  });

  it('an unknown or missing instance manager gives unknown when started, stopped otherwise', () => {
    expect(deriveInstanceState(true, 'running', 'unknown', 'running', true)).toBe('unknown');
    expect(deriveInstanceState(false, 'stopped', 'missing', 'missing', true)).toBe('stopped');
  });

  it('a running process on another node’s IM is an error (NodeID mismatch)', () => {
    expect(deriveInstanceState(true, 'running', 'running', 'running', false)).toBe('error');
    expect(deriveInstanceState(false, 'starting', 'running', 'running', true)).toBe('running');
  });
});

describe('longhorn replica instance machine', () => {
  it('every state handles or explicitly ignores every event, never both', () => {
    const states = longhornReplicaMachine.config.states as Record<string, { on?: Record<string, unknown> }>;
    for (const state of instanceStates) {
      const handled = Object.keys(states[state]?.on ?? {});
      const ignored = instanceIgnored[state];
      expect(ignored.filter((type) => handled.includes(type))).toEqual([]);
      expect([...handled, ...ignored].sort(), state).toEqual([...instanceEventTypes].sort());
    }
  });

  it('a replica whose CreateInstance fails before it ever ran stays stopped, never error (reference §1.3, #10385)', () => {
    const start = machineInit<InstanceContext>(longhornReplicaMachine).state;
    const failed = step(start, { type: 'instance.createFailed', message: 'cannot find disk name for replica vol-1-r-02' });
    expect(failed.state).toMatchObject({ value: 'stopped', context: { started: false } });
    const synced = step(failed.state, { type: 'instance.observed', im: 'running', process: 'missing', nodeMatches: true });
    expect(synced.state.value).toBe('stopped');
  });

  it('a replica that ran and lost its process goes to error; stopping it clears started and it reads stopped', () => {
    const start = machineInit<InstanceContext>(longhornReplicaMachine).state;
    const running = step(step(start, { type: 'instance.observed', im: 'running', process: 'starting', nodeMatches: true }).state, {
      type: 'instance.observed',
      im: 'running',
      process: 'running',
      nodeMatches: true,
    });
    expect(running.state).toMatchObject({ value: 'running', context: { started: true } });
    const lost = step(running.state, { type: 'instance.observed', im: 'running', process: 'missing', nodeMatches: true });
    expect(lost.state.value).toBe('error');
    const cleared = step(lost.state, { type: 'instance.processDeleted' });
    const stopped = step(cleared.state, { type: 'instance.observed', im: 'running', process: 'missing', nodeMatches: true });
    expect(stopped.state).toMatchObject({ value: 'stopped', context: { started: false } });
  });
});

describe('replica rules', () => {
  it('CreateInstance fails with the upstream messages: missing parameters, or no disk with the diskID on the node', () => {
    expect(replicaCreateInstanceError(replica({ diskID: '' }), node('disk-uuid-0002'))).toBe('missing parameters for replica instance creation');
    expect(replicaCreateInstanceError(replica(), node('disk-uuid-0004'))).toBe('cannot find disk name for replica vol-1-r-02');
    expect(replicaCreateInstanceError(replica(), undefined)).toBe('cannot find disk name for replica vol-1-r-02');
    expect(replicaCreateInstanceError(replica(), node('disk-uuid-0002'))).toBeNull();
  });

  it('a rebuilding replica needs a slot under concurrent-replica-rebuild-per-node-limit', () => {
    const rebuilding = replica({ healthyAt: null, rebuildRetryCount: 1 });
    expect(isRebuildingReplica(rebuilding)).toBe(true);
    const busy = replica({ name: 'vol-2-r-01', healthyAt: null, rebuildRetryCount: 1, instance: { value: 'starting', context: { started: false } } });
    expect(canStartRebuildingReplica(rebuilding, [busy], 1)).toBe(false);
    expect(canStartRebuildingReplica(rebuilding, [busy], 2)).toBe(true);
    expect(canStartRebuildingReplica(replica(), [busy], 1)).toBe(true);
  });

  it('a failed replica is reusable only on a Ready, schedulable disk carrying its diskID', () => {
    const failed = markReplicaFailed(replica(), 100);
    expect(failed).toMatchObject({ failedAt: 100, lastFailedAt: 100, desireState: 'stopped' });
    expect(isReplicaReusable(failed, node('disk-uuid-0002'), true)).toBe(true);
    expect(isReplicaReusable(failed, node('disk-uuid-0004'), true)).toBe(false);
    expect(isReplicaReusable(failed, node('disk-uuid-0002'), false)).toBe(false);
    expect(isReplicaReusable(replica(), node('disk-uuid-0002'), true)).toBe(false);
  });

  it('healthyAt is set once, lastHealthyAt every time the replica is RW', () => {
    const fresh = replica({ healthyAt: null, lastHealthyAt: null, rebuildRetryCount: 2 });
    const first = markReplicaHealthy(fresh, 10);
    expect(first).toMatchObject({ healthyAt: 10, lastHealthyAt: 10, rebuildRetryCount: 0 });
    expect(markReplicaHealthy(first, 20)).toMatchObject({ healthyAt: 10, lastHealthyAt: 20 });
  });
});
