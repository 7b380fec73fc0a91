/**
 * Events of the OpsRequest machine: facts the OpsRequest controller established during one
 * reconcile (or a user's `spec.cancel`), dot-namespaced.
 */

/** The OpsRequest types this model knows; HorizontalScaling has a handler here, Restore in `kubeblocks-restore/`. */
export type OpsType = 'HorizontalScaling' | 'VerticalScaling' | 'Restart' | 'Start' | 'Stop' | 'Restore';

export type OpsRequestEvent =
  /** First reconcile of an object whose phase is "" (handleOpsRequestByPhase). */
  | { readonly type: 'ops.observed' }
  /** ValidateOps (spec or cluster phase) failed in Pending or Creating. */
  | { readonly type: 'validation.failed'; readonly message: string }
  /** The controller saw `spec.cancel: true` (handleCancelSignal). */
  | { readonly type: 'cancel.requested' }
  /** The queue head failed while this ops waited in the queue (queue_util.go). */
  | { readonly type: 'queue.cancelledByController'; readonly message: string }
  /** Pre-conditions passed and lastConfiguration was saved (patchOpsRequestToCreating). */
  | { readonly type: 'ops.started' }
  /** The handler's Action wrote the Cluster spec. */
  | { readonly type: 'action.applied' }
  /** The Action returned a Fatal error. */
  | { readonly type: 'action.failed'; readonly message: string }
  /** ReconcileAction reported every component completed without a Failed progress detail. */
  | { readonly type: 'progress.succeeded' }
  /** ReconcileAction reported every component completed with some Failed progress detail. */
  | { readonly type: 'progress.failed'; readonly message: string }
  /** now ≥ startTimestamp + timeoutSeconds (checkAndHandleOpsTimeout). */
  | { readonly type: 'timeout.expired'; readonly message: string }
  /** A later ops aborted this one (abortEarlierOpsRequestWithSameKind). */
  | { readonly type: 'ops.overridden'; readonly message: string };

/** Every event type, for the state × event walk. */
export const opsRequestEventTypes: readonly OpsRequestEvent['type'][] = [
  'ops.observed',
  'validation.failed',
  'cancel.requested',
  'queue.cancelledByController',
  'ops.started',
  'action.applied',
  'action.failed',
  'progress.succeeded',
  'progress.failed',
  'timeout.expired',
  'ops.overridden',
];

/** One example of each event type (messages filled in), for tests and drawings. */
export function opsRequestEventExample(type: OpsRequestEvent['type']): OpsRequestEvent {
  switch (type) {
    case 'ops.observed':
    case 'cancel.requested':
    case 'ops.started':
    case 'action.applied':
    case 'progress.succeeded':
      return { type };
    case 'validation.failed':
    case 'queue.cancelledByController':
    case 'action.failed':
    case 'progress.failed':
    case 'timeout.expired':
    case 'ops.overridden':
      return { type, message: `example ${type}` };
  }
}
