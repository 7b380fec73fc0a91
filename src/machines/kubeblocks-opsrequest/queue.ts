/**
 * The per-cluster OpsRequest queue: the Cluster annotation `kubeblocks.io/ops-request`, a JSON list
 * of `{name, type, inQueue, queueBySelf}` (kubeblocks.md §3.2). Pure functions over the list.
 *
 * Upstream: `pkg/operations/queue_util.go` (enqueueOpsRequestToClusterAnnotation,
 * existOtherRunningOps, DequeueOpsRequestInClusterAnnotation).
 */
import type { OpsType } from './opsrequest.events.ts';

/** One entry of the queue annotation (`OpsRecorder`). */
export interface OpsRecorder {
  readonly name: string;
  readonly type: OpsType;
  /** True while the ops waits behind a running one. */
  readonly inQueue: boolean;
  readonly queueBySelf: boolean;
}

/** `opsRequestQueueLimitSize`: a 21st entry makes the new ops fail. */
export const opsRequestQueueLimitSize = 20;

/** How an ops type queues (OpsBehaviour.QueueByCluster / QueueBySelf). */
export interface OpsQueueBehaviour {
  readonly queueByCluster: boolean;
  readonly queueBySelf: boolean;
}

/** HScale, VScale, Restart, Start and Stop all queue by cluster (kubeblocks.md §3.2). */
export function queueBehaviourOf(type: OpsType): OpsQueueBehaviour {
  switch (type) {
    case 'HorizontalScaling':
    case 'VerticalScaling':
    case 'Restart':
    case 'Start':
    case 'Stop':
      return { queueByCluster: true, queueBySelf: false };
    // restore.go registers Restore with IsClusterCreation only: it creates its cluster, no queue.
    case 'Restore':
      return { queueByCluster: false, queueBySelf: false };
  }
}

/** existOtherRunningOps: some entry of the same scope is not waiting (so it runs). */
export function existOtherRunningOps(queue: readonly OpsRecorder[], type: OpsType, behaviour: OpsQueueBehaviour): boolean {
  return queue.some((entry) => {
    if (behaviour.queueByCluster && entry.queueBySelf) return false;
    if (behaviour.queueBySelf && entry.type !== type) return false;
    return !entry.inQueue;
  });
}

/** The ops to enqueue: its name, type and the force flags. */
export interface OpsToEnqueue {
  readonly name: string;
  readonly type: OpsType;
  readonly force: boolean;
  readonly enqueueOnForce: boolean;
}

/** The outcome of enqueueing: the new list, this ops' entry, or a Fatal error. */
export type EnqueueResult =
  | { readonly kind: 'ok'; readonly queue: readonly OpsRecorder[]; readonly recorder: OpsRecorder }
  | { readonly kind: 'fatal'; readonly message: string };

/** enqueueOpsRequestToClusterAnnotation: add the ops (waiting if another runs), or let a waiting one run. */
export function enqueueOps(queue: readonly OpsRecorder[], ops: OpsToEnqueue): EnqueueResult {
  const behaviour = queueBehaviourOf(ops.type);
  if (!behaviour.queueByCluster && !behaviour.queueBySelf) {
    // Types that do not queue are never written into the annotation.
    return { kind: 'ok', queue, recorder: { name: ops.name, type: ops.type, inQueue: false, queueBySelf: false } };
  }
  const index = queue.findIndex((entry) => entry.name === ops.name);
  if (index === -1) {
    if (queue.length >= opsRequestQueueLimitSize) {
      return { kind: 'fatal', message: `The opsRequest queue is limited to a size of ${opsRequestQueueLimitSize}` };
    }
    const skipsQueue = ops.force && !ops.enqueueOnForce;
    const recorder: OpsRecorder = {
      name: ops.name,
      type: ops.type,
      queueBySelf: behaviour.queueBySelf,
      inQueue: !skipsQueue && existOtherRunningOps(queue, ops.type, behaviour),
    };
    return { kind: 'ok', queue: queue.concat([recorder]), recorder };
  }
  const recorder = queue[index] as OpsRecorder;
  if (!recorder.inQueue) return { kind: 'ok', queue, recorder };
  if (!ops.force && existOtherRunningOps(queue, recorder.type, behaviour)) return { kind: 'ok', queue, recorder };
  // Mark to handle the next opsRequest. Upstream returns the recorder as it was read (still
  // inQueue), so the ops stays Pending for this reconcile and starts on the next one.
  const running: OpsRecorder = { ...recorder, inQueue: false };
  return { kind: 'ok', queue: queue.map((entry, position) => (position === index ? running : entry)), recorder };
}

/** The outcome of dequeueing: the new list and the waiting ops the controller must cancel. */
export interface DequeueResult {
  readonly queue: readonly OpsRecorder[];
  readonly cancelled: readonly string[];
}

/**
 * DequeueOpsRequestInClusterAnnotation: a completed ops leaves the queue. A Failed queue head also
 * cancels every entry still waiting behind it ("Cancelled by controller due to the failure of
 * previous OpsRequest"); running entries stay.
 */
export function dequeueOps(queue: readonly OpsRecorder[], name: string, failed: boolean): DequeueResult {
  const index = queue.findIndex((entry) => entry.name === name);
  if (index === -1) return { queue, cancelled: [] };
  if (failed && index === 0) {
    const rest = queue.slice(1);
    return { queue: rest.filter((entry) => !entry.inQueue), cancelled: rest.filter((entry) => entry.inQueue).map((entry) => entry.name) };
  }
  return { queue: queue.filter((_, position) => position !== index), cancelled: [] };
}

/** The message of the CancelByController condition. */
export function cancelledByControllerMessage(failedHead: string): string {
  return `Cancelled by controller due to the failure of previous OpsRequest "${failedHead}"`;
}

/** True when `name` may pass the queue gate: enqueued and not waiting. */
export function isRunningInQueue(queue: readonly OpsRecorder[], name: string): boolean {
  const entry = queue.find((candidate) => candidate.name === name);
  return entry !== undefined && !entry.inQueue;
}

/**
 * ValidateClusterPhase's needCheck (opsrequest_validation.go): the cluster phase is checked only
 * when the queue is empty, or when this ops is the queue head and still waiting.
 */
export function needsClusterPhaseCheck(queue: readonly OpsRecorder[], name: string): boolean {
  const head = queue[0];
  return head === undefined || (head.name === name && head.inQueue);
}
