import { describe, expect, it } from 'vitest';
import type { InstancePod, PatronictlMember, PgoView, PostgresCluster } from './postgrescluster.ts';
import { switchoverPending } from './postgrescluster.ts';
import { pgo57, pgo57InstancesBeforeSwitchover, pgo57SwitchoverErrorDeferred } from './profiles.ts';
import { pgoReconcile, pgoResume, profileStepNames, type ReconcileOutcome } from './reconcile.ts';

const A = 'hippo-instance1-abcd';
const B = 'hippo-instance1-wxyz';

function cluster(over: Partial<PostgresCluster> = {}, switchover: Partial<NonNullable<PostgresCluster['spec']['switchover']>> = {}): PostgresCluster {
  return {
    name: 'hippo',
    generation: 1,
    triggerSwitchover: 'one',
    spec: { instances: [{ name: 'instance1', replicas: 2 }], switchover: { enabled: true, targetInstance: null, type: 'Switchover', ...switchover } },
    status: { patroni: { switchover: null, switchoverTimeline: null, systemIdentifier: 'sysid' }, instances: [], observedGeneration: 1 },
    ...over,
  };
}

function pod(instance: string, over: Partial<InstancePod> = {}): InstancePod {
  return { name: `${instance}-0`, instance, instanceSet: 'instance1', databaseRunning: true, ready: true, roleLabel: instance === A ? 'master' : 'replica', terminating: false, ...over };
}

const leaderList: PatronictlMember[] = [
  { Member: `${A}-0`, Role: 'Leader', State: 'running', TL: 3 },
  { Member: `${B}-0`, Role: 'Replica', State: 'streaming', TL: 3 },
];

function view(c: PostgresCluster, over: Partial<PgoView> = {}, members = leaderList): PgoView {
  return {
    now: 0,
    cluster: c,
    statefulSets: [{ name: A, instanceSet: 'instance1' }, { name: B, instanceSet: 'instance1' }],
    pods: [pod(A), pod(B)],
    pvcs: [A, B].map((instance) => ({ name: `${instance}-pgdata`, instance, instanceSet: 'instance1', terminating: false })),
    dcsInitialize: 'sysid',
    patronictlList: () => ({ exitCode: 0, stderr: '', members }),
    ...over,
  };
}

/** The replica's StatefulSet and pod are gone; its PVC remains. */
function replicaDeleted(c: PostgresCluster): PgoView {
  return view(c, { statefulSets: [{ name: A, instanceSet: 'instance1' }], pods: [pod(A)] });
}

function errorOf(outcome: ReconcileOutcome): string | null {
  return outcome.kind === 'done' ? (outcome.error?.message ?? null) : null;
}

function recreated(outcome: ReconcileOutcome): string[] {
  return outcome.kind === 'done' ? outcome.state.writes.flatMap((write) => (write.kind === 'statefulset.apply' ? [write.name] : [])) : [];
}

