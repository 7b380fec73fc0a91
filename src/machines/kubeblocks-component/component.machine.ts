/**
 * The KubeBlocks Component lifecycle (reference §1.3), as an XState machine whose state is the
 * Component phase. Each reconcile of the component controller sends `status.computed` with the
 * inputs of controllers/apps/component/transformer_component_status.go; the guards apply the
 * release-1.0 first-match-wins table (`componentPhaseRule`), so the machine and the table cannot
 * disagree. A phase change emits the effect `phase.changed`, which the host turns into the Normal
 * event `ComponentPhaseTransition`.
 *
 * `Unset` is the empty phase of a fresh component. `workload.absent` (the InstanceSet does not
 * exist yet) is ignored everywhere: upstream does not recompute the status then.
 */
import { setup } from 'xstate';
import { componentPhaseRule, type ComponentPhase, type ComponentPhaseInputs } from '../kubeblocks/kubeblocks-phases.ts';

export interface ComponentMachineContext {
  /** §1.3 row 2: `Stopping` also waits for postProvision (release-1.0 after v1.0.0). */
  readonly stoppingWaitsForPostProvision: boolean;
}

export type ComponentMachineEvent =
  | { readonly type: 'status.computed'; readonly inputs: ComponentPhaseInputs }
  | { readonly type: 'workload.absent' };

export const componentMachineEventTypes = ['status.computed', 'workload.absent'] as const satisfies readonly ComponentMachineEvent['type'][];

/** Machine states: the eight phases plus `Unset` (phase ""). */
export type ComponentMachineState = ComponentPhase | 'Unset';

/** The phase a machine state stands for (`Unset` is ""). */
export function componentPhaseOfState(state: string): ComponentPhase | '' {
  return state === 'Unset' ? '' : (state as ComponentPhase);
}

const phaseStates = ['Creating', 'Running', 'Updating', 'Stopping', 'Stopped', 'Starting', 'Deleting', 'Failed'] as const satisfies readonly ComponentPhase[];

const componentSetup = setup({
  types: {
    context: {} as ComponentMachineContext,
    events: {} as ComponentMachineEvent,
    input: {} as ComponentMachineContext,
  },
  guards: {
    /** Does the §1.3 table, evaluated from phase `from`, pick phase `to`? */
    rulePicks: ({ context, event }, params: { from: ComponentPhase | ''; to: ComponentPhase }) =>
      event.type === 'status.computed' && componentPhaseRule(params.from, event.inputs, context).phase === params.to,
  },
  actions: {
    /** Host effect: record `ComponentPhaseTransition` (Normal). */
    'phase.changed': (_, _params: { from: ComponentPhase | ''; to: ComponentPhase }) => {},
  },
});

// One ordered transition list per source state: every phase other than the source, guarded by
// the table. At most one guard can hold because the table is a function; the same phase means
// "no transition", so an unchanged phase emits no event.
function transitionsFrom(from: ComponentMachineState) {
  const fromPhase = componentPhaseOfState(from);
  return phaseStates
    .filter((to) => to !== from)
    .map((to) => ({
      guard: { type: 'rulePicks' as const, params: { from: fromPhase, to } },
      target: to,
      actions: { type: 'phase.changed' as const, params: { from: fromPhase, to } },
    }));
}

function phaseState(from: ComponentMachineState) {
  return { on: { 'status.computed': transitionsFrom(from) } };
}

/** Events each state ignores on purpose (the walk test checks handled ∪ ignored = all). */
export const componentIgnoredEvents: Readonly<Record<ComponentMachineState, readonly ComponentMachineEvent['type'][]>> = {
  Unset: ['workload.absent'],
  Creating: ['workload.absent'],
  Running: ['workload.absent'],
  Updating: ['workload.absent'],
  Stopping: ['workload.absent'],
  Stopped: ['workload.absent'],
  Starting: ['workload.absent'],
  Deleting: ['workload.absent'],
  Failed: ['workload.absent'],
};

export const componentMachine = componentSetup.createMachine({
  id: 'kubeblocks-component',
  context: ({ input }) => ({ stoppingWaitsForPostProvision: input.stoppingWaitsForPostProvision }),
  initial: 'Unset',
  states: {
    Unset: phaseState('Unset'),
    Creating: phaseState('Creating'),
    Running: phaseState('Running'),
    Updating: phaseState('Updating'),
    Stopping: phaseState('Stopping'),
    Stopped: phaseState('Stopped'),
    Starting: phaseState('Starting'),
    Deleting: phaseState('Deleting'),
    Failed: phaseState('Failed'),
  },
});
