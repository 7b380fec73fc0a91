// Proves the InstanceSet status rules: counts (§2.2), conditions (§2.3), failed-and-timed-out
// (§2.4), the ready predicates (§2.5) and naming/alignment (§2.6), one rule per test.
import { describe, expect, it } from 'vitest';
import { alignmentPlan, desiredInstances, instanceNamesFromTemplate, instancesAligned } from './instance-names.ts';
import { computeInstanceSetStatus, isInstanceSetReady, isInstancesReady, podFailure } from './instanceset-status.ts';
import { roleLabelKey, revisionLabelKey, type InstancePodView } from './instance-pod.ts';
import { kubeblocks102, kubeblocks103 } from './kubeblocks-profile.ts';
import type { InstanceSet } from './kubeblocks-objects.ts';

const digest = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

function its(overrides: Partial<InstanceSet['spec']> = {}): InstanceSet {
  return {
    name: 'pg-postgresql',
    clusterName: 'pg',
    componentName: 'pg-postgresql',
    generation: 1,
    componentGeneration: 1,
    deleting: false,
    spec: {
      replicas: 2,
      minReadySeconds: 0,
      template: { containerName: 'postgresql', image: 'apecloud/spilo:16', schedulingPolicy: null },
      instances: [],
      offlineInstances: [],
      podManagementPolicy: 'OrderedReady',
      parallelConcurrency: 1,
      roles: [
        { name: 'primary', updatePriority: 2, isExclusive: true },
        { name: 'secondary', updatePriority: 1, isExclusive: false },
      ],
      volumeClaimTemplates: [],
      podLabels: {},
      ...overrides,
    },
    status: {
      observedGeneration: 0,
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      updatedReplicas: 0,
      currentReplicas: 0,
      updateRevision: '',
      currentRevision: '',
      conditions: [],
      membersStatus: [],
    },
    readiness: { value: 'NotReady', context: {} },
  };
}

function pod(name: string, overrides: Partial<InstancePodView> = {}, statusImage = 'docker.io/apecloud/spilo:16', specImage = 'apecloud/spilo:16'): InstancePodView {
  return {
    name,
    uid: `${name}-uid`,
    labels: { [revisionLabelKey]: 'rev-1', [roleLabelKey]: 'secondary' },
    nodeName: 'node-1',
    phase: 'Running',
    terminating: false,
    ready: true,
    readySinceTick: 5,
    containersReadyTransitionTick: 5,
    containers: [{ name: 'postgresql', specImage, statusImage, statusImageId: `docker.io/apecloud/spilo@${digest}`, waitingMessage: null, terminatedExitCode: null, running: true }],
    ...overrides,
  };
}

const rev = () => 'rev-1';

describe('InstanceSet status counts (§2.2)', () => {
  it('replicas counts created pods (phase set), terminating ones included', () => {
    const result = computeInstanceSetStatus(kubeblocks102, its(), [pod('pg-postgresql-0', { terminating: true }), pod('pg-postgresql-1', { phase: '' })], 'rev-1', rev, 10);
    expect(result.status.replicas).toBe(1);
    expect(result.status.readyReplicas).toBe(0);
  });
  it('readyReplicas needs image match AND Ready: a Ready pod with a mismatched image is not counted (1.0.2) but is (1.0.3)', () => {
    const pinned = pod('pg-postgresql-0', {}, 'docker.io/apecloud/spilo:16', `apecloud/spilo@${digest}`);
    expect(computeInstanceSetStatus(kubeblocks102, its(), [pinned], 'rev-1', rev, 10).status.readyReplicas).toBe(0);
    expect(computeInstanceSetStatus(kubeblocks103, its(), [pinned], 'rev-1', rev, 10).status.readyReplicas).toBe(1);
  });
  it('availableReplicas waits minReadySeconds after Ready', () => {
    const set = its({ minReadySeconds: 10 });
    expect(computeInstanceSetStatus(kubeblocks102, set, [pod('pg-postgresql-0', { readySinceTick: 5 })], 'rev-1', rev, 14).status.availableReplicas).toBe(0);
    expect(computeInstanceSetStatus(kubeblocks102, set, [pod('pg-postgresql-0', { readySinceTick: 5 })], 'rev-1', rev, 15).status.availableReplicas).toBe(1);
  });
  it('updatedReplicas counts live pods carrying the desired revision', () => {
    const result = computeInstanceSetStatus(kubeblocks102, its(), [pod('pg-postgresql-0'), pod('pg-postgresql-1', { labels: { [revisionLabelKey]: 'rev-0' } })], 'rev-1', rev, 10);
    expect(result.status.updatedReplicas).toBe(1);
  });
  it('membersStatus lists Ready pods with a spec role, primary first', () => {
    const pods = [pod('pg-postgresql-0'), pod('pg-postgresql-1', { labels: { [revisionLabelKey]: 'rev-1', [roleLabelKey]: 'primary' } }), pod('pg-postgresql-2', { labels: { [roleLabelKey]: 'leader' } })];
    expect(computeInstanceSetStatus(kubeblocks102, its(), pods, 'rev-1', rev, 10).status.membersStatus).toEqual([
      { podName: 'pg-postgresql-1', role: 'primary' },
      { podName: 'pg-postgresql-0', role: 'secondary' },
    ]);
  });
});

