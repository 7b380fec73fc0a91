/**
 * The OpsRequest controller's reconcile of one OpsRequest, as `reconcile(view, name) → writes`
 * (DESIGN.md §1), for HorizontalScaling. It reads a view of the world (the ops, its Cluster with the
 * queue annotation, the InstanceSets' status) and returns the writes the host applies one by one.
 *
 * Upstream, in the order the reconcile runs: `controllers/operations/opsrequest_controller.go`
 * (Reconcile → handleCancelSignal → handleOpsRequestByPhase), `pkg/operations/ops_manager.go`
 * (Do: ValidateOps, doPreConditionAndTransPhaseToCreating, Action; Reconcile: ReconcileAction,
 * checkAndHandleOpsTimeout), `pkg/operations/horizontal_scaling.go` (Action, ReconcileAction,
 * SaveLastConfiguration, Cancel).
 */
import { unreachable } from '../../sim/assert.ts';
import type { KubeEventInput } from '../../sim/events.ts';
import type { Tick } from '../../sim/ticks.ts';
import {
  actionFatalError,
  createdAndDeletedPodSets,
  expectedComponentValues,
  validateHorizontalScaling,
  type ComponentShape,
  type HorizontalScaling,
} from './hscale.ts';
import type { OpsRequestEvent } from './opsrequest.events.ts';
import { abortedByTimeoutMessage, isOpsTerminal } from './opsrequest.machine.ts';
import { lastConfigurationOf, type LastComponentConfiguration, type OpsComponentStatus, type OpsRequest, type OpsRequestStatus } from './opsrequest.objects.ts';
import type { OpsProfile } from './profile.ts';
import { jsonEqual } from '../kubeblocks/memo.ts';
import { opsOutcome, progressText, scalingReplicasProgress, type ComponentProgress, type InstanceSetProgressView } from './progress.ts';
import { enqueueOps, needsClusterPhaseCheck, type OpsRecorder } from './queue.ts';

/** One component of the Cluster as the ops controller reads it. */
export interface OpsClusterComponentView extends ComponentShape {
  /** Short name in `spec.componentSpecs` (`kafka-broker`). */
  readonly name: string;
  /** The InstanceSet (and pod-name prefix): `<cluster>-<component>`. */
  readonly itsName: string;
  /** `cluster.status.components[c].phase`. */
  readonly phase: string;
}

/** The Cluster as the ops controller reads it. */
export interface OpsClusterView {
  readonly name: string;
  readonly phase: string;
  readonly components: readonly OpsClusterComponentView[];
  /** The `kubeblocks.io/ops-request` annotation. */
  readonly queue: readonly OpsRecorder[];
}

/** What one reconcile reads. */
export interface OpsControllerView {
  readonly now: Tick;
  readonly profile: OpsProfile;
  readonly opsRequests: readonly OpsRequest[];
  cluster(name: string): OpsClusterView | undefined;
  instanceSet(itsName: string): InstanceSetProgressView | undefined;
}

/** A status patch of the ops (fields other than phase and conditions, which the machine owns). */
export type OpsStatusPatch = Partial<Pick<OpsRequestStatus, 'lastConfiguration' | 'startTick' | 'progress' | 'components'>>;

/** One write the host applies. */
export type OpsWrite =
  | { readonly kind: 'ops.event'; readonly name: string; readonly event: OpsRequestEvent }
  | { readonly kind: 'ops.status'; readonly name: string; readonly patch: OpsStatusPatch }
  | { readonly kind: 'cluster.components'; readonly clusterName: string; readonly components: readonly (ComponentShape & { readonly name: string })[] }
  | { readonly kind: 'cluster.queue'; readonly clusterName: string; readonly queue: readonly OpsRecorder[] }
  | { readonly kind: 'event'; readonly event: KubeEventInput };

/** The outcome of one reconcile: writes, an optional requeue, and the error it returned. */
export interface OpsReconcileResult {
  readonly writes: readonly OpsWrite[];
  readonly requeueAfterTicks: number | null;
  readonly error: string | null;
}

/** HScale, VScale, Restart, Switchover, Upgrade may start only from these (`GetClusterUpRunningPhases`). */
export const hscaleFromClusterPhases: readonly string[] = ['Running', 'Abnormal', 'Failed'];

const done = (writes: readonly OpsWrite[] = [], requeueAfterTicks: number | null = null): OpsReconcileResult => ({ writes, requeueAfterTicks, error: null });
const event = (name: string, opsEvent: OpsRequestEvent): OpsWrite => ({ kind: 'ops.event', name, event: opsEvent });

