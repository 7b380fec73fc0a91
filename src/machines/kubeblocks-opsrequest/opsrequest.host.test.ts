import { describe, expect, it } from 'vitest';
import { eventsRecord, type KubeEvent } from '../../sim/events.ts';
import { podNamesOf, type HorizontalScaling } from './hscale.ts';
import { opsByName, opsCancel, opsCreate, opsReconcile, opsRequeueFire, opsRequeuesDue, opsSliceCreate, type OpsHostPort, type OpsSlice } from './opsrequest.host.ts';
import type { OpsRequestSpec } from './opsrequest.objects.ts';
import { opsRequestProperties } from './opsrequest.properties.ts';
import { kubeblocks100, kubeblocks101, type OpsProfile } from './profile.ts';

// A test stand-in for the KubeBlocks world: one cluster, one component, pods that `align` makes
// equal to what the spec generates (the InstanceSet controller in one step). Not a model.
interface FakeWorld {
  readonly now: number;
  readonly slice: OpsSlice;
  readonly clusterPhase: string;
  readonly replicas: number;
  readonly offlineInstances: readonly string[];
  readonly pods: readonly string[];
  readonly events: readonly KubeEvent[];
}

const its = 'kafka-kafka-broker';
const pod = (ordinal: number): string => `${its}-${ordinal}`;

const port: OpsHostPort<FakeWorld> = {
  slice: (world) => world.slice,
  withSlice: (world, slice) => ({ ...world, slice }),
  now: (world) => world.now,
  cluster: (world, name) =>
    name !== 'kafka'
      ? undefined
      : {
          name,
          phase: world.clusterPhase,
          components: [{ name: 'kafka-broker', itsName: its, replicas: world.replicas, offlineInstances: world.offlineInstances, phase: world.clusterPhase }],
        },
  instanceSet: (world, itsName) =>
    itsName === its ? { currentPods: world.pods, notReady: [], notAvailable: [], failed: [], members: null } : undefined,
  writeClusterComponents: (world, _cluster, components) => {
    const component = components[0];
    return component === undefined ? world : { ...world, replicas: component.replicas, offlineInstances: component.offlineInstances };
  },
  recordEvent: (world, event) => ({ ...world, events: eventsRecord(world.events, event, world.now) }),
  livePods: (world) => world.pods,
};

const start: FakeWorld = { now: 0, slice: opsSliceCreate(), clusterPhase: 'Running', replicas: 3, offlineInstances: [], pods: [pod(0), pod(1), pod(2)], events: [] };

function spec(hs: Omit<HorizontalScaling, 'componentName'>, extra: Partial<OpsRequestSpec> = {}): OpsRequestSpec {
  return {
    clusterName: 'kafka',
    type: 'HorizontalScaling',
    horizontalScaling: [{ componentName: 'kafka-broker', ...hs }],
    cancel: false,
    force: false,
    enqueueOnForce: false,
    timeoutSeconds: null,
    ...extra,
  };
}

const align = (world: FakeWorld): FakeWorld => ({ ...world, pods: podNamesOf(its, world) });

/** Reconciles until no ops is dirty, aligning pods after every step when `aligned`. */
function quiesce(world: FakeWorld, profile: OpsProfile, aligned = true): FakeWorld {
  let next = world;
  for (let steps = 0; next.slice.dirty.length > 0; steps++) {
    if (steps > 200) throw new Error('did not quiesce');
    next = opsReconcile(next, port, profile, next.slice.dirty[0] as string);
    if (aligned) next = align(next);
  }
  return next;
}

const phaseOf = (world: FakeWorld, name: string) => opsByName(world.slice, name)?.status.phase;
const takeOffline = spec({ scaleIn: { onlineInstancesToOffline: [pod(2)] } });
const bringBack = spec({ scaleOut: { offlineInstancesToOnline: [pod(2)] } });

