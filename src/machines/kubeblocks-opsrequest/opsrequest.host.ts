/**
 * Hosts the OpsRequest controller inside any world: the OpsRequest objects, the per-cluster queue
 * annotation, the controller's work queue (dirty keys and RequeueAfter timers) and its errors live
 * in an {@link OpsSlice}; everything else (the Cluster spec, InstanceSet status, the Events log) is
 * reached through an {@link OpsHostPort} the composing scenario provides. Pure functions.
 *
 * Watches, as upstream (`opsrequest_controller.go` SetupWithManager): an ops is reconciled when it
 * changes; when its Cluster or an InstanceSet of that Cluster changes, the running ops of the cluster
 * and the first waiting one are (getRunningOpsRequestsFromCluster).
 */
import { assert } from '../../sim/assert.ts';
import type { KubeEventInput } from '../../sim/events.ts';
import { checkLimit } from '../../sim/limits.ts';
import { machineStep, stateValueText } from '../../sim/machine-host.ts';
import { machineInitState } from '../kubeblocks/memo.ts';
import type { ControllerError } from '../../sim/model.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { ComponentShape } from './hscale.ts';
import { reconcileOpsRequest, type OpsClusterView, type OpsControllerView, type OpsWrite } from './opsrequest.controller.ts';
import type { OpsRequestEvent } from './opsrequest.events.ts';
import { isOpsTerminal, opsRequestMachine, type OpsCondition, type OpsPhase, type OpsRequestContext } from './opsrequest.machine.ts';
import type { ComponentAtCompletion, OpsRequest, OpsRequestSpec } from './opsrequest.objects.ts';
import type { OpsProfile } from './profile.ts';
import type { InstanceSetProgressView } from './progress.ts';
import { cancelledByControllerMessage, dequeueOps, type OpsRecorder } from './queue.ts';
import { exponentialBackoffTicks } from '../../sim/backoff.ts';

/** OpsRequests one world may hold. */
export const opsRequestsMax = 64;
/** The longest controller-runtime backoff after a reconcile error, in ticks. */
export const opsErrorBackoffTicksMax = 60;

/** The OpsRequest part of a world. */
export interface OpsSlice {
  readonly opsRequests: readonly OpsRequest[];
  /** The `kubeblocks.io/ops-request` annotation of each cluster. */
  readonly queues: readonly { readonly clusterName: string; readonly queue: readonly OpsRecorder[] }[];
  /** Ops whose reconcile is due (the controller's work queue), oldest first. */
  readonly dirty: readonly string[];
  /** RequeueAfter timers. */
  readonly requeues: readonly { readonly name: string; readonly dueTick: Tick }[];
  readonly errors: readonly ControllerError[];
  readonly nextSequence: number;
}

/** How the slice reaches the rest of the world. */
export interface OpsHostPort<W> {
  slice(world: W): OpsSlice;
  withSlice(world: W, slice: OpsSlice): W;
  now(world: W): Tick;
  /** The Cluster as the ops controller reads it; the queue is filled in from the slice. */
  cluster(world: W, name: string): Omit<OpsClusterView, 'queue'> | undefined;
  instanceSet(world: W, itsName: string): InstanceSetProgressView | undefined;
  /** Update `spec.componentSpecs[c].{replicas, offlineInstances}` (a Cluster spec update). */
  writeClusterComponents(world: W, clusterName: string, components: readonly (ComponentShape & { readonly name: string })[]): W;
  recordEvent(world: W, event: KubeEventInput): W;
  /** Pods of the InstanceSet that exist and are not terminating (for the completion record). */
  livePods(world: W, itsName: string): readonly string[];
}

export function opsSliceCreate(): OpsSlice {
  return { opsRequests: [], queues: [], dirty: [], requeues: [], errors: [], nextSequence: 0 };
}

/**
 * `slice` in the one V8 shape of its kind, keys in `opsSliceCreate`'s order: the slice is replaced
 * by spreads at many sites, each of which would give it a map of its own (14 in a warm swarm) and
 * make every read of it megamorphic (see kubeblocks/shapes.ts). A host's `withSlice` stores it so.
 */