/** Reconciles OpsRequest `name`. */
export function reconcileOpsRequest(view: OpsControllerView, name: string): OpsReconcileResult {
  const ops = view.opsRequests.find((candidate) => candidate.name === name);
  if (ops === undefined) return done();
  const cluster = view.cluster(ops.spec.clusterName);
  if (cluster === undefined) return { writes: [], requeueAfterTicks: null, error: `Cluster.apps.kubeblocks.io "${ops.spec.clusterName}" not found` };
  const phase = ops.status.phase;
  if (isOpsTerminal(phase)) return cleanupQueue(ops, cluster);
  const cancel = handleCancelSignal(view, ops, cluster);
  if (cancel !== null) return cancel;
  switch (phase) {
    case 'New':
      return done([event(name, { type: 'ops.observed' })]);
    case 'Pending':
    case 'Creating':
    case 'Running':
    case 'Cancelling':
      return phaseHandler(view, ops, cluster);
    case 'Succeed':
    case 'Failed':
    case 'Cancelled':
    case 'Aborted':
      return cleanupQueue(ops, cluster);
    default:
      return unreachable(phase, 'OpsRequest phase');
  }
}

// handleUnsuccessfulCompletionOpsRequest → cleanupOpsAnnotationForCluster: a completed ops leaves the queue.
function cleanupQueue(ops: OpsRequest, cluster: OpsClusterView): OpsReconcileResult {
  if (!cluster.queue.some((entry) => entry.name === ops.name)) return done();
  return done([{ kind: 'cluster.queue', clusterName: cluster.name, queue: cluster.queue.filter((entry) => entry.name !== ops.name) }]);
}

// handleCancelSignal: null when the reconcile goes on to the phase handler.
function handleCancelSignal(view: OpsControllerView, ops: OpsRequest, cluster: OpsClusterView): OpsReconcileResult | null {
  const phase = ops.status.phase;
  // Phase "" is first turned into Pending; the cancel is handled on the next reconcile (simplification).
  if (!ops.spec.cancel || phase === 'Cancelling' || phase === 'New') return null;
  if (phase === 'Pending') return done([event(ops.name, { type: 'cancel.requested' })]);
  if (!ops.lifecycle.context.cancellable) {
    const warning: KubeEventInput = {
      type: 'Warning',
      reason: 'CancelActionNotSupported',
      message: `Type: ${ops.spec.type} does not support cancel action if the phase is not Pending.`,
      involvedObject: `OpsRequest/${ops.name}`,
      source: 'opsrequest-controller',
    };
    const rest = phaseHandler(view, ops, cluster);
    return { ...rest, writes: [{ kind: 'event', event: warning }, ...rest.writes] };
  }
  // horizontal_scaling.go Cancel: restore replicas and offlineInstances from lastConfiguration.
  const restored = ops.spec.horizontalScaling.flatMap((hs) => {
    const last = lastConfigurationOf(ops, hs.componentName);
    return last === undefined ? [] : [{ name: hs.componentName, replicas: last.replicas, offlineInstances: last.offlineInstances }];
  });
  return done([{ kind: 'cluster.components', clusterName: cluster.name, components: restored }, event(ops.name, { type: 'cancel.requested' })]);
}

// handleOpsRequestByPhase for the non-terminal phases past New.
function phaseHandler(view: OpsControllerView, ops: OpsRequest, cluster: OpsClusterView): OpsReconcileResult {
  const phase = ops.status.phase;
  return phase === 'Running' || phase === 'Cancelling' ? reconcileRunning(view, ops, cluster) : doOpsRequestAction(view, ops, cluster);
}

function componentOf(cluster: OpsClusterView, name: string): OpsClusterComponentView | undefined {
  return cluster.components.find((component) => component.name === name);
}

// ops_manager.go Do(): ValidateOps, then Pending → pre-conditions, Creating → Action.
function doOpsRequestAction(view: OpsControllerView, ops: OpsRequest, cluster: OpsClusterView): OpsReconcileResult {
  const invalid = validateOps(ops, cluster);
  if (invalid !== null) return done([event(ops.name, { type: 'validation.failed', message: invalid })]);
  return ops.status.phase === 'Pending' ? preConditionsAndStart(view, ops, cluster) : horizontalScalingAction(view, ops, cluster);
}

