import { describe, expect, it } from 'vitest';
import { longhornProfile, longhornSettingsDefaults } from '../longhorn/settings.ts';
import type { Replica } from '../longhorn/world.ts';
import { isSalvageNeeded, notReadyReason, scheduledCondition } from './longhorn-volume.rules.ts';

// controller/volume_controller.go (reconcileVolumeCondition, isAutoSalvageNeeded) and
// api/model.go (toVolumeResource readiness; v1.7.3 PR #3522 for longhorn/longhorn#9938).

function replica(name: string, overrides: Partial<Replica> = {}): Replica {
  return {
    name,
    volumeName: 'vol-1',
    engineName: 'vol-1-e-0',
    nodeID: 'node-1',
    diskID: 'disk-uuid-0001',
    diskPath: '/var/lib/longhorn/',
    dataDirectoryName: `${name}-data`,
    desireState: 'stopped',
    healthyAt: 0,
    lastHealthyAt: 0,
    failedAt: null,
    lastFailedAt: null,
    rebuildRetryCount: 0,
    instance: { value: 'stopped', context: { started: false } },
    ...overrides,
  };
}

const strict = { ...longhornSettingsDefaults, 'allow-volume-creation-with-degraded-availability': false };

describe('Scheduled condition', () => {
  it('fewer replica CRs than numberOfReplicas is Scheduled=False "replica scheduling failed" (commit 877e7cba, v1.7.2)', () => {
    const condition = scheduledCondition([replica('a')], 3, null, '', strict);
    expect(condition).toEqual({ status: 'False', reason: 'ReplicaSchedulingFailure', message: 'replica scheduling failed' });
  });

  it('allow-volume-creation-with-degraded-availability resets it to True while not attached', () => {
    const condition = scheduledCondition([replica('a')], 3, null, '', longhornSettingsDefaults);
    expect(condition.status).toBe('True');
    expect(condition.message).toBe('Reset schedulable due to allow volume creation with degraded availability');
    expect(scheduledCondition([replica('a')], 3, null, 'node-1', longhornSettingsDefaults).status).toBe('False');
  });
});

describe('readiness for workloads (the CSI attach gate)', () => {
  const notScheduled = { status: 'False', reason: 'ReplicaSchedulingFailure', message: 'replica scheduling failed' } as const;
  const input = { state: 'detached', robustness: 'unknown', nodeID: '', scheduled: notScheduled, replicas: [replica('a')] } as const;

  it('v1.7.2 refuses a detached volume whose Scheduled is not True', () => {
    expect(notReadyReason(input, longhornProfile('longhorn@1.7.2'))).toBe('volume is currently in detached state with some un-schedulable replicas');
  });

  it('v1.7.3 accepts it when every existing replica is scheduled, and still refuses an unscheduled one', () => {
    expect(notReadyReason(input, longhornProfile('longhorn@1.7.3'))).toBeNull();
    expect(notReadyReason({ ...input, replicas: [replica('a', { nodeID: '' })] }, longhornProfile('longhorn@1.7.3'))).not.toBeNull();
  });

  it('a faulted volume and a volume still detaching are not ready', () => {
    expect(notReadyReason({ ...input, scheduled: { status: 'True', reason: '', message: '' }, robustness: 'faulted' }, longhornProfile('longhorn@1.7.3'))).toBe('volume is faulted');
    expect(notReadyReason({ ...input, state: 'detaching' }, longhornProfile('longhorn@1.7.3'))).toBe('waiting for the volume to fully detach. current state: detaching');
  });
});

describe('auto-salvage decision', () => {
  it('needed when no healthy replica is left and one failed; on a first attachment only when all failed', () => {
    expect(isSalvageNeeded([replica('a', { failedAt: 5 }), replica('b', { failedAt: 6 })])).toBe(true);
    expect(isSalvageNeeded([replica('a', { failedAt: 5 }), replica('b')])).toBe(false);
    const never = { healthyAt: null, lastHealthyAt: null };
    expect(isSalvageNeeded([replica('a', { ...never, failedAt: 5 }), replica('b', never)])).toBe(false);
    expect(isSalvageNeeded([replica('a', { ...never, failedAt: 5 })])).toBe(true);
  });
});
