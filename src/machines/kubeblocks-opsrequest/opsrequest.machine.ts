/**
 * The OpsRequest lifecycle (`status.phase`) as an XState machine. The OpsRequest controller decides
 * what happened (a validation failed, the Action wrote the Cluster, progress completed) and sends it
 * here as a fact; the machine owns which phase follows and which status condition is written.
 *
 * Facts: shared/reference/kubeblocks.md §3.1. Upstream: `controllers/operations/opsrequest_controller.go`
 * (handleOpsRequestByPhase, handleCancelSignal, doOpsRequestAction), `pkg/operations/ops_manager.go`
 * (Do, Reconcile, checkAndHandleOpsTimeout), `pkg/operations/queue_util.go`,
 * `apis/operations/v1alpha1/opsrequest_conditions.go` (condition types, reasons and messages).
 *
 * `New` stands for the empty phase "" of a freshly created object.
 */
import { setup } from 'xstate';
import { opsRequestEventTypes, type OpsRequestEvent, type OpsType } from './opsrequest.events.ts';

/** Every phase, in upstream spelling, plus `New` for "". */
export const opsPhases = ['New', 'Pending', 'Creating', 'Running', 'Cancelling', 'Succeed', 'Failed', 'Cancelled', 'Aborted'] as const;
export type OpsPhase = (typeof opsPhases)[number];

/** The "complete" phases (OpsRequest.IsComplete). */
export const opsTerminalPhases: readonly OpsPhase[] = ['Succeed', 'Failed', 'Cancelled', 'Aborted'];

/** True for Succeed, Failed, Cancelled and Aborted. */
export function isOpsTerminal(phase: OpsPhase): boolean {
  return opsTerminalPhases.includes(phase);
}

/** Types that register a CancelFunc (horizontal_scaling.go, vertical_scaling.go). */
export function isOpsTypeCancellable(type: OpsType): boolean {
  return type === 'HorizontalScaling' || type === 'VerticalScaling';
}

export interface OpsRequestInput {
  readonly name: string;
  readonly clusterName: string;
  readonly type: OpsType;
}

/** Small and bounded: who the ops is, nothing that grows. */
export interface OpsRequestContext extends OpsRequestInput {
  readonly cancellable: boolean;
}

/** A status condition the host writes into `status.conditions` and records as an Event. */
export interface OpsCondition {
  readonly type: string;
  readonly status: 'True' | 'False';
  readonly reason: string;
  readonly message: string;
  /** Warning when the phase the condition comes with is Failed (ops_util.go PatchOpsStatus). */
  readonly eventType: 'Normal' | 'Warning';
}

type Ctx = { context: OpsRequestContext };
type CtxEvent = { context: OpsRequestContext; event: OpsRequestEvent };

function messageOf(event: OpsRequestEvent): string {
  return 'message' in event ? event.message : '';
}

// opsrequest_conditions.go: NewWaitForProcessingCondition
const waitForProcessing = ({ context }: Ctx): OpsCondition => ({
  type: 'WaitForProgressing',
  status: 'True',
  reason: 'WaitForProgressing',
  message: `wait for the controller to process the OpsRequest: ${context.name} in Cluster: ${context.clusterName}`,
  eventType: 'Normal',
});

// NewValidateFailedCondition(ReasonValidateFailed, err)
const validateFailed = ({ event }: CtxEvent): OpsCondition => ({
  type: 'Validated',
  status: 'False',
  reason: 'ValidateFailed',
  message: messageOf(event),
  eventType: 'Warning',
});

// patchOpsRequestToCreating: NewValidatePassedCondition, then the handler's ActionStartedCondition.
const validatePassed = ({ context }: Ctx): OpsCondition => ({
  type: 'Validated',
  status: 'True',
  reason: 'ValidateOpsRequestPassed',
  message: `OpsRequest: ${context.name} is validated`,
  eventType: 'Normal',
});