describe('reconcilePatroniSwitchover preconditions (G:internal/controller/postgrescluster/patroni.go)', () => {
  // Proves a disabled switchover clears status.patroni.switchover and the timeline.
  it('clears the status when disabled', () => {
    const c = cluster({ status: { ...cluster().status, patroni: { switchover: 'one', switchoverTimeline: 2, systemIdentifier: 'sysid' } } }, { enabled: false });
    const outcome = pgoReconcile(pgo57, view(c));
    expect(outcome.kind === 'done' && outcome.state.status.patroni).toMatchObject({ switchover: null, switchoverTimeline: null });
  });

  // Proves an absent annotation, or one equal to the status, is not pending.
  it('does nothing when nothing is pending', () => {
    expect(switchoverPending(cluster({ triggerSwitchover: null }))).toBe(false);
    const done = cluster({ status: { ...cluster().status, patroni: { switchover: 'one', switchoverTimeline: null, systemIdentifier: 'sysid' } } });
    expect(switchoverPending(done)).toBe(false);
    expect(errorOf(pgoReconcile(pgo57, replicaDeleted(done)))).toBeNull();
  });

  // Proves guard a: one observed instance fails with PGO's own message.
  it('needs more than one instance', () => {
    expect(errorOf(pgoReconcile(pgo57, replicaDeleted(cluster())))).toBe('Need more than one instance to switchover');
  });

  // Proves a pod whose StatefulSet is gone still counts as an instance (newObservedInstances).
  it('counts a pod without its StatefulSet as an instance', () => {
    const orphanPod = view(cluster(), { statefulSets: [{ name: A, instanceSet: 'instance1' }] });
    const outcome = pgoReconcile(pgo57, orphanPod);
    expect(errorOf(outcome)).toBeNull();
    expect(outcome.kind === 'done' && outcome.state.status.patroni.switchoverTimeline).toBe(3);
    expect(recreated(outcome)).toEqual([B]);
  });

  // Proves guard b: a failover needs a target instance.
  it('requires a target for a failover', () => {
    expect(errorOf(pgoReconcile(pgo57, view(cluster({}, { type: 'Failover' }))))).toBe('TargetInstance required when running failover');
  });

  // Proves guard c: the target must be observed and have exactly one pod.
  it('validates the target instance', () => {
    expect(errorOf(pgoReconcile(pgo57, view(cluster({}, { targetInstance: 'hippo-instance1-gone' }))))).toBe('TargetInstance was specified but not found in the cluster');
    const noPod = view(cluster({}, { targetInstance: B }), { pods: [pod(A)] });
    expect(errorOf(pgoReconcile(pgo57, noPod))).toBe('TargetInstance should have one pod. Pods (0)');
  });

  // Proves guard d: some instance needs a running database container.
  it('needs a running pod to exec into', () => {
    const down = view(cluster(), { pods: [pod(A, { databaseRunning: false }), pod(B, { databaseRunning: false })] });
    expect(errorOf(pgoReconcile(pgo57, down))).toBe('Could not find a running pod when attempting switchover.');
  });

  // Proves guard e: without a running Leader in `patronictl list` the timeline is 0 and the step fails.
  it('needs a running leader to read the timeline', () => {
    const leaderless = view(cluster(), {}, [{ Member: `${A}-0`, Role: 'Replica', State: 'running', TL: 3 }]);
    expect(errorOf(pgoReconcile(pgo57, leaderless))).toBe('error getting and parsing current timeline');
    const execFails = view(cluster(), { patronictlList: () => ({ exitCode: 1, stderr: 'boom', members: [] }) });
    expect(errorOf(pgoReconcile(pgo57, execFails))).toBe('command terminated with exit code 1');
  });

  // Proves the two phases: first reconcile records the timeline and returns nil; the next runs patronictl in the first running pod.
  it('records the timeline, then switches over', () => {
    const first = pgoReconcile(pgo57, view(cluster()));
    expect(first.kind === 'done' && first.state.status.patroni.switchoverTimeline).toBe(3);
    const recorded = cluster({ status: { ...cluster().status, patroni: { switchover: null, switchoverTimeline: 3, systemIdentifier: 'sysid' } } }, { targetInstance: B });
    const second = pgoReconcile(pgo57, view(recorded));
    expect(second.kind).toBe('suspended');
    if (second.kind !== 'suspended') return;
    expect(second.suspended.request).toEqual({ pod: `${A}-0`, command: 'switchover', candidate: `${B}-0` });
    const ok = pgoResume(pgo57, view(recorded), second.suspended, { exitCode: 0, stdout: `Successfully switched over to "${B}-0"`, stderr: '' });
    expect(ok.kind === 'done' && ok.state.status.patroni).toMatchObject({ switchover: 'one', switchoverTimeline: null });
    const instead = pgoResume(pgo57, view(recorded), second.suspended, { exitCode: 0, stdout: `Switched over to "x" instead of "${B}-0"`, stderr: '' });
    expect(errorOf(instead)).toBe('unable to switchover');
  });

  // Proves the idempotency rule of PR #3235: a timeline different from the recorded one marks the switchover done.
  it('assumes completion when the timeline moved', () => {
    const recorded = cluster({ status: { ...cluster().status, patroni: { switchover: null, switchoverTimeline: 2, systemIdentifier: 'sysid' } } });
    const outcome = pgoReconcile(pgo57, view(recorded));
    expect(outcome.kind === 'done' && outcome.state.status.patroni).toMatchObject({ switchover: 'one', switchoverTimeline: null });
  });
});

describe('reconcile order and profiles (G:internal/controller/postgrescluster/controller.go)', () => {
  // Proves the upstream order blocks re-creating a deleted instance while a switchover is pending, and both proposals do not.
  it('re-creates the deleted replica only in the proposals', () => {
    const v = replicaDeleted(cluster());
    expect(recreated(pgoReconcile(pgo57, v))).toEqual([]);
    expect(recreated(pgoReconcile(pgo57InstancesBeforeSwitchover, v))).toEqual([B]);
    const deferred = pgoReconcile(pgo57SwitchoverErrorDeferred, v);
    expect(recreated(deferred)).toEqual([B]);
    expect(errorOf(deferred)).toBe('Need more than one instance to switchover');
    expect(deferred.kind === 'done' && deferred.state.writes.some((write) => write.kind === 'event' && write.event.reason === 'SwitchoverFailed')).toBe(true);
  });

  // Proves observedGeneration is set even when a step failed (it is not a success signal upstream).
  it('sets observedGeneration regardless of the error', () => {
    const outcome = pgoReconcile(pgo57, replicaDeleted(cluster({ generation: 4 })));
    expect(outcome.kind === 'done' && outcome.state.status.observedGeneration).toBe(4);
  });

  // Proves the profiles differ only where documented.
  it('orders steps as documented', () => {
    expect(profileStepNames(pgo57)).toEqual(['observeInstances', 'reconcilePatroniStatus', 'reconcilePatroniSwitchover', 'reconcileInstanceSets']);
    expect(profileStepNames(pgo57InstancesBeforeSwitchover)).toEqual(['observeInstances', 'reconcilePatroniStatus', 'reconcileInstanceSets', 'reconcilePatroniSwitchover']);
    expect(pgo57InstancesBeforeSwitchover.upstream).toBe(false);
  });
});