/** ValidateOps: the cluster-phase gate (needCheck) and the HScale spec rules, or null. */
export function validateOps(ops: OpsRequest, cluster: OpsClusterView): string | null {
  const forced = ops.spec.force && ops.spec.type !== 'Start';
  if (!forced && !hscaleFromClusterPhases.includes(cluster.phase) && needsClusterPhaseCheck(cluster.queue, ops.name)) {
    return `OpsRequest.spec.type=${ops.spec.type} is forbidden when Cluster.status.phase=${cluster.phase}`;
  }
  if (ops.spec.horizontalScaling.length === 0) return 'spec.horizontalScaling can not be empty';
  const missing = ops.spec.horizontalScaling.filter((hs) => componentOf(cluster, hs.componentName) === undefined).map((hs) => hs.componentName);
  if (missing.length > 0) return `components: [${missing.join(' ')}] not found, in cluster.spec.componentSpecs or cluster.spec.shardingSpecs`;
  for (const hs of ops.spec.horizontalScaling) {
    const live = componentOf(cluster, hs.componentName) as OpsClusterComponentView;
    const invalid = validateHorizontalScaling(hs, lastConfigurationOf(ops, hs.componentName) ?? live);
    if (invalid !== null) return invalid;
  }
  return null;
}

// doPreConditionAndTransPhaseToCreating: enqueue; a waiting ops stays Pending; else save lastConfiguration and go Creating.
function preConditionsAndStart(view: OpsControllerView, ops: OpsRequest, cluster: OpsClusterView): OpsReconcileResult {
  const enqueued = enqueueOps(cluster.queue, { name: ops.name, type: ops.spec.type, force: ops.spec.force, enqueueOnForce: ops.spec.enqueueOnForce });
  if (enqueued.kind === 'fatal') return done([event(ops.name, { type: 'validation.failed', message: enqueued.message })]);
  const queueWrite: OpsWrite[] = enqueued.queue === cluster.queue ? [] : [{ kind: 'cluster.queue', clusterName: cluster.name, queue: enqueued.queue }];
  if (enqueued.recorder.inQueue) return done(queueWrite);
  const lastConfiguration: LastComponentConfiguration[] = ops.spec.horizontalScaling.map((hs) => {
    const live = componentOf(cluster, hs.componentName) as OpsClusterComponentView;
    return { componentName: hs.componentName, replicas: live.replicas, offlineInstances: live.offlineInstances };
  });
  return done([
    ...queueWrite,
    { kind: 'ops.status', name: ops.name, patch: { lastConfiguration, startTick: view.now } },
    event(ops.name, { type: 'ops.started' }),
  ]);
}

// horizontal_scaling.go Action: write replicas and offlineInstances computed from lastConfiguration.
function horizontalScalingAction(view: OpsControllerView, ops: OpsRequest, cluster: OpsClusterView): OpsReconcileResult {
  if (cluster.phase === 'Stopped' || cluster.phase === 'Stopping') {
    return done([event(ops.name, { type: 'action.failed', message: 'please start the cluster before scaling the cluster horizontally' })]);
  }
  const conflict = conflictWithEarlierOps(view, ops, cluster);
  if (conflict !== null) return done([event(ops.name, { type: 'action.failed', message: conflict })]);
  const components: (ComponentShape & { name: string })[] = [];
  for (const hs of ops.spec.horizontalScaling) {
    const live = componentOf(cluster, hs.componentName) as OpsClusterComponentView;
    const last = lastConfigurationOf(ops, hs.componentName) ?? live;
    const fatal = actionFatalError(live.itsName, last, hs, view.profile);
    if (fatal !== null) return done([event(ops.name, { type: 'action.failed', message: fatal })]);
    components.push({ name: hs.componentName, ...expectedComponentValues(live.itsName, last, hs, view.profile) });
  }
  return done([{ kind: 'cluster.components', clusterName: cluster.name, components }, event(ops.name, { type: 'action.applied' })]);
}

/**
 * abortEarlierOpsRequestWithSameKind, 1.0: an earlier replica HScale is not aborted; the new ops
 * fails if it would take offline a pod the earlier, running ops is creating. Only reachable with
 * `force`, since HScale queues by cluster.
 */
