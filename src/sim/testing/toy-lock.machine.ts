/**
 * The toy process lifecycle used by the kernel's own tests: idle → waiting → critical → idle.
 * The critical section lasts `criticalTicks` (a delayed transition the host turns into a timer).
 */
import { assign, setup } from 'xstate';

export const criticalTicks = 3;

export type ToyProcessEvent = { type: 'work.requested' } | { type: 'locks.acquired' };

export const toyProcessMachine = setup({
  types: { context: {} as { rounds: number }, events: {} as ToyProcessEvent },
  actions: {
    releaseLocks: (_, _params: Record<string, never>) => {},
    countRound: assign({ rounds: ({ context }) => context.rounds + 1 }),
  },
}).createMachine({
  id: 'toy-process',
  context: { rounds: 0 },
  initial: 'idle',
  states: {
    idle: { on: { 'work.requested': { target: 'waiting' } } },
    waiting: { on: { 'locks.acquired': { target: 'critical' } } },
    critical: { after: { [criticalTicks]: { target: 'idle', actions: ['countRound', { type: 'releaseLocks', params: {} }] } } },
  },
});

/** Events each state ignores on purpose (the walk test checks every state × event is decided). */
export const toyProcessIgnored: Record<'idle' | 'waiting' | 'critical', readonly ToyProcessEvent['type'][]> = {
  idle: ['locks.acquired'],
  waiting: ['work.requested'],
  critical: ['work.requested', 'locks.acquired'],
};
