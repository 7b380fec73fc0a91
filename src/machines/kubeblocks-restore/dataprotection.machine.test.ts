// Proves every state of the Backup and Restore machines handles or explicitly ignores every event,
// and that the handled ones move where backup_types.go / restore_types.go phases say.
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { machineInit, machineStep, stateValueText, type MachineState } from '../../sim/machine-host.ts';
import { backupEventTable, backupEventTypes, backupMachine, restoreEventTable, restoreEventTypes, restoreMachine } from './dataprotection.machine.ts';

// Reaches `phase` by the shortest handled path from the initial state.
function reach(machine: AnyStateMachine, table: Record<string, { handled: readonly string[] }>, phase: string): MachineState {
  const queue: MachineState[] = [machineInit(machine).state];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const state = queue.shift() as MachineState;
    const value = stateValueText(state.value);
    if (value === phase) return state;
    if (seen.has(value)) continue;
    seen.add(value);
    for (const type of table[value]?.handled ?? []) queue.push(machineStep(machine, state, { type }).state);
  }
  throw new Error(`phase ${phase} unreachable`);
}

function walk(machine: AnyStateMachine, table: Record<string, { handled: readonly string[]; ignored: readonly string[] }>, events: readonly string[]): void {
  for (const [phase, row] of Object.entries(table)) {
    expect([...row.handled, ...row.ignored].sort()).toEqual([...events].sort());
    const state = reach(machine, table, phase);
    for (const type of row.ignored) expect(machineStep(machine, state, { type }).changed, `${phase} ignores ${type}`).toBe(false);
    for (const type of row.handled) expect(machineStep(machine, state, { type }).changed, `${phase} handles ${type}`).toBe(true);
  }
}

describe('dataprotection machines', () => {
  // Proves the Backup machine's table covers every state × event and matches its behaviour.
  it('Backup: every state decides about every event', () => {
    walk(backupMachine, backupEventTable, backupEventTypes);
  });
  // Proves the Restore machine's table covers every state × event and matches its behaviour.
  it('Restore: every state decides about every event', () => {
    walk(restoreMachine, restoreEventTable, restoreEventTypes);
  });
  // Proves a Restore whose jobs never finish stays Running: there is no deadline event.
  it('Restore stays Running until a job outcome arrives', () => {
    const running = machineStep(restoreMachine, machineInit(restoreMachine).state, { type: 'restore.jobsCreated' }).state;
    expect(stateValueText(running.value)).toBe('Running');
    expect(stateValueText(machineStep(restoreMachine, running, { type: 'restore.jobsSucceeded' }).state.value)).toBe('Completed');
  });
});
