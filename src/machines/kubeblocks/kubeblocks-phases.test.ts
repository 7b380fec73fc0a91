// Proves the Component phase table (§1.3) and the Cluster phase composition (§1.5) row by row,
// each test citing the row of reference/kubeblocks.md it exercises.
import { describe, expect, it } from 'vitest';
import { clusterPhaseRule, componentPhaseRule, type ComponentPhaseInputs } from './kubeblocks-phases.ts';

const quiet: ComponentPhaseInputs = {
  isDeleting: false,
  stopped: false,
  hasRunningPods: true,
  postProvisionDone: true,
  isITSUpdatedNRunning: false,
  hasRunningScaleOut: false,
  hasRunningVolumeExpansion: false,
  hasFailure: false,
};
const release10 = { stoppingWaitsForPostProvision: true };
const v100 = { stoppingWaitsForPostProvision: false };

describe('Component phase, §1.3 first match wins', () => {
  it('row 1: a deleting InstanceSet wins over everything, even stop and Running', () => {
    expect(componentPhaseRule('Running', { ...quiet, isDeleting: true, stopped: true, isITSUpdatedNRunning: true }, release10)).toEqual({ phase: 'Deleting', row: 1 });
  });
  it('row 2: stop with running pods is Stopping', () => {
    expect(componentPhaseRule('Running', { ...quiet, stopped: true, hasRunningPods: true }, release10)).toEqual({ phase: 'Stopping', row: 2 });
  });
  it('row 2 (release-1.0 after v1.0.0): stop with no pods but postProvision not done is still Stopping; v1.0.0 says Stopped', () => {
    const inputs = { ...quiet, stopped: true, hasRunningPods: false, postProvisionDone: false };
    expect(componentPhaseRule('Running', inputs, release10).phase).toBe('Stopping');
    expect(componentPhaseRule('Running', inputs, v100)).toEqual({ phase: 'Stopped', row: 3 });
  });
  it('row 3: stop with no running pods is Stopped', () => {
    expect(componentPhaseRule('Stopping', { ...quiet, stopped: true, hasRunningPods: false }, release10)).toEqual({ phase: 'Stopped', row: 3 });
  });
  it('row 4: an updated, fully ready InstanceSet is Running, even after a failure', () => {
    expect(componentPhaseRule('Failed', { ...quiet, isITSUpdatedNRunning: true, hasFailure: true }, release10)).toEqual({ phase: 'Running', row: 4 });
  });
  it('row 4: a running scale-out or volume expansion keeps it from Running', () => {
    expect(componentPhaseRule('Creating', { ...quiet, isITSUpdatedNRunning: true, hasRunningScaleOut: true }, release10).phase).toBe('Creating');
    expect(componentPhaseRule('Running', { ...quiet, isITSUpdatedNRunning: true, hasRunningVolumeExpansion: true }, release10).phase).toBe('Updating');
  });
  it('row 5: not ready, no failure, from "" or Creating stays Creating (no timeout)', () => {
    expect(componentPhaseRule('', quiet, release10)).toEqual({ phase: 'Creating', row: 5 });
    expect(componentPhaseRule('Creating', quiet, release10)).toEqual({ phase: 'Creating', row: 5 });
  });
  it('row 6: not ready, no failure, from Stopped/Stopping/Starting is Starting', () => {
    for (const from of ['Stopped', 'Stopping', 'Starting'] as const) expect(componentPhaseRule(from, quiet, release10)).toEqual({ phase: 'Starting', row: 6 });
  });
  it('row 7: not ready, no failure, from anything else is Updating: a creation that failed once shows Updating (#9773)', () => {
    for (const from of ['Failed', 'Running', 'Updating'] as const) expect(componentPhaseRule(from, quiet, release10)).toEqual({ phase: 'Updating', row: 7 });
  });
  it('row 8: a failure that is not Running is Failed, whatever the previous phase', () => {
    for (const from of ['', 'Creating', 'Starting', 'Running'] as const) expect(componentPhaseRule(from, { ...quiet, hasFailure: true }, release10)).toEqual({ phase: 'Failed', row: 8 });
  });
});

describe('Cluster phase, §1.5 composeClusterPhase', () => {
  it('row 1: every entry Stopped is Stopped', () => {
    expect(clusterPhaseRule(['Stopped', 'Stopped'])).toEqual({ phase: 'Stopped', row: 1 });
  });
  it('row 2: every entry Running or Stopped is Running ([Running, Stopped] → Running)', () => {
    expect(clusterPhaseRule(['Running', 'Stopped'])).toEqual({ phase: 'Running', row: 2 });
  });
  it('row 3: every entry Creating or "" is Creating', () => {
    expect(clusterPhaseRule(['Creating', ''])).toEqual({ phase: 'Creating', row: 3 });
  });
  it('row 4: a mix of Creating/Running/Updating, or any Starting, is Updating ([Starting, Failed] → Updating)', () => {
    expect(clusterPhaseRule(['Creating', 'Running'])).toEqual({ phase: 'Updating', row: 4 });
    expect(clusterPhaseRule(['Starting', 'Failed'])).toEqual({ phase: 'Updating', row: 4 });
  });
  it('row 5: any Stopping is Stopping ([Stopping, Failed] → Stopping)', () => {
    expect(clusterPhaseRule(['Stopping', 'Failed'])).toEqual({ phase: 'Stopping', row: 5 });
  });
  it('row 6: every entry Failed is Failed', () => {
    expect(clusterPhaseRule(['Failed'])).toEqual({ phase: 'Failed', row: 6 });
  });
  it('row 7: any Failed is Abnormal ([Running, Failed] and [Creating, Failed] → Abnormal)', () => {
    expect(clusterPhaseRule(['Running', 'Failed'])).toEqual({ phase: 'Abnormal', row: 7 });
    expect(clusterPhaseRule(['Creating', 'Failed'])).toEqual({ phase: 'Abnormal', row: 7 });
  });
  it('row 8: no rule matches ([Running, ""], [Running, Deleting]) keeps the previous phase', () => {
    expect(clusterPhaseRule(['Running', ''])).toEqual({ phase: null, row: 8 });
    expect(clusterPhaseRule(['Running', 'Deleting'])).toEqual({ phase: null, row: 8 });
  });
});
