/**
 * The KubeBlocks Cluster lifecycle (reference §1.5), as an XState machine whose state is the
 * Cluster phase. Each reconcile of the cluster controller sends `components.observed` with the
 * per-component entries; the guards apply `composeClusterPhase`
 * (controllers/apps/cluster/transformer_cluster_status.go, first match wins), where "no rule
 * matched" keeps the previous phase. `deletion.requested` moves straight to `Deleting`
 * (transformer_cluster_deletion.go sets it as soon as a deletionTimestamp appears).
 */
import { setup } from 'xstate';
import { clusterPhaseRule, type ClusterPhase, type ComponentPhase } from '../kubeblocks/kubeblocks-phases.ts';

export type ClusterMachineEvent =
  | { readonly type: 'components.observed'; readonly entries: readonly (ComponentPhase | '')[] }
  | { readonly type: 'deletion.requested' };

export const clusterMachineEventTypes = ['components.observed', 'deletion.requested'] as const satisfies readonly ClusterMachineEvent['type'][];

export type ClusterMachineState = ClusterPhase | 'Unset';

/** The phase a machine state stands for (`Unset` is ""). */
export function clusterPhaseOfState(state: string): ClusterPhase | '' {
  return state === 'Unset' ? '' : (state as ClusterPhase);
}

const phaseStates = ['Creating', 'Running', 'Updating', 'Stopping', 'Stopped', 'Deleting', 'Failed', 'Abnormal'] as const satisfies readonly ClusterPhase[];

const clusterSetup = setup({
  types: { events: {} as ClusterMachineEvent },
  guards: {
    /** Do the entries compose to phase `to`? No entries: the phase is not touched. */
    composesTo: ({ event }, params: { to: ClusterPhase }) =>
      event.type === 'components.observed' && event.entries.length > 0 && clusterPhaseRule(event.entries).phase === params.to,
  },
  actions: {
    /** Host effect: record the cluster phase change. */
    'phase.changed': (_, _params: { from: ClusterPhase | ''; to: ClusterPhase }) => {},
  },
});

function phaseState(from: ClusterMachineState) {
  const fromPhase = clusterPhaseOfState(from);
  const observed = phaseStates
    .filter((to) => to !== from)
    .map((to) => ({
      guard: { type: 'composesTo' as const, params: { to } },
      target: to,
      actions: { type: 'phase.changed' as const, params: { from: fromPhase, to } },
    }));
  // Deletion is final: the deletion transformer owns the phase from then on.
  if (from === 'Deleting') return { on: {} };
  return {
    on: {
      'components.observed': observed,
      'deletion.requested': { target: 'Deleting' as const, actions: { type: 'phase.changed' as const, params: { from: fromPhase, to: 'Deleting' as const } } },
    },
  };
}

/** Events each state ignores on purpose (the walk test checks handled ∪ ignored = all). */
export const clusterIgnoredEvents: Readonly<Record<ClusterMachineState, readonly ClusterMachineEvent['type'][]>> = {
  Unset: [],
  Creating: [],
  Running: [],
  Updating: [],
  Stopping: [],
  Stopped: [],
  Deleting: ['components.observed', 'deletion.requested'],
  Failed: [],
  Abnormal: [],
};

export const clusterMachine = clusterSetup.createMachine({
  id: 'kubeblocks-cluster',
  initial: 'Unset',
  states: {
    Unset: phaseState('Unset'),
    Creating: phaseState('Creating'),
    Running: phaseState('Running'),
    Updating: phaseState('Updating'),
    Stopping: phaseState('Stopping'),
    Stopped: phaseState('Stopped'),
    Deleting: phaseState('Deleting'),
    Failed: phaseState('Failed'),
    Abnormal: phaseState('Abnormal'),
  },
});