export function shapedOpsSlice(slice: OpsSlice): OpsSlice {
  return { opsRequests: slice.opsRequests, queues: slice.queues, dirty: slice.dirty, requeues: slice.requeues, errors: slice.errors, nextSequence: slice.nextSequence };
}

function queueOf(slice: OpsSlice, clusterName: string): readonly OpsRecorder[] {
  return slice.queues.find((entry) => entry.clusterName === clusterName)?.queue ?? [];
}

function markDirty(slice: OpsSlice, name: string): OpsSlice {
  return slice.dirty.includes(name) ? slice : { ...slice, dirty: slice.dirty.concat([name]) };
}

function replaceOps(slice: OpsSlice, ops: OpsRequest): OpsSlice {
  return { ...slice, opsRequests: slice.opsRequests.map((existing) => (existing.name === ops.name ? ops : existing)) };
}

/** The ops called `name`, if any. */
export function opsByName(slice: OpsSlice, name: string): OpsRequest | undefined {
  return slice.opsRequests.find((ops) => ops.name === name);
}

/** A user creates an OpsRequest (`kubectl apply`). */
export function opsCreate<W>(world: W, port: OpsHostPort<W>, name: string, spec: OpsRequestSpec): W {
  const slice = port.slice(world);
  assert(opsByName(slice, name) === undefined, `OpsRequest ${name} already exists`);
  checkLimit('opsRequestsMax', slice.opsRequests.length + 1, opsRequestsMax, `creating ${name}`);
  const lifecycle = machineInitState<OpsRequestContext>(opsRequestMachine, { name, clusterName: spec.clusterName, type: spec.type });
  const ops: OpsRequest = {
    name,
    sequence: slice.nextSequence,
    createdTick: port.now(world),
    spec,
    status: { phase: 'New', lastConfiguration: null, startTick: null, completionTick: null, progress: '', components: [], conditions: [], atCompletion: null },
    lifecycle,
  };
  const next = markDirty({ ...slice, opsRequests: slice.opsRequests.concat([ops]), nextSequence: slice.nextSequence + 1 }, name);
  return port.withSlice(world, next);
}

/** A user sets `spec.cancel: true`. */
export function opsCancel<W>(world: W, port: OpsHostPort<W>, name: string): W {
  const slice = port.slice(world);
  const ops = opsByName(slice, name);
  assert(ops !== undefined, `OpsRequest ${name} does not exist`);
  if (ops.spec.cancel) return world;
  return port.withSlice(world, markDirty(replaceOps(slice, { ...ops, spec: { ...ops.spec, cancel: true } }), name));
}

/** The Cluster (or one of its InstanceSets) changed: wake its running ops and its first waiting one. */
export function opsOnClusterChanged<W>(world: W, port: OpsHostPort<W>, clusterName: string): W {
  let slice = port.slice(world);
  const queue = queueOf(slice, clusterName);
  const firstWaiting = queue.find((entry) => entry.inQueue);
  for (const entry of queue) {
    if (!entry.inQueue || entry === firstWaiting) slice = markDirty(slice, entry.name);
  }
  return slice === port.slice(world) ? world : port.withSlice(world, slice);
}

function viewOf<W>(world: W, port: OpsHostPort<W>, profile: OpsProfile): OpsControllerView {
  const slice = port.slice(world);
  return {
    now: port.now(world),
    profile,
    opsRequests: slice.opsRequests,
    cluster: (name) => {
      const cluster = port.cluster(world, name);
      return cluster === undefined ? undefined : { ...cluster, queue: queueOf(slice, name) };
    },
    instanceSet: (itsName) => port.instanceSet(world, itsName),
  };
}