describe('InstanceSet conditions (§2.3)', () => {
  it('InstanceReady is False with reason NotReady and a JSON list of not-ready created pods', () => {
    const pinned = pod('pg-postgresql-1', {}, 'docker.io/apecloud/spilo:16', `apecloud/spilo@${digest}`);
    const ready = computeInstanceSetStatus(kubeblocks102, its(), [pod('pg-postgresql-0'), pinned], 'rev-1', rev, 10).status.conditions.find((c) => c.type === 'InstanceReady');
    expect(ready).toMatchObject({ status: 'False', reason: 'NotReady', message: '["pg-postgresql-1"]' });
  });
  it('InstanceReady compares with created pods, not spec.replicas: one ready pod of one created is True', () => {
    const ready = computeInstanceSetStatus(kubeblocks102, its(), [pod('pg-postgresql-0')], 'rev-1', rev, 10).status.conditions.find((c) => c.type === 'InstanceReady');
    expect(ready).toMatchObject({ status: 'True', reason: 'Ready' });
  });
  it('InstanceFailure appears only while a pod is failed, and the mismatch never raises it', () => {
    const pinned = pod('pg-postgresql-0', {}, 'docker.io/apecloud/spilo:16', `apecloud/spilo@${digest}`);
    expect(computeInstanceSetStatus(kubeblocks102, its(), [pinned], 'rev-1', rev, 100).status.conditions.some((c) => c.type === 'InstanceFailure')).toBe(false);
    const failed = computeInstanceSetStatus(kubeblocks102, its(), [pod('pg-postgresql-0', { phase: 'Failed' })], 'rev-1', rev, 100);
    expect(failed.status.conditions.find((c) => c.type === 'InstanceFailure')).toMatchObject({ status: 'True', reason: 'InstanceFailure', message: '["pg-postgresql-0"]' });
  });
  it('keeps lastTransitionTick while the status stays the same', () => {
    const first = computeInstanceSetStatus(kubeblocks102, its(), [pod('pg-postgresql-0')], 'rev-1', rev, 10).status;
    const second = computeInstanceSetStatus(kubeblocks102, { ...its(), status: first }, [pod('pg-postgresql-0')], 'rev-1', rev, 30).status;
    expect(second.conditions.find((c) => c.type === 'InstanceReady')?.lastTransitionTick).toBe(10);
  });
});

describe('failed and timed out (§2.4)', () => {
  const waiting = (message: string) => pod('pg-postgresql-0', {
    ready: false,
    containersReadyTransitionTick: 20,
    containers: [{ name: 'postgresql', specImage: 'apecloud/spilo:16', statusImage: 'docker.io/apecloud/spilo:16', statusImageId: '', waitingMessage: message, terminatedExitCode: null, running: false }],
  });
  it('a waiting container with a message fails only after more than 10 s, and asks to be rechecked then', () => {
    expect(podFailure(kubeblocks102, waiting('Back-off pulling image'), 30)).toEqual({ failed: false, recheckAt: 31 });
    expect(podFailure(kubeblocks102, waiting('Back-off pulling image'), 31)).toEqual({ failed: true, recheckAt: null });
  });
  it('phase Failed is failed at once', () => {
    expect(podFailure(kubeblocks102, pod('pg-postgresql-0', { phase: 'Failed' }), 0).failed).toBe(true);
  });
});

describe('ready predicates (§2.5)', () => {
  const ready = (status: Partial<InstanceSet['status']>): InstanceSet => ({ ...its(), status: { ...its().status, observedGeneration: 1, replicas: 2, readyReplicas: 2, updatedReplicas: 2, availableReplicas: 2, ...status } });
  it('IsInstancesReady needs replicas == ready == updated == spec.replicas and an observed generation', () => {
    expect(isInstancesReady(ready({}))).toBe(true);
    expect(isInstancesReady(ready({ readyReplicas: 1 }))).toBe(false);
    expect(isInstancesReady(ready({ updatedReplicas: 1 }))).toBe(false);
    expect(isInstancesReady(ready({ observedGeneration: 0 }))).toBe(false);
  });
  it('IsInstanceSetReady also needs one member per replica when roles exist', () => {
    expect(isInstanceSetReady(ready({ membersStatus: [{ podName: 'pg-postgresql-0', role: 'primary' }] }))).toBe(false);
    expect(isInstanceSetReady(ready({ membersStatus: [{ podName: 'pg-postgresql-0', role: 'primary' }, { podName: 'pg-postgresql-1', role: 'secondary' }] }))).toBe(true);
  });
});

describe('naming and alignment (§2.6)', () => {
  it('skips offline instances: replicas 3, offline [x-1] → x-0, x-2, x-3; offline [x-2] with 2 replicas is inert', () => {
    expect(instanceNamesFromTemplate('x', '', 3, ['x-1'], [])).toEqual(['x-0', 'x-2', 'x-3']);
    expect(instanceNamesFromTemplate('x', '', 2, ['x-2'], [])).toEqual(['x-0', 'x-1']);
  });
  it('named templates give <its>-<tpl>-<n>; the default template fills the rest', () => {
    const spec = its({ replicas: 3, instances: [{ name: 'big', replicas: 1, ordinals: [], image: null, schedulingPolicy: null }] }).spec;
    expect(desiredInstances('pg-postgresql', spec).map((instance) => instance.name)).toEqual(['pg-postgresql-0', 'pg-postgresql-1', 'pg-postgresql-big-0']);
  });
  it('create = desired − existing, delete = existing − desired; aligned only when both are empty', () => {
    const desired = desiredInstances('x', its({ replicas: 2 }).spec);
    expect(alignmentPlan(desired, ['x-1', 'x-5'])).toEqual({ create: [{ name: 'x-0', templateName: '' }], delete: ['x-5'] });
    expect(instancesAligned(desired, ['x-0', 'x-1'])).toBe(true);
  });
});
