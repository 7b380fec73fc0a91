import { describe, expect, it } from 'vitest';
import { machineInit, machineStep, type MachineState } from '../../sim/machine-host.ts';
import { opsRequestEventExample, opsRequestEventTypes, type OpsRequestEvent, type OpsType } from './opsrequest.events.ts';
import { opsPhases, opsRequestEventTable, opsRequestMachine, type OpsCondition, type OpsPhase, type OpsRequestContext } from './opsrequest.machine.ts';

type State = MachineState<OpsRequestContext>;

function start(type: OpsType = 'HorizontalScaling'): State {
  return machineInit<OpsRequestContext>(opsRequestMachine, { name: 'hscale-1', clusterName: 'kafka', type }).state;
}

function at(phase: OpsPhase, type: OpsType = 'HorizontalScaling'): State {
  return { value: phase, context: start(type).context };
}

function send(state: State, event: OpsRequestEvent) {
  return machineStep<OpsRequestContext>(opsRequestMachine, state, event);
}

function conditions(step: ReturnType<typeof send>): OpsCondition[] {
  return step.effects.flatMap((effect) => (effect.kind === 'effect' && effect.type === 'setCondition' ? [effect.params as OpsCondition] : []));
}

describe('OpsRequest phases (opsrequest_controller.go, ops_manager.go; kubeblocks.md §3.1)', () => {
  it('starts in New (phase "") and the first reconcile makes it Pending with WaitForProgressing', () => {
    // Proves handleOpsRequestByPhase case "": Pending plus NewWaitForProcessingCondition.
    const step = send(start(), { type: 'ops.observed' });
    expect(step.state.value).toBe('Pending');
    expect(conditions(step)).toEqual([
      {
        type: 'WaitForProgressing',
        status: 'True',
        reason: 'WaitForProgressing',
        message: 'wait for the controller to process the OpsRequest: hscale-1 in Cluster: kafka',
        eventType: 'Normal',
      },
    ]);
  });

  it('Pending → Creating once pre-conditions pass, with Validated and HorizontalScaling conditions', () => {
    // Proves patchOpsRequestToCreating writes the validate-passed and action-started conditions.
    const step = send(at('Pending'), { type: 'ops.started' });
    expect(step.state.value).toBe('Creating');
    expect(conditions(step).map((condition) => condition.reason)).toEqual(['ValidateOpsRequestPassed', 'HorizontalScalingStarted']);
  });

  it('a failed validation in Pending or Creating makes it Failed with reason ValidateFailed', () => {
    // Proves Do(): ValidateOps runs in both phases and patchValidateErrorCondition fails the ops.
    for (const phase of ['Pending', 'Creating'] as const) {
      const step = send(at(phase), { type: 'validation.failed', message: 'bad spec' });
      expect(step.state.value).toBe('Failed');
      expect(conditions(step)).toEqual([{ type: 'Validated', status: 'False', reason: 'ValidateFailed', message: 'bad spec', eventType: 'Warning' }]);
    }
  });

  it('Creating → Running when the Action succeeds, → Failed on a Fatal Action error', () => {
    // Proves doOpsRequestAction patches Running after Do(), and a Fatal error fails the ops.
    expect(send(at('Creating'), { type: 'action.applied' }).state.value).toBe('Running');
    const fatal = send(at('Creating'), { type: 'action.failed', message: 'instance "x" specified in onlineInstancesToOffline is not online' });
    expect(fatal.state.value).toBe('Failed');
    expect(conditions(fatal)[0]?.reason).toBe('OpsRequestFailed');
  });

  it('Running → Succeed or Failed by the progress outcome', () => {
    // Proves Reconcile(): ReconcileAction's Succeed/Failed phase with its condition.
    const ok = send(at('Running'), { type: 'progress.succeeded' });
    expect(ok.state.value).toBe('Succeed');
    expect(conditions(ok)[0]?.message).toBe('Successfully processed the OpsRequest: hscale-1 in Cluster: kafka');
    const bad = send(at('Running'), { type: 'progress.failed', message: '' });
    expect(bad.state.value).toBe('Failed');
    expect(conditions(bad)[0]?.message).toBe('Failed to process OpsRequest: hscale-1 in cluster: kafka, more detailed information in status.components');
  });

  it('Running → Aborted on timeoutSeconds or when overridden', () => {
    // Proves checkAndHandleOpsTimeout and abortEarlierOpsRequestWithSameKind both end in Aborted.
    const timeout = send(at('Running'), { type: 'timeout.expired', message: 'Aborted due to exceeding the specified timeout period (timeoutSeconds)' });
    expect(timeout.state.value).toBe('Aborted');
    expect(conditions(timeout)[0]).toMatchObject({ type: 'Aborted', reason: 'Aborted' });
    expect(send(at('Running'), { type: 'ops.overridden', message: 'overwritten' }).state.value).toBe('Aborted');
  });

  it('cancel: Pending → Cancelled for any type; Creating/Running → Cancelling only for HScale and VScale', () => {
    // Proves handleCancelSignal: Pending is cancelled directly; later phases need a CancelFunc.
    expect(send(at('Pending', 'Restart'), { type: 'cancel.requested' }).state.value).toBe('Cancelled');
    for (const phase of ['Creating', 'Running'] as const) {
      expect(send(at(phase, 'HorizontalScaling'), { type: 'cancel.requested' }).state.value).toBe('Cancelling');
      expect(send(at(phase, 'VerticalScaling'), { type: 'cancel.requested' }).state.value).toBe('Cancelling');
      const restart = send(at(phase, 'Restart'), { type: 'cancel.requested' });
      expect(restart.changed).toBe(false);
    }
  });

  it('Cancelling → Cancelled whether the rollback succeeded or failed', () => {
    // Proves handleOpsCompleted: in Cancelling the phase is Cancelled with CancelSucceed or CancelFailed.
    const ok = send(at('Cancelling'), { type: 'progress.succeeded' });
    expect(ok.state.value).toBe('Cancelled');
    expect(conditions(ok)[0]?.reason).toBe('CancelSucceed');
    const bad = send(at('Cancelling'), { type: 'progress.failed', message: '' });
    expect(bad.state.value).toBe('Cancelled');
    expect(conditions(bad)[0]?.reason).toBe('CancelFailed');
  });

  it('a failed queue head cancels a queued Pending ops with reason CancelByController', () => {
    // Proves queue_util.go DequeueOpsRequestInClusterAnnotation's cancellation of InQueue entries.
    const message = 'Cancelled by controller due to the failure of previous OpsRequest "hscale-0"';
    const step = send(at('Pending'), { type: 'queue.cancelledByController', message });
    expect(step.state.value).toBe('Cancelled');
    expect(conditions(step)).toEqual([{ type: 'Cancelled', status: 'True', reason: 'CancelByController', message, eventType: 'Normal' }]);
  });
});

describe('state × event walk', () => {
  it('every phase lists every event exactly once as handled or ignored', () => {
    // Proves the table is complete and has no event in both lists.
    for (const phase of opsPhases) {
      const { handled, ignored } = opsRequestEventTable[phase];
      expect([...handled, ...ignored].sort()).toEqual([...opsRequestEventTypes].sort());
    }
  });

  it('ignored events leave the state untouched and handled events change it, in every phase', () => {
    // Proves the machine agrees with the table for every (phase, event) pair (HScale, so the cancel guard passes).
    for (const phase of opsPhases) {
      for (const type of opsRequestEventTypes) {
        const step = send(at(phase), opsRequestEventExample(type));
        const handled = opsRequestEventTable[phase].handled.includes(type);
        expect({ phase, type, changed: step.changed }).toEqual({ phase, type, changed: handled });
      }
    }
  });

  it('terminal phases ignore everything', () => {
    // Proves Succeed, Failed, Cancelled and Aborted are absorbing.
    for (const phase of ['Succeed', 'Failed', 'Cancelled', 'Aborted'] as const) {
      expect(opsRequestEventTable[phase].handled).toEqual([]);
    }
  });
});
