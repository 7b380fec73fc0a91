/**
 * The instance lifecycle shared by Longhorn engines and replicas: `status.currentState` among
 * `stopped`, `starting`, `running`, `stopping`, `error`, `unknown`, plus `status.started`.
 *
 * One generic handler drives both upstream (controller/instance_handler.go, ReconcileInstanceState
 * and syncStatusWithInstanceManager); so one machine, instantiated twice with different ids.
 * Events are facts the handler observed:
 * - `instance.createFailed`: CreateInstance returned an error. The handler records `FailedStarting`
 *   and returns *before any status sync*, so the state does not change (reference §1.3). This is
 *   the rule that keeps a replica on a re-imaged disk `stopped` forever (upstream #10385).
 * - `instance.processDeleted`: desireState=stopped and the process was deleted: `started=false`.
 * - `instance.observed`: the status sync, with what the instance manager reported.
 */
import { assign, setup } from 'xstate';
import { unreachable } from '../../sim/assert.ts';

/** `InstanceState` (k8s/pkg/apis/longhorn/v1beta2/instancemanager.go). */
export type InstanceState = 'stopped' | 'starting' | 'running' | 'stopping' | 'error' | 'unknown';
export const instanceStates: readonly InstanceState[] = ['stopped', 'starting', 'running', 'stopping', 'error', 'unknown'];

/** What the instance manager looks like from the handler (missing = no IM pod/CR on the node). */
export type ImObservation = 'missing' | 'unknown' | 'stopped' | 'error' | 'starting' | 'running';
/** The instance's process as the IM lists it. */
export type ProcessObservation = 'missing' | 'starting' | 'running' | 'stopping' | 'stopped' | 'error';

export interface InstanceContext {
  /** `status.started`: the process was running at some point since the last stop. */
  readonly started: boolean;
}

export type InstanceEvent =
  | { readonly type: 'instance.createFailed'; readonly message: string }
  | { readonly type: 'instance.processDeleted' }
  | {
      readonly type: 'instance.observed';
      readonly im: ImObservation;
      readonly process: ProcessObservation;
      /** False when a running process sits on an IM of another node (the NodeID mismatch rule). */
      readonly nodeMatches: boolean;
    };

export const instanceEventTypes: readonly InstanceEvent['type'][] = ['instance.createFailed', 'instance.processDeleted', 'instance.observed'];

/**
 * The state the status sync derives (controller/instance_handler.go, syncStatusWithInstanceManager).
 * `error` requires `started`: an instance that never ran falls back to `stopped`, never `error`.
 */
export function deriveInstanceState(
  started: boolean,
  current: InstanceState,
  im: ImObservation,
  process: ProcessObservation,
  nodeMatches: boolean,
): InstanceState {
  switch (im) {
    case 'missing':
    case 'unknown':
      return started ? 'unknown' : 'stopped';
    case 'stopped':
    case 'error':
      return started ? 'error' : 'stopped';
    case 'starting':
      return started ? 'error' : current;
    case 'running':
      break;
    default:
      return unreachable(im, 'instance manager observation');
  }
  switch (process) {
    case 'missing':
      return started ? 'error' : 'stopped';
    case 'starting':
      return 'starting';
    case 'running':
      return nodeMatches ? 'running' : 'error';
    case 'stopping':
      return started ? 'error' : 'stopping';
    case 'stopped':
      return started ? 'error' : 'stopped';
    case 'error':
      return 'error';
    default:
      return unreachable(process, 'process observation');
  }
}

type ObservedEvent = Extract<InstanceEvent, { type: 'instance.observed' }>;

function derivesTo(context: InstanceContext, event: InstanceEvent, current: InstanceState, target: InstanceState): boolean {
  if (event.type !== 'instance.observed') return false;
  const observed: ObservedEvent = event;
  return deriveInstanceState(context.started, current, observed.im, observed.process, observed.nodeMatches) === target;
}

/**
 * Transitions on `instance.observed` from `current` to every other state, guarded by the
 * derivation; deriving the current state again is no transition at all (the snapshot keeps its identity).
 */
function observedTransitions(current: InstanceState) {
  return instanceStates
    .filter((target) => target !== current)
    .map((target) => ({
      guard: { type: 'derivesTo' as const, params: { current, target } },
      target,
      actions: target === 'running' ? ['markStarted' as const] : [],
    }));
}

function stateNode(state: InstanceState) {
  const base = {
    'instance.observed': observedTransitions(state),
    'instance.processDeleted': { guard: 'isStarted' as const, actions: ['clearStarted' as const] },
  };
  // Only a stopped instance is ever asked to create; elsewhere a create failure cannot happen.
  // The failure changes nothing here on purpose: the handler returns before any status sync, so
  // the instance stays `stopped` (the host records `FailedStarting` itself — a targetless
  // transition's actions do not reach the host when the snapshot is unchanged).
  if (state !== 'stopped') return { on: base };
  return { on: { ...base, 'instance.createFailed': { actions: [] } } };
}

/** Events a state leaves alone on purpose (the every-state × every-event walk reads this). */
export const instanceIgnored: Readonly<Record<InstanceState, readonly InstanceEvent['type'][]>> = {
  stopped: [],
  starting: ['instance.createFailed'],
  running: ['instance.createFailed'],
  stopping: ['instance.createFailed'],
  error: ['instance.createFailed'],
  unknown: ['instance.createFailed'],
};

/** Builds the instance machine under `id` (`longhorn-engine`, `longhorn-replica`). */
export function createInstanceMachine(id: string) {
  return setup({
    types: { context: {} as InstanceContext, events: {} as InstanceEvent },
    guards: {
      derivesTo: ({ context, event }, params: { current: InstanceState; target: InstanceState }) =>
        derivesTo(context, event, params.current, params.target),
      isStarted: ({ context }) => context.started,
    },
    actions: {
      markStarted: assign({ started: true }),
      clearStarted: assign({ started: false }),
    },
  }).createMachine({
    id,
    context: { started: false },
    initial: 'stopped',
    states: {
      stopped: stateNode('stopped'),
      starting: stateNode('starting'),
      running: stateNode('running'),
      stopping: stateNode('stopping'),
      error: stateNode('error'),
      unknown: stateNode('unknown'),
    },
  });
}

export type InstanceMachine = ReturnType<typeof createInstanceMachine>;
