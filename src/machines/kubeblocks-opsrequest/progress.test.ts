import { describe, expect, it } from 'vitest';
import { opsOutcome, progressText, scalingReplicasProgress, type InstanceSetProgressView, type ProgressDetail } from './progress.ts';

const view = (fields: Partial<InstanceSetProgressView>): InstanceSetProgressView => ({
  currentPods: [],
  notReady: [],
  notAvailable: [],
  failed: [],
  members: null,
  ...fields,
});
const hscaleInput = (progress: ReturnType<typeof scalingReplicasProgress>) => ({ progress, noWaitComponentCompleted: true, componentPhase: 'Updating', replicas: 3 });

describe('HScale progress (ops_progress_util.go, kubeblocks.md §3.4)', () => {
  it('a pod to create is Pending while absent, Processing while not ready, Succeed when ready and available', () => {
    // Proves handleScaleOutProgressWithInstanceSet's order of checks.
    const sets = { created: ['k-2'], deleted: [] };
    const absent = scalingReplicasProgress('broker', sets, view({ currentPods: ['k-0', 'k-1'] }), []);
    expect(absent).toMatchObject({ expectCount: 1, completedCount: 0 });
    expect(absent.details).toEqual([{ group: 'broker/Create', objectKey: 'Pod/k-2', status: 'Pending', message: 'wait to create pod: Pod/k-2 in Component: broker' }]);
    const starting = scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'], notReady: ['k-2'] }), absent.details);
    expect(starting.details[0]?.status).toBe('Processing');
    const done = scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'] }), starting.details);
    expect(done).toMatchObject({ expectCount: 1, completedCount: 1 });
    expect(done.details[0]?.message).toBe('Successfully create pod: Pod/k-2 in Component: broker');
  });

  it('a ready pod that is not yet available, or has no role in a role-ful set, is not complete', () => {
    // Proves the notAvailable and membersStatus checks keep the count at 0.
    const sets = { created: ['k-2'], deleted: [] };
    expect(scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'], notAvailable: ['k-2'] }), []).completedCount).toBe(0);
    expect(scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'], members: ['k-0'] }), []).completedCount).toBe(0);
    expect(scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'], members: ['k-2'] }), []).completedCount).toBe(1);
  });

  it('a failed pod counts as completed and makes the ops Failed; the Failed detail sticks until Succeed', () => {
    // Proves InstanceFailure → Failed detail and setComponentStatusProgressDetail's stickiness.
    const sets = { created: ['k-2'], deleted: [] };
    const failed = scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'], failed: ['k-2'], notReady: ['k-2'] }), []);
    expect(failed.completedCount).toBe(1);
    expect(opsOutcome([hscaleInput(failed)])).toBe('Failed');
    const recovering = scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'], notReady: ['k-2'] }), failed.details);
    expect(recovering.details[0]?.status).toBe('Failed');
  });

  it('a pod to delete is complete once it is gone', () => {
    // Proves handleScaleInProgressWithInstanceSet.
    const sets = { created: [], deleted: ['k-2'] };
    expect(scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'] }), []).details[0]?.status).toBe('Pending');
    expect(scalingReplicasProgress('broker', sets, view({ currentPods: ['k-2'], notReady: ['k-2'] }), []).details[0]?.status).toBe('Processing');
    expect(scalingReplicasProgress('broker', sets, view({ currentPods: ['k-0'] }), [])).toMatchObject({ expectCount: 1, completedCount: 1 });
  });

  it('an empty change is 0/0 and completes at once for HScale (noWaitComponentCompleted)', () => {
    // Proves "If it is 0, the component contributes 0/0 and counts as complete".
    const empty = scalingReplicasProgress('broker', { created: [], deleted: [] }, view({}), []);
    expect(progressText([{ progress: empty }])).toBe('0/0');
    expect(opsOutcome([hscaleInput(empty)])).toBe('Succeed');
  });

  it('without noWaitComponentCompleted, the component phase and the zero-progress trap apply', () => {
    // Proves the generic rule: phase must be Running/Stopped/Failed, and replicas>0 with 0 completed never completes.
    const empty = scalingReplicasProgress('broker', { created: [], deleted: [] }, view({}), []);
    expect(opsOutcome([{ progress: empty, noWaitComponentCompleted: false, componentPhase: 'Running', replicas: 3 }])).toBe('Running');
    const one = { expectCount: 1, completedCount: 1, details: [] as ProgressDetail[] };
    expect(opsOutcome([{ progress: one, noWaitComponentCompleted: false, componentPhase: 'Updating', replicas: 3 }])).toBe('Running');
    expect(opsOutcome([{ progress: one, noWaitComponentCompleted: false, componentPhase: 'Running', replicas: 3 }])).toBe('Succeed');
  });

  it('sums progress over components as completed/expected', () => {
    // Proves status.progress is "<sum completed>/<sum expected>", e.g. the stuck "0/1".
    const pending = scalingReplicasProgress('broker', { created: ['k-2'], deleted: [] }, view({ currentPods: ['k-0', 'k-1'] }), []);
    expect(progressText([{ progress: pending }])).toBe('0/1');
    expect(opsOutcome([hscaleInput(pending)])).toBe('Running');
  });
});
