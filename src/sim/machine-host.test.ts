import { describe, expect, it } from 'vitest';
import { assign, setup, transition } from 'xstate';
import { machineInit, machineStep, stateValueText } from './machine-host.ts';

const lamp = setup({
  types: { context: {} as { flips: number }, events: {} as { type: 'flip' } | { type: 'noop' } },
  actions: { announce: (_, _params: { to: string }) => {} },
}).createMachine({
  id: 'lamp',
  context: { flips: 0 },
  initial: 'off',
  states: {
    off: { on: { flip: { target: 'on', actions: [assign({ flips: ({ context }) => context.flips + 1 }), { type: 'announce', params: { to: 'on' } }] } } },
    on: {
      after: { 30: { target: 'off' } },
      on: { flip: { target: 'off' } },
    },
  },
});

describe('machine host', () => {
  it('returns named actions as effects and delayed transitions as timers, without running anything', () => {
    const start = machineInit(lamp);
    expect(start.state.value).toBe('off');
    const lit = machineStep(lamp, start.state, { type: 'flip' });
    expect(lit.state.value).toBe('on');
    expect(lit.state.context).toEqual({ flips: 1 });
    expect(lit.effects.map((effect) => effect.kind)).toEqual(['effect', 'timer.schedule']);
    const timer = lit.effects[1];
    expect(timer?.kind === 'timer.schedule' && timer.delayTicks).toBe(30);
  });

  it('cancels the pending delayed transition when its state is left', () => {
    const lit = machineStep(lamp, machineInit(lamp).state, { type: 'flip' });
    const dark = machineStep(lamp, lit.state, { type: 'flip' });
    expect(dark.effects.some((effect) => effect.kind === 'timer.cancel')).toBe(true);
  });

  it('reports an ignored event as unchanged and keeps the same state object', () => {
    const start = machineInit(lamp);
    const same = machineStep(lamp, start.state, { type: 'noop' });
    expect(same.changed).toBe(false);
    expect(same.state).toBe(start.state);
  });

  it('steps a state that went through JSON exactly as xstate transition() does', () => {
    const lit = machineStep(lamp, machineInit(lamp).state, { type: 'flip' });
    const parsed = JSON.parse(JSON.stringify(lit.state));
    const viaHost = machineStep(lamp, parsed, { type: 'flip' });
    const [viaXstate] = transition(lamp, lamp.resolveState(parsed), { type: 'flip' });
    expect(viaHost.state.value).toEqual(viaXstate.value);
    expect(viaHost.state.context).toEqual(viaXstate.context);
  });

  it('renders nested state values as dotted text', () => {
    expect(stateValueText({ attached: 'healthy' })).toBe('attached.healthy');
    expect(stateValueText('Running')).toBe('Running');
  });
});
