// Proves the Cluster machine is §1.5: it walks every state × event, agrees with clusterPhaseRule
// on every pair of component phases from every state, and keeps its phase when no rule matches.
import { describe, expect, it } from 'vitest';
import { machineStep, stateValueText } from '../../sim/machine-host.ts';
import { clusterPhaseRule, componentPhases, type ComponentPhase } from '../kubeblocks/kubeblocks-phases.ts';
import { walkStatesAndEvents } from '../kubeblocks/machine-walk.ts';
import { clusterIgnoredEvents, clusterMachine, clusterMachineEventTypes, clusterPhaseOfState, type ClusterMachineEvent } from './cluster.machine.ts';

describe('Cluster machine', () => {
  it('every state handles or explicitly ignores every event', () => {
    expect(walkStatesAndEvents(clusterMachine, clusterMachineEventTypes, clusterIgnoredEvents)).toEqual([]);
  });

  it('agrees with composeClusterPhase on every pair of entries, keeping the phase on row 8 and in Deleting', () => {
    const phases: (ComponentPhase | '')[] = ['', ...componentPhases];
    for (const from of Object.keys(clusterIgnoredEvents)) {
      for (const left of phases) {
        for (const right of phases) {
          const step = machineStep(clusterMachine, { value: from, context: {} }, { type: 'components.observed', entries: [left, right] } as ClusterMachineEvent);
          const rule = clusterPhaseRule([left, right]).phase;
          const expected = from === 'Deleting' || rule === null ? clusterPhaseOfState(from) : rule;
          expect(clusterPhaseOfState(stateValueText(step.state.value))).toBe(expected);
        }
      }
    }
  });

  it('does not touch the phase when there are no entries', () => {
    const step = machineStep(clusterMachine, { value: 'Running', context: {} }, { type: 'components.observed', entries: [] } as ClusterMachineEvent);
    expect(step.changed).toBe(false);
  });

  it('moves to Deleting on a deletion request from any phase', () => {
    const step = machineStep(clusterMachine, { value: 'Creating', context: {} }, { type: 'deletion.requested' });
    expect(step.state.value).toBe('Deleting');
  });
});
