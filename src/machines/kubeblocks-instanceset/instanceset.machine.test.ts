// Proves the InstanceSet readiness machine: every state × event is decided, the role-probe window
// is a host timer of more than 60 ticks started when InstanceReady turns True, and NotReady resets it.
import { describe, expect, it } from 'vitest';
import { machineInit, machineStep, stateValueText } from '../../sim/machine-host.ts';
import { walkStatesAndEvents } from '../kubeblocks/machine-walk.ts';
import { instanceSetIgnoredEvents, instanceSetMachine, instanceSetMachineEventTypes, type InstanceSetMachineEvent } from './instanceset.machine.ts';

describe('InstanceSet readiness machine', () => {
  it('every state handles or explicitly ignores every event', () => {
    expect(walkStatesAndEvents(instanceSetMachine, instanceSetMachineEventTypes, instanceSetIgnoredEvents)).toEqual([]);
  });

  it('turning ready schedules the role-probe window timer of 61 ticks; its event elapses the window', () => {
    const start = machineInit(instanceSetMachine, { roleProbeTimeoutTicks: 60 });
    const ready = machineStep(instanceSetMachine, start.state, { type: 'instances.observed', instanceReady: true } as InstanceSetMachineEvent);
    expect(stateValueText(ready.state.value)).toBe('Ready.roleProbeWindow');
    const timer = ready.effects.find((effect) => effect.kind === 'timer.schedule');
    expect(timer?.kind === 'timer.schedule' && timer.delayTicks).toBe(61);
    if (timer?.kind !== 'timer.schedule') throw new Error('no timer');
    const elapsed = machineStep(instanceSetMachine, ready.state, timer.event);
    expect(stateValueText(elapsed.state.value)).toBe('Ready.roleProbeWindowElapsed');
  });

  it('falling back to not ready leaves the window and cancels its timer', () => {
    const ready = machineStep(instanceSetMachine, machineInit(instanceSetMachine, { roleProbeTimeoutTicks: 60 }).state, { type: 'instances.observed', instanceReady: true } as InstanceSetMachineEvent);
    const back = machineStep(instanceSetMachine, ready.state, { type: 'instances.observed', instanceReady: false } as InstanceSetMachineEvent);
    expect(back.state.value).toBe('NotReady');
    expect(back.effects.some((effect) => effect.kind === 'timer.cancel')).toBe(true);
  });
});