// NewHorizontalScalingCondition / NewVerticalScalingCondition; other types get a generic started condition.
const actionStarted = ({ context }: Ctx): OpsCondition => {
  if (context.type === 'HorizontalScaling') {
    return {
      type: 'HorizontalScaling',
      status: 'True',
      reason: 'HorizontalScalingStarted',
      message: `Start to horizontal scale replicas in Cluster: ${context.clusterName}`,
      eventType: 'Normal',
    };
  }
  if (context.type === 'VerticalScaling') {
    return {
      type: 'VerticalScaling',
      status: 'True',
      reason: 'VerticalScalingStarted',
      message: `Start to vertical scale resources in Cluster: ${context.clusterName}`,
      eventType: 'Normal',
    };
  }
  // NewRestoreCondition: upstream reuses ConditionTypeBackup for the restore's started condition.
  if (context.type === 'Restore') {
    return { type: 'Backup', status: 'True', reason: 'RestoreStarted', message: `Start to restore the Cluster: ${context.clusterName}`, eventType: 'Normal' };
  }
  return { type: context.type, status: 'True', reason: `${context.type}Started`, message: `Start ${context.type} in Cluster: ${context.clusterName}`, eventType: 'Normal' };
};

// NewFailedCondition: the error text when there is one, else the generic message.
const failed = ({ context, event }: CtxEvent): OpsCondition => ({
  type: 'Failed',
  status: 'False',
  reason: 'OpsRequestFailed',
  message:
    messageOf(event) ||
    `Failed to process OpsRequest: ${context.name} in cluster: ${context.clusterName}, more detailed information in status.components`,
  eventType: 'Warning',
});

const succeed = ({ context }: Ctx): OpsCondition => ({
  type: 'Succeed',
  status: 'True',
  reason: 'OpsRequestProcessedSuccessfully',
  message: `Successfully processed the OpsRequest: ${context.name} in Cluster: ${context.clusterName}`,
  eventType: 'Normal',
});

const canceling = ({ context }: Ctx): OpsCondition => ({
  type: 'Cancelled',
  status: 'False',
  reason: 'Canceling',
  message: `Start to cancel the OpsRequest "${context.name}" in Cluster: "${context.clusterName}"`,
  eventType: 'Normal',
});

const cancelSucceed = ({ context }: Ctx): OpsCondition => ({
  type: 'Cancelled',
  status: 'True',
  reason: 'CancelSucceed',
  message: `Cancel OpsRequest "${context.name}" successfully`,
  eventType: 'Normal',
});

const cancelFailed = ({ context, event }: CtxEvent): OpsCondition => ({
  type: 'Cancelled',
  status: 'True',
  reason: 'CancelFailed',
  message: messageOf(event) || `Failed to cancel OpsRequest "${context.name}"`,
  eventType: 'Normal',
});

// queue_util.go DequeueOpsRequestInClusterAnnotation: a failed queue head cancels what waits behind it.
const cancelByController = ({ event }: CtxEvent): OpsCondition => ({
  type: 'Cancelled',
  status: 'True',
  reason: 'CancelByController',
  message: messageOf(event),
  eventType: 'Normal',
});

// NewAbortedCondition(message): the timeout text, or "overwritten" by a later ops.
const aborted = ({ event }: CtxEvent): OpsCondition => ({ type: 'Aborted', status: 'True', reason: 'Aborted', message: messageOf(event), eventType: 'Normal' });

/** The message checkAndHandleOpsTimeout writes. */
export const abortedByTimeoutMessage = 'Aborted due to exceeding the specified timeout period (timeoutSeconds)';