function conflictWithEarlierOps(view: OpsControllerView, ops: OpsRequest, cluster: OpsClusterView): string | null {
  for (const earlier of view.opsRequests) {
    if (earlier.sequence >= ops.sequence || earlier.spec.type !== 'HorizontalScaling') continue;
    if (isOpsTerminal(earlier.status.phase) || earlier.status.phase === 'Pending' || earlier.status.phase === 'New') continue;
    for (const mine of ops.spec.horizontalScaling) {
      const theirs = earlier.spec.horizontalScaling.find((hs) => hs.componentName === mine.componentName);
      const live = componentOf(cluster, mine.componentName);
      const theirLast = lastConfigurationOf(earlier, mine.componentName);
      const myLast = lastConfigurationOf(ops, mine.componentName);
      if (theirs === undefined || live === undefined || theirLast === undefined || myLast === undefined) continue;
      const created = createdAndDeletedPodSets(live.itsName, theirLast, theirs, view.profile, false).created;
      const deleted = createdAndDeletedPodSets(live.itsName, myLast, mine, view.profile, false).deleted;
      const clash = deleted.find((pod) => created.includes(pod));
      if (clash !== undefined) return `instance "${clash}" cannot be taken offline as it has been created by another running opsRequest "${earlier.name}"`;
    }
  }
  return null;
}

// ReconcileAction (HScale): progress per component, then the outcome, then the timeout.
function reconcileRunning(view: OpsControllerView, ops: OpsRequest, cluster: OpsClusterView): OpsReconcileResult {
  const cancelling = ops.status.phase === 'Cancelling';
  const progressed: { hs: HorizontalScaling; progress: ComponentProgress; phase: string; replicas: number }[] = [];
  for (const hs of ops.spec.horizontalScaling) {
    const live = componentOf(cluster, hs.componentName);
    const last = lastConfigurationOf(ops, hs.componentName);
    const its = live === undefined ? undefined : view.instanceSet(live.itsName);
    if (live === undefined || last === undefined || its === undefined) {
      const message = `InstanceSet of component ${hs.componentName} not found`;
      // reconcileStatusDuringRunningOrCanceling: a failed ReconcileAction is a Warning Event, then a requeue.
      const warning: KubeEventInput = {
        type: 'Warning',
        reason: 'ReconcileStatusFailed',
        message: `Failed to reconcile the status of OpsRequest: ${message}`,
        involvedObject: `OpsRequest/${ops.name}`,
        source: 'opsrequest-controller',
      };
      return { writes: [{ kind: 'event', event: warning }], requeueAfterTicks: null, error: message };
    }
    const previous = ops.status.components.find((entry) => entry.componentName === hs.componentName)?.progressDetails ?? [];
    const sets = createdAndDeletedPodSets(live.itsName, last, hs, view.profile, cancelling);
    progressed.push({ hs, progress: scalingReplicasProgress(hs.componentName, sets, its, previous), phase: live.phase, replicas: live.replicas });
  }
  const components: OpsComponentStatus[] = progressed.map((entry) => ({
    componentName: entry.hs.componentName,
    phase: entry.phase,
    progressDetails: entry.progress.details,
  }));
  const progress = progressText(progressed);
  const writes: OpsWrite[] = statusChanged(ops, progress, components) ? [{ kind: 'ops.status', name: ops.name, patch: { progress, components } }] : [];
  const outcome = opsOutcome(progressed.map((entry) => ({ progress: entry.progress, noWaitComponentCompleted: true, componentPhase: entry.phase, replicas: entry.replicas })));
  if (outcome === 'Succeed') return done([...writes, event(ops.name, { type: 'progress.succeeded' })]);
  if (outcome === 'Failed') return done([...writes, event(ops.name, { type: 'progress.failed', message: '' })]);
  return checkTimeout(view, ops, writes);
}

function statusChanged(ops: OpsRequest, progress: string, components: readonly OpsComponentStatus[]): boolean {
  return ops.status.progress !== progress || !jsonEqual(ops.status.components, components);
}

// checkAndHandleOpsTimeout: Aborted at startTimestamp + timeoutSeconds, else requeue at that point.
function checkTimeout(view: OpsControllerView, ops: OpsRequest, writes: readonly OpsWrite[]): OpsReconcileResult {
  const timeout = ops.spec.timeoutSeconds;
  if (timeout === null || timeout === 0 || ops.status.startTick === null) return done(writes);
  const deadline = ops.status.startTick + timeout;
  if (view.now >= deadline) return done([...writes, event(ops.name, { type: 'timeout.expired', message: abortedByTimeoutMessage })]);
  return done(writes, deadline - view.now);
}