/** One reconcile of OpsRequest `name`: run it, then apply its writes one at a time. */
export function opsReconcile<W>(world: W, port: OpsHostPort<W>, profile: OpsProfile, name: string): W {
  const before = port.slice(world);
  const slice: OpsSlice = { ...before, dirty: before.dirty.filter((key) => key !== name), requeues: before.requeues.filter((entry) => entry.name !== name) };
  let next = port.withSlice(world, slice);
  const result = reconcileOpsRequest(viewOf(next, port, profile), name);
  for (const write of result.writes) next = applyWrite(next, port, write);
  if (result.error !== null) return recordError(next, port, name, result.error);
  if (result.requeueAfterTicks !== null) next = requeueAfter(next, port, name, result.requeueAfterTicks);
  return next;
}

function requeueAfter<W>(world: W, port: OpsHostPort<W>, name: string, delayTicks: number): W {
  assert(Number.isSafeInteger(delayTicks) && delayTicks > 0, `requeue of ${name} after ${delayTicks} ticks`);
  const slice = port.slice(world);
  const dueTick = port.now(world) + delayTicks;
  const existing = slice.requeues.find((entry) => entry.name === name);
  if (existing !== undefined && existing.dueTick <= dueTick) return world;
  const requeues = slice.requeues.filter((entry) => entry.name !== name).concat([{ name, dueTick }]);
  return port.withSlice(world, { ...slice, requeues });
}

// controller-runtime requeues a failed reconcile with exponential backoff.
function recordError<W>(world: W, port: OpsHostPort<W>, name: string, message: string): W {
  const slice = port.slice(world);
  const now = port.now(world);
  const previous = slice.errors.find((error) => error.key === name && error.message === message);
  const count = (previous?.count ?? 0) + 1;
  const error: ControllerError = { controller: 'opsrequest', key: name, message, count, lastTick: now };
  const errors = slice.errors.filter((existing) => existing !== previous).concat([error]);
  const backoff = exponentialBackoffTicks(count, 1, opsErrorBackoffTicksMax);
  return requeueAfter(port.withSlice(world, { ...slice, errors }), port, name, backoff);
}

/** The tick of the earliest RequeueAfter timer, or null. */
export function opsNextDueTick(slice: OpsSlice): Tick | null {
  return slice.requeues.reduce<Tick | null>((min, entry) => (min === null || entry.dueTick < min ? entry.dueTick : min), null);
}

/** Ops whose RequeueAfter timer is due at `now`, in (dueTick, name) order. */
export function opsRequeuesDue(slice: OpsSlice, now: Tick): readonly string[] {
  return slice.requeues
    .filter((entry) => entry.dueTick <= now)
    .sort((left, right) => left.dueTick - right.dueTick || (left.name < right.name ? -1 : left.name > right.name ? 1 : 0))
    .map((entry) => entry.name);
}

/** A due RequeueAfter timer fires: the ops goes back on the work queue. */
export function opsRequeueFire<W>(world: W, port: OpsHostPort<W>, name: string): W {
  const slice = port.slice(world);
  assert(slice.requeues.some((entry) => entry.name === name && entry.dueTick <= port.now(world)), `requeue of ${name} is not due`);
  return port.withSlice(world, markDirty({ ...slice, requeues: slice.requeues.filter((entry) => entry.name !== name) }, name));
}

function applyWrite<W>(world: W, port: OpsHostPort<W>, write: OpsWrite): W {
  switch (write.kind) {
    case 'ops.event':
      return applyOpsEvent(world, port, write.name, write.event);
    case 'ops.status': {
      const slice = port.slice(world);
      const ops = opsByName(slice, write.name);
      assert(ops !== undefined, `status patch of missing OpsRequest ${write.name}`);
      return port.withSlice(world, markDirty(replaceOps(slice, { ...ops, status: { ...ops.status, ...write.patch } }), write.name));
    }
    case 'cluster.components':
      return port.writeClusterComponents(world, write.clusterName, write.components);
    case 'cluster.queue':
      return writeQueue(world, port, write.clusterName, write.queue);
    case 'event':
      return port.recordEvent(world, write.event);
  }
}