export const opsRequestMachine = setup({
  types: {
    context: {} as OpsRequestContext,
    events: {} as OpsRequestEvent,
    input: {} as OpsRequestInput,
  },
  guards: {
    isCancellable: ({ context }) => context.cancellable,
  },
  actions: {
    // Performed by the host: write the condition into status.conditions and record an Event.
    setCondition: (_, _params: OpsCondition) => {},
  },
}).createMachine({
  id: 'opsRequest',
  context: ({ input }) => ({ ...input, cancellable: isOpsTypeCancellable(input.type) }),
  initial: 'New',
  states: {
    New: {
      on: { 'ops.observed': { target: 'Pending', actions: { type: 'setCondition', params: waitForProcessing } } },
    },
    Pending: {
      on: {
        'validation.failed': { target: 'Failed', actions: { type: 'setCondition', params: validateFailed } },
        // handleCancelSignal: a Pending ops is cancelled at once, for every type.
        'cancel.requested': { target: 'Cancelled' },
        'queue.cancelledByController': { target: 'Cancelled', actions: { type: 'setCondition', params: cancelByController } },
        'ops.started': {
          target: 'Creating',
          actions: [
            { type: 'setCondition', params: validatePassed },
            { type: 'setCondition', params: actionStarted },
          ],
        },
        'ops.overridden': { target: 'Aborted', actions: { type: 'setCondition', params: aborted } },
      },
    },
    Creating: {
      on: {
        'validation.failed': { target: 'Failed', actions: { type: 'setCondition', params: validateFailed } },
        // handleCancelSignal runs before the phase handler: any non-Pending, non-complete phase with a CancelFunc.
        'cancel.requested': { guard: 'isCancellable', target: 'Cancelling', actions: { type: 'setCondition', params: canceling } },
        'action.applied': { target: 'Running' },
        'action.failed': { target: 'Failed', actions: { type: 'setCondition', params: failed } },
        'ops.overridden': { target: 'Aborted', actions: { type: 'setCondition', params: aborted } },
      },
    },
    Running: {
      on: {
        'cancel.requested': { guard: 'isCancellable', target: 'Cancelling', actions: { type: 'setCondition', params: canceling } },
        'progress.succeeded': { target: 'Succeed', actions: { type: 'setCondition', params: succeed } },
        'progress.failed': { target: 'Failed', actions: { type: 'setCondition', params: failed } },
        'timeout.expired': { target: 'Aborted', actions: { type: 'setCondition', params: aborted } },
        'ops.overridden': { target: 'Aborted', actions: { type: 'setCondition', params: aborted } },
      },
    },
    Cancelling: {
      on: {
        // handleOpsCompleted: in Cancelling the outcome is Cancelled either way, with its own condition.
        'progress.succeeded': { target: 'Cancelled', actions: { type: 'setCondition', params: cancelSucceed } },
        'progress.failed': { target: 'Cancelled', actions: { type: 'setCondition', params: cancelFailed } },
        // ops_manager.go Reconcile checks the timeout in Cancelling too.
        'timeout.expired': { target: 'Aborted', actions: { type: 'setCondition', params: aborted } },
        'ops.overridden': { target: 'Aborted', actions: { type: 'setCondition', params: aborted } },
      },
    },
    Succeed: {},
    Failed: {},
    Cancelled: {},
    Aborted: {},
  },
});

const allEvents = opsRequestEventTypes;
function table(handled: readonly OpsRequestEvent['type'][]): { readonly handled: readonly OpsRequestEvent['type'][]; readonly ignored: readonly OpsRequestEvent['type'][] } {
  return { handled, ignored: allEvents.filter((type) => !handled.includes(type)) };
}

/**
 * What each phase does with each event: `handled` may move it (guards aside), `ignored` leaves it
 * where it is (a late progress report for a finished ops, a cancel of a completed one, …).
 * The state × event walk test checks this table against the machine.
 */
export const opsRequestEventTable: Readonly<
  Record<OpsPhase, { readonly handled: readonly OpsRequestEvent['type'][]; readonly ignored: readonly OpsRequestEvent['type'][] }>
> = {
  New: table(['ops.observed']),
  Pending: table(['validation.failed', 'cancel.requested', 'queue.cancelledByController', 'ops.started', 'ops.overridden']),
  Creating: table(['validation.failed', 'cancel.requested', 'action.applied', 'action.failed', 'ops.overridden']),
  Running: table(['cancel.requested', 'progress.succeeded', 'progress.failed', 'timeout.expired', 'ops.overridden']),
  Cancelling: table(['progress.succeeded', 'progress.failed', 'timeout.expired', 'ops.overridden']),
  Succeed: table([]),
  Failed: table([]),
  Cancelled: table([]),
  Aborted: table([]),
};
