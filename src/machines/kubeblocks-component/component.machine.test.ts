// Proves the Component machine is the §1.3 table: it walks every state × event, and agrees with
// componentPhaseRule on every state and every combination of inputs.
import { describe, expect, it } from 'vitest';
import { machineInit, machineStep, stateValueText } from '../../sim/machine-host.ts';
import { componentPhaseRule, type ComponentPhaseInputs } from '../kubeblocks/kubeblocks-phases.ts';
import { walkStatesAndEvents } from '../kubeblocks/machine-walk.ts';
import { componentIgnoredEvents, componentMachine, componentMachineEventTypes, componentPhaseOfState, type ComponentMachineEvent } from './component.machine.ts';

const inputKeys = ['isDeleting', 'stopped', 'hasRunningPods', 'postProvisionDone', 'isITSUpdatedNRunning', 'hasRunningScaleOut', 'hasRunningVolumeExpansion', 'hasFailure'] as const;

function allInputs(): ComponentPhaseInputs[] {
  const combos: ComponentPhaseInputs[] = [];
  for (let bits = 0; bits < 1 << inputKeys.length; bits++) {
    const entries = inputKeys.map((key, index) => [key, (bits & (1 << index)) !== 0] as const);
    combos.push(Object.fromEntries(entries) as unknown as ComponentPhaseInputs);
  }
  return combos;
}

describe('Component machine', () => {
  it('every state handles or explicitly ignores every event', () => {
    expect(walkStatesAndEvents(componentMachine, componentMachineEventTypes, componentIgnoredEvents)).toEqual([]);
  });

  it('agrees with the §1.3 table from every state on all 256 input combinations', () => {
    const options = { stoppingWaitsForPostProvision: true };
    for (const from of Object.keys(componentIgnoredEvents)) {
      const start = { value: from, context: options };
      for (const inputs of allInputs()) {
        const step = machineStep(componentMachine, start, { type: 'status.computed', inputs } as ComponentMachineEvent);
        const expected = componentPhaseRule(componentPhaseOfState(from), inputs, options).phase;
        expect(componentPhaseOfState(stateValueText(step.state.value))).toBe(expected);
        const announced = step.effects.some((effect) => effect.kind === 'effect' && effect.type === 'phase.changed');
        expect(announced).toBe(componentPhaseOfState(from) !== expected);
      }
    }
  });

  it('starts with the empty phase and ignores a missing workload', () => {
    const start = machineInit(componentMachine, { stoppingWaitsForPostProvision: true });
    expect(start.state.value).toBe('Unset');
    expect(machineStep(componentMachine, start.state, { type: 'workload.absent' }).changed).toBe(false);
  });
});