describe('OpsRequest controller hosted in a world (opsrequest_controller.go, horizontal_scaling.go)', () => {
  it('takes the last ordinal offline: New → Pending → Creating → Running → Succeed, replicas 3 → 2', () => {
    // Proves the happy path of one HScale ops, including the queue annotation being emptied on completion.
    const world = quiesce(opsCreate(start, port, 'offline-2', takeOffline), kubeblocks100);
    expect(phaseOf(world, 'offline-2')).toBe('Succeed');
    expect(world).toMatchObject({ replicas: 2, offlineInstances: [pod(2)], pods: [pod(0), pod(1)] });
    expect(world.slice.queues).toEqual([{ clusterName: 'kafka', queue: [] }]);
    expect(opsByName(world.slice, 'offline-2')?.status.progress).toBe('1/1');
  });

  it('kubeblocks@1.0.0: bringing the last ordinal back hangs in Running at 0/1 with replicas unchanged', () => {
    // Proves the incident end to end: offlineInstances cleared, replicas 2, the ops waits for a pod that never comes.
    let world = quiesce(opsCreate(start, port, 'offline-2', takeOffline), kubeblocks100);
    world = quiesce(opsCreate(world, port, 'online-2', bringBack), kubeblocks100);
    expect(phaseOf(world, 'online-2')).toBe('Running');
    expect(world).toMatchObject({ replicas: 2, offlineInstances: [], pods: [pod(0), pod(1)] });
    const liveness = opsRequestProperties(port, kubeblocks100).find((property) => property.kind === 'eventually');
    expect(liveness?.holds(world)).toBe(false);
    const explanation = liveness?.explain?.(world);
    expect(explanation?.subject).toEqual({ kind: 'OpsRequest', name: 'online-2', phase: 'Running' });
    expect(explanation?.reason).toContain('0/1');
    expect(explanation?.details?.join('\n')).toContain(`instance brought back online: ${pod(2)}`);
    expect(explanation?.details?.join('\n')).toContain('replicas did not change: 2 before the ops, 2 in the Cluster spec now');
  });

  it('kubeblocks@1.0.1: bringing the last ordinal back succeeds with replicas 3', () => {
    // Proves PR #9405 end to end on the same sequence.
    let world = quiesce(opsCreate(start, port, 'offline-2', takeOffline), kubeblocks101);
    world = quiesce(opsCreate(world, port, 'online-2', bringBack), kubeblocks101);
    expect(phaseOf(world, 'online-2')).toBe('Succeed');
    expect(world).toMatchObject({ replicas: 3, offlineInstances: [], pods: [pod(0), pod(1), pod(2)] });
    for (const property of opsRequestProperties(port, kubeblocks101).filter((candidate) => candidate.kind !== 'sometimes')) {
      expect({ property: property.name, holds: property.holds(world) }).toEqual({ property: property.name, holds: true });
    }
    const cameBack = opsRequestProperties(port, kubeblocks101).find((property) => property.name === 'an offline instance comes back online');
    expect(cameBack?.holds(world)).toBe(true);
  });

  it('a second ops waits in the queue; when the head fails, it is Cancelled by the controller', () => {
    // Proves the queue gate and DequeueOpsRequestInClusterAnnotation's cancellation of waiting entries.
    let world = opsCreate(start, port, 'first', spec({ scaleOut: { replicaChanges: 1 } }));
    world = quiesce(world, kubeblocks101, false);
    expect(phaseOf(world, 'first')).toBe('Running');
    world = quiesce(opsCreate(world, port, 'second', spec({ scaleIn: { replicaChanges: 1 } })), kubeblocks101, false);
    expect(phaseOf(world, 'second')).toBe('Pending');
    // The first ops' new pod fails: the ops completes as Failed.
    world = { ...world, pods: [pod(0), pod(1), pod(2), pod(3)] };
    const failing: OpsHostPort<FakeWorld> = { ...port, instanceSet: (w) => ({ currentPods: w.pods, notReady: [pod(3)], notAvailable: [pod(3)], failed: [pod(3)], members: null }) };
    world = opsReconcile(world, failing, kubeblocks101, 'first');
    expect(phaseOf(world, 'first')).toBe('Failed');
    expect(phaseOf(world, 'second')).toBe('Cancelled');
    expect(opsByName(world.slice, 'second')?.status.conditions.at(-1)?.message).toBe('Cancelled by controller due to the failure of previous OpsRequest "first"');
  });

  it('a queued ops whose turn comes while the cluster is not Running fails validation', () => {
    // Proves ValidateClusterPhase's needCheck for a waiting queue head.
    let world = quiesce(opsCreate(start, port, 'first', spec({ scaleOut: { replicaChanges: 1 } })), kubeblocks101, false);
    world = quiesce(opsCreate(world, port, 'second', spec({ scaleIn: { replicaChanges: 1 } })), kubeblocks101, false);
    world = quiesce({ ...align(world), clusterPhase: 'Updating' }, kubeblocks101, false);
    world = quiesce(opsReconcile(world, port, kubeblocks101, 'first'), kubeblocks101, false);
    expect(phaseOf(world, 'first')).toBe('Succeed');
    expect(phaseOf(world, 'second')).toBe('Failed');
    expect(opsByName(world.slice, 'second')?.status.conditions.at(-1)?.message).toBe(
      'OpsRequest.spec.type=HorizontalScaling is forbidden when Cluster.status.phase=Updating',
    );
  });

  it('a Running HScale that is cancelled rolls the spec back and ends Cancelled', () => {
    // Proves handleCancelSignal + Cancel (restore lastConfiguration) + swapped progress sets.
    let world = quiesce(opsCreate(start, port, 'out', spec({ scaleOut: { replicaChanges: 1 } })), kubeblocks101, false);
    expect(world.replicas).toBe(4);
    world = quiesce(opsCancel(world, port, 'out'), kubeblocks101);
    expect(phaseOf(world, 'out')).toBe('Cancelled');
    expect(world).toMatchObject({ replicas: 3, pods: [pod(0), pod(1), pod(2)] });
  });

  it('a hung ops with timeoutSeconds is Aborted when the time is up', () => {
    // Proves checkAndHandleOpsTimeout's requeue and Aborted transition.
    let world = quiesce(opsCreate(start, port, 'offline-2', takeOffline), kubeblocks100);
    world = quiesce(opsCreate(world, port, 'online-2', spec({ scaleOut: { offlineInstancesToOnline: [pod(2)] } }, { timeoutSeconds: 30 })), kubeblocks100);
    expect(phaseOf(world, 'online-2')).toBe('Running');
    world = { ...world, now: world.now + 30 };
    for (const name of opsRequeuesDue(world.slice, world.now)) world = opsRequeueFire(world, port, name);
    world = quiesce(world, kubeblocks100);
    expect(phaseOf(world, 'online-2')).toBe('Aborted');
    expect(opsByName(world.slice, 'online-2')?.status.conditions.at(-1)?.message).toBe('Aborted due to exceeding the specified timeout period (timeoutSeconds)');
  });
  it('a Running ops whose InstanceSet is missing records the error, warns, and requeues with backoff', () => {
    // Proves the error path: ControllerError with a count, a ReconcileStatusFailed Warning, and a RequeueAfter.
    let world = quiesce(opsCreate(start, port, 'out', spec({ scaleOut: { replicaChanges: 1 } })), kubeblocks101, false);
    const blind: OpsHostPort<FakeWorld> = { ...port, instanceSet: () => undefined };
    world = opsReconcile({ ...world, slice: { ...world.slice, dirty: ['out'] } }, blind, kubeblocks101, 'out');
    expect(world.slice.errors).toEqual([{ controller: 'opsrequest', key: 'out', message: 'InstanceSet of component kafka-broker not found', count: 1, lastTick: 0 }]);
    expect(world.events.at(-1)).toMatchObject({ type: 'Warning', reason: 'ReconcileStatusFailed', involvedObject: 'OpsRequest/out' });
    expect(world.slice.requeues).toEqual([{ name: 'out', dueTick: 1 }]);
  });
});
