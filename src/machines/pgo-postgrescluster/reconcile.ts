/**
 * PGO's `Reconciler.Reconcile` (G:`internal/controller/postgrescluster/controller.go`) as an
 * ordered list of named steps. Upstream wraps every call in `if err == nil`, so the first error
 * skips every later step; then, regardless of the error, `status.observedGeneration` is set and the
 * status is patched. A step may also suspend the reconcile on a `kubectl exec` that takes time
 * (`patronictl switchover` waits for the election); the host resumes the same step with the result.
 *
 * Steps are data in a profile ({@link PgoProfile}), so a what-if script can reorder or replace one.
 */
import { assert, unreachable } from '../../sim/assert.ts';
import type { KubeEventInput } from '../../sim/events.ts';
import type { ExecResult } from '../patroni-member/rest-api.ts';
import type { PgoView, PostgresClusterStatus } from './postgrescluster.ts';

/** An instance as `observeInstances` builds it: a name, its pods, and whether its StatefulSet exists. */
export interface ObservedInstance {
  readonly name: string;
  readonly instanceSet: string;
  readonly hasRunner: boolean;
  readonly pods: readonly string[];
}

/** A command PGO runs in a pod that outlives one step: the host performs it and resumes the step. */
export interface PgoExecRequest {
  readonly pod: string;
  readonly command: 'switchover' | 'failover';
  /** `--candidate=`: a pod name, or null for an empty candidate. */
  readonly candidate: string | null;
}

/** Writes a reconcile makes, applied by the host in order. */
export type PgoWrite =
  | { readonly kind: 'statefulset.apply'; readonly name: string; readonly instanceSet: string }
  | { readonly kind: 'pvc.apply'; readonly name: string; readonly instance: string; readonly instanceSet: string }
  | { readonly kind: 'event'; readonly event: KubeEventInput };

/** What the steps of one reconcile share. */
export interface ReconcileState {
  readonly status: PostgresClusterStatus;
  readonly observed: readonly ObservedInstance[];
  readonly writes: readonly PgoWrite[];
  /** Errors of steps whose profile defers them: the reconcile goes on and returns the first at the end. */
  readonly deferredErrors: readonly { readonly step: string; readonly message: string }[];
}

export type StepResult =
  | { readonly kind: 'continue' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'exec'; readonly request: PgoExecRequest };

export interface StepInput {
  readonly view: PgoView;
  readonly state: ReconcileState;
  /** The result of this step's exec when the reconcile resumes, else null. */
  readonly resumed: ExecResult | null;
}

export interface StepOutput {
  readonly state: ReconcileState;
  readonly result: StepResult;
}

/** One named step; `onError` says whether an error returns early (upstream) or is deferred (a proposal). */
export interface ReconcileStep {
  readonly name: string;
  readonly onError: 'return' | 'defer';
  run(input: StepInput): StepOutput;
}

/** A behaviour profile: a named step order. `upstream` is false for a proposal nobody shipped. */
export interface PgoProfile {
  readonly name: string;
  readonly upstream: boolean;
  readonly summary: string;
  readonly steps: readonly ReconcileStep[];
}

/** A reconcile waiting for an exec, to be resumed by the host. */
export interface SuspendedReconcile {
  readonly stepIndex: number;
  readonly state: ReconcileState;
  readonly request: PgoExecRequest;
}

export type ReconcileOutcome =
  | { readonly kind: 'done'; readonly state: ReconcileState; readonly error: { readonly step: string; readonly message: string } | null }
  | { readonly kind: 'suspended'; readonly suspended: SuspendedReconcile };

export const reconcileStepsMax = 64;

/** Runs a reconcile from the first step. */
export function pgoReconcile(profile: PgoProfile, view: PgoView): ReconcileOutcome {
  const state: ReconcileState = { status: view.cluster.status, observed: [], writes: [], deferredErrors: [] };
  return runFrom(profile, view, state, 0, null);
}

/** Resumes a suspended reconcile with its exec result (the view is the fresh world; the state is what the steps had). */
export function pgoResume(profile: PgoProfile, view: PgoView, suspended: SuspendedReconcile, result: ExecResult): ReconcileOutcome {
  return runFrom(profile, view, suspended.state, suspended.stepIndex, result);
}

function runFrom(profile: PgoProfile, view: PgoView, initial: ReconcileState, from: number, resumed: ExecResult | null): ReconcileOutcome {
  assert(profile.steps.length <= reconcileStepsMax, `profile ${profile.name} has more than reconcileStepsMax steps`);
  let state = initial;
  for (let index = from; index < profile.steps.length; index++) {
    const step = profile.steps[index];
    assert(step !== undefined, `step ${index} of ${profile.name}`);
    const output = step.run({ view, state, resumed: index === from ? resumed : null });
    state = output.state;
    const result = output.result;
    switch (result.kind) {
      case 'continue':
        break;
      case 'exec':
        return { kind: 'suspended', suspended: { stepIndex: index, state, request: result.request } };
      case 'error':
        if (step.onError === 'return') return finish(view, state, { step: step.name, message: result.message });
        state = { ...state, deferredErrors: state.deferredErrors.concat([{ step: step.name, message: result.message }]) };
        break;
      default:
        return unreachable(result, 'step result');
    }
  }
  return finish(view, state, state.deferredErrors[0] ?? null);
}

// controller.go: observedGeneration is set and the status patched whether or not a step failed.
function finish(view: PgoView, state: ReconcileState, error: { step: string; message: string } | null): ReconcileOutcome {
  const status = state.status.observedGeneration === view.cluster.generation ? state.status : { ...state.status, observedGeneration: view.cluster.generation };
  return { kind: 'done', state: { ...state, status }, error };
}

/** A copy of `profile` named `name` with step `stepName` replaced by `replacement`. */
export function profileReplaceStep(profile: PgoProfile, stepName: string, replacement: ReconcileStep, name: string, summary: string): PgoProfile {
  const index = profile.steps.findIndex((step) => step.name === stepName);
  assert(index >= 0, `profile ${profile.name} has no step ${stepName}`);
  return { name, upstream: false, summary, steps: profile.steps.map((step, at) => (at === index ? replacement : step)) };
}

/** A copy of `profile` named `name` with step `stepName` moved to just before `beforeName`. */
export function profileMoveStepBefore(profile: PgoProfile, stepName: string, beforeName: string, name: string, summary: string): PgoProfile {
  const moved = profile.steps.find((step) => step.name === stepName);
  assert(moved !== undefined, `profile ${profile.name} has no step ${stepName}`);
  const rest = profile.steps.filter((step) => step.name !== stepName);
  const index = rest.findIndex((step) => step.name === beforeName);
  assert(index >= 0, `profile ${profile.name} has no step ${beforeName}`);
  return { name, upstream: false, summary, steps: rest.slice(0, index).concat([moved], rest.slice(index)) };
}

/** The step names of a profile, in order (for docs and what-if output). */
export function profileStepNames(profile: PgoProfile): readonly string[] {
  return profile.steps.map((step) => step.name);
}