function writeQueue<W>(world: W, port: OpsHostPort<W>, clusterName: string, queue: readonly OpsRecorder[]): W {
  const slice = port.slice(world);
  const queues = slice.queues.filter((entry) => entry.clusterName !== clusterName).concat([{ clusterName, queue }]);
  queues.sort((left, right) => (left.clusterName < right.clusterName ? -1 : left.clusterName > right.clusterName ? 1 : 0));
  // The annotation is on the Cluster: its watch wakes the cluster's ops.
  return opsOnClusterChanged(port.withSlice(world, { ...slice, queues }), port, clusterName);
}

// meta.SetStatusCondition: one condition per type, replaced in place.
function setCondition(conditions: readonly OpsCondition[], condition: OpsCondition): readonly OpsCondition[] {
  const index = conditions.findIndex((existing) => existing.type === condition.type);
  return index === -1 ? conditions.concat([condition]) : conditions.map((existing, position) => (position === index ? condition : existing));
}

/** Steps the ops' lifecycle; on a terminal phase sets completionTick and dequeues (PatchOpsStatus). */
function applyOpsEvent<W>(world: W, port: OpsHostPort<W>, name: string, opsEvent: OpsRequestEvent): W {
  const slice = port.slice(world);
  const ops = opsByName(slice, name);
  assert(ops !== undefined, `event ${opsEvent.type} for missing OpsRequest ${name}`);
  const step = machineStep<OpsRequestContext>(opsRequestMachine, ops.lifecycle, opsEvent);
  if (!step.changed) return world;
  const phase = stateValueText(step.state.value) as OpsPhase;
  let conditions = ops.status.conditions;
  let next = world;
  for (const effect of step.effects) {
    // The message is built only on failure (this runs for every OpsRequest machine step).
    if (effect.kind !== 'effect' || effect.type !== 'setCondition') assert(false, `unexpected OpsRequest effect ${JSON.stringify(effect)}`);
    const condition = effect.params as OpsCondition;
    conditions = setCondition(conditions, condition);
    next = port.recordEvent(next, {
      type: condition.eventType,
      reason: condition.reason,
      message: condition.message,
      involvedObject: `OpsRequest/${name}`,
      source: 'opsrequest-controller',
    });
  }
  const terminal = isOpsTerminal(phase);
  const updated: OpsRequest = {
    ...ops,
    lifecycle: step.state,
    status: {
      ...ops.status,
      phase,
      conditions,
      completionTick: terminal ? port.now(world) : ops.status.completionTick,
      atCompletion: terminal ? componentsNow(world, port, ops) : ops.status.atCompletion,
    },
  };
  next = port.withSlice(next, markDirty(replaceOps(port.slice(next), updated), name));
  return terminal ? dequeue(next, port, updated) : next;
}

function componentsNow<W>(world: W, port: OpsHostPort<W>, ops: OpsRequest): readonly ComponentAtCompletion[] {
  const cluster = port.cluster(world, ops.spec.clusterName);
  if (cluster === undefined) return [];
  return ops.spec.horizontalScaling.flatMap((hs) => {
    const component = cluster.components.find((candidate) => candidate.name === hs.componentName);
    if (component === undefined) return [];
    const spec = { replicas: component.replicas, offlineInstances: component.offlineInstances };
    return [{ componentName: hs.componentName, spec, pods: port.livePods(world, component.itsName) }];
  });
}

// DequeueOpsRequestInClusterAnnotation, and the cancellation of what waited behind a failed head.
function dequeue<W>(world: W, port: OpsHostPort<W>, ops: OpsRequest): W {
  const clusterName = ops.spec.clusterName;
  const queue = queueOf(port.slice(world), clusterName);
  const result = dequeueOps(queue, ops.name, ops.status.phase === 'Failed');
  let next = result.queue === queue ? world : writeQueue(world, port, clusterName, result.queue);
  for (const cancelled of result.cancelled) {
    next = applyOpsEvent(next, port, cancelled, { type: 'queue.cancelledByController', message: cancelledByControllerMessage(ops.name) });
  }
  return next;
}
