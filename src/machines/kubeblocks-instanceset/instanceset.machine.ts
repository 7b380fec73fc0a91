/**
 * The InstanceSet readiness lifecycle: whether the `InstanceReady` condition is True, and whether
 * the role-probe window after it has run out (reference §1.3 `hasFailedPod` step 3, §2.3, §2.8).
 *
 * Upstream keeps the time in the condition's lastTransitionTime and compares it with the wall
 * clock on the next reconcile (`defaultRoleProbeTimeoutAfterPodsReady = 60`). Here the window is a
 * delayed transition: `Ready.roleProbeWindow` moves to `Ready.roleProbeWindowElapsed` once more than
 * the timeout has passed, and the host turns that delay into a timer that wakes the controllers.
 * The component then counts as failed exactly when the window has elapsed and some pod still
 * lacks a role.
 */
import { setup } from 'xstate';

export interface InstanceSetMachineContext {
  /** Ticks after InstanceReady turned True before missing roles count as a failure (> 60 s). */
  readonly roleProbeTimeoutTicks: number;
}

export type InstanceSetMachineEvent =
  | { readonly type: 'instances.observed'; readonly instanceReady: boolean }
  | { readonly type: 'roleProbe.windowElapsed' };

export const instanceSetMachineEventTypes = ['instances.observed', 'roleProbe.windowElapsed'] as const satisfies readonly InstanceSetMachineEvent['type'][];

/** Timer id of the role-probe window (one per machine instance; the host prefixes the object). */
export const roleProbeWindowTimerId = 'roleProbeWindow';

const instanceSetSetup = setup({
  types: {
    context: {} as InstanceSetMachineContext,
    events: {} as InstanceSetMachineEvent,
    input: {} as InstanceSetMachineContext,
  },
  guards: {
    isInstanceReady: ({ event }) => event.type === 'instances.observed' && event.instanceReady,
    isInstanceNotReady: ({ event }) => event.type === 'instances.observed' && !event.instanceReady,
  },
  delays: {
    // "more than 60 s": the first whole tick after the timeout.
    roleProbeTimeout: ({ context }) => context.roleProbeTimeoutTicks + 1,
  },
});

/** Leaf states and the events each ignores on purpose (walk test: handled ∪ ignored = all). */
export const instanceSetIgnoredEvents: Readonly<Record<string, readonly InstanceSetMachineEvent['type'][]>> = {
  NotReady: ['roleProbe.windowElapsed'],
  'Ready.roleProbeWindow': [],
  'Ready.roleProbeWindowElapsed': ['roleProbe.windowElapsed'],
};

export const instanceSetMachine = instanceSetSetup.createMachine({
  id: 'kubeblocks-instanceset',
  context: ({ input }) => ({ roleProbeTimeoutTicks: input.roleProbeTimeoutTicks }),
  initial: 'NotReady',
  states: {
    NotReady: {
      on: { 'instances.observed': { guard: 'isInstanceReady', target: 'Ready' } },
    },
    Ready: {
      initial: 'roleProbeWindow',
      on: { 'instances.observed': { guard: 'isInstanceNotReady', target: 'NotReady' } },
      states: {
        roleProbeWindow: {
          after: { roleProbeTimeout: { target: 'roleProbeWindowElapsed' } },
          on: { 'roleProbe.windowElapsed': { target: 'roleProbeWindowElapsed' } },
        },
        roleProbeWindowElapsed: {},
      },
    },
  },
});
