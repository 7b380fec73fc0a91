import { describe, expect, it } from 'vitest';
import { assign, initialTransition as initialTransitionOf, setup, transition } from 'xstate';
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

import fc from 'fast-check';
import { machineStepUncached } from './machine-host.ts';
import { toyProcessMachine } from './testing/toy-lock.machine.ts';

// A machine with guards on context and on event payloads, nested states and delayed transitions,
// so the memoized stepper is compared with transition() on more than one shape.
const counter = setup({
  types: {
    context: {} as { level: number; failures: number },
    events: {} as { type: 'bump'; by: number } | { type: 'fail' } | { type: 'heal' } | { type: 'reset' },
  },
  guards: { tooManyFailures: ({ context }) => context.failures >= 2, bigBump: (_, params: { by: number }) => params.by > 2 },
  actions: {
    report: (_, _params: { level: number }) => {},
    addLevel: assign({ level: ({ context, event }) => context.level + (event.type === 'bump' ? event.by : 0) }),
    addFailure: assign({ failures: ({ context }) => context.failures + 1 }),
    clearFailures: assign({ failures: 0 }),
  },
}).createMachine({
  id: 'counter',
  context: { level: 0, failures: 0 },
  initial: 'up',
  states: {
    up: {
      initial: 'calm',
      states: {
        calm: { on: { bump: [{ guard: { type: 'bigBump', params: ({ event }) => ({ by: event.by }) }, target: 'busy', actions: 'addLevel' }, { actions: 'addLevel' }] } },
        busy: { after: { 5: 'calm' }, on: { bump: { actions: ['addLevel', { type: 'report', params: ({ context }) => ({ level: context.level }) }] } } },
      },
      on: { fail: [{ guard: 'tooManyFailures', target: 'down' }, { actions: 'addFailure' }] },
    },
    down: { on: { heal: { target: 'up', actions: 'clearFailures' }, reset: { target: 'up', actions: 'clearFailures' } } },
  },
});

const counterEvent = fc.oneof(
  fc.record({ type: fc.constant('bump' as const), by: fc.integer({ min: 0, max: 4 }) }),
  fc.constantFrom({ type: 'fail' as const }, { type: 'heal' as const }, { type: 'reset' as const }, { type: 'xstate.after.5.counter.up.busy' } as never),
);

describe('memoized stepper', () => {
  it('agrees with xstate transition() on random event sequences (state, context, effects)', () => {
    fc.assert(
      fc.property(fc.array(counterEvent, { maxLength: 40 }), (events) => {
        let host = machineInit(counter).state;
        let [reference] = initialTransitionOf(counter);
        for (const event of events) {
          const stepped = machineStep(counter, host, event);
          const uncached = machineStepUncached(counter, host, event);
          const [next, actions] = transition(counter, reference, event);
          expect(stepped.state.value).toEqual(next.value);
          expect(stepped.state.context).toEqual(next.context);
          expect(stepped.changed).toBe(next !== reference);
          expect(uncached.effects).toEqual(stepped.effects);
          expect(stepped.effects.map((effect) => (effect.kind === 'effect' ? effect.type : effect.kind))).toEqual(
            actions.map((action: { type: string }) => (action.type === 'xstate.raise' ? 'timer.schedule' : action.type === 'xstate.cancel' ? 'timer.cancel' : action.type)),
          );
          host = stepped.state;
          reference = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with transition() on the toy process machine too', () => {
    const toyEvent = fc.constantFrom({ type: 'work.requested' as const }, { type: 'locks.acquired' as const }, { type: 'xstate.after.3.toy-process.critical' } as never);
    fc.assert(
      fc.property(fc.array(toyEvent, { maxLength: 30 }), (events) => {
        let host = machineInit(toyProcessMachine).state;
        let [reference] = initialTransitionOf(toyProcessMachine);
        for (const event of events) {
          const stepped = machineStep(toyProcessMachine, host, event);
          const [next] = transition(toyProcessMachine, reference, event);
          expect(stepped.state.value).toEqual(next.value);
          expect(stepped.state.context).toEqual(next.context);
          host = stepped.state;
          reference = next;
        }
      }),
      { numRuns: 200 },
    );
  });
});

// Events that carry only booleans (nested one level, like the Component's status.computed) take the
// memo's numeric event keys: a machine whose guards read those flags, with an assign and a timer.
const gate = setup({
  types: {
    context: {} as { opened: number },
    events: {} as { type: 'status'; inputs: { ready: boolean; failed: boolean; stopped: boolean } } | { type: 'tick' } | { type: 'poke'; hard: boolean },
  },
  guards: {
    isReady: ({ event }) => event.type === 'status' && event.inputs.ready && !event.inputs.failed,
    isFailed: ({ event }) => event.type === 'status' && event.inputs.failed,
    isStopped: ({ event }) => event.type === 'status' && event.inputs.stopped,
    isHard: ({ event }) => event.type === 'poke' && event.hard,
  },
  actions: {
    countOpen: assign({ opened: ({ context }) => Math.min(context.opened + 1, 3) }),
    note: (_, _params: { why: string }) => {},
  },
}).createMachine({
  id: 'gate',
  context: { opened: 0 },
  initial: 'closed',
  states: {
    closed: { on: { status: [{ guard: 'isStopped', target: 'stopped' }, { guard: 'isReady', target: 'open', actions: ['countOpen', { type: 'note', params: { why: 'ready' } }] }] } },
    open: {
      after: { 4: { target: 'closed' } },
      on: { status: { guard: 'isFailed', target: 'broken' }, poke: [{ guard: 'isHard', target: 'closed' }, { actions: { type: 'note', params: { why: 'poked' } } }] },
    },
    broken: { on: { status: { guard: 'isReady', target: 'open' }, tick: 'closed' } },
    stopped: { on: { status: { guard: 'isReady', target: 'closed' } } },
  },
});

const gateEvent = fc.oneof(
  fc.record({ type: fc.constant('status' as const), inputs: fc.record({ ready: fc.boolean(), failed: fc.boolean(), stopped: fc.boolean() }) }),
  fc.record({ type: fc.constant('poke' as const), hard: fc.boolean() }),
  fc.constantFrom({ type: 'tick' as const }, { type: 'xstate.after.4.gate.open' } as never),
);

describe('memoized stepper with numeric event keys', () => {
  it('agrees with transition() on random sequences, from identical and from JSON-copied states alike', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(gateEvent, fc.boolean()), { maxLength: 40 }), (steps) => {
        let host = machineInit(gate).state;
        let [reference] = initialTransitionOf(gate);
        for (const [event, copied] of steps) {
          // A state that went through JSON is equal to, not identical with, the one the host returned.
          const from = copied ? JSON.parse(JSON.stringify(host)) : host;
          const stepped = machineStep(gate, from, event);
          const uncached = machineStepUncached(gate, from, event);
          const [next, actions] = transition(gate, reference, event);
          expect(stepped.state.value).toEqual(next.value);
          expect(stepped.state.context).toEqual(next.context);
          expect(stepped.changed).toBe(next !== reference);
          if (!stepped.changed) expect(stepped.state).toBe(from);
          expect(stepped.effects).toEqual(uncached.effects);
          expect(stepped.effects.map((effect) => (effect.kind === 'effect' ? `${effect.type} ${JSON.stringify(effect.params)}` : effect.kind))).toEqual(
            actions.map((action: { type: string; params?: unknown }) =>
              action.type === 'xstate.raise' ? 'timer.schedule' : action.type === 'xstate.cancel' ? 'timer.cancel' : `${action.type} ${JSON.stringify(action.params)}`,
            ),
          );
          host = stepped.state;
          reference = next;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('memoized start', () => {
  const sized = setup({
    types: { context: {} as { size: number; strict: boolean }, input: {} as { size: number; strict: boolean } | undefined },
    actions: { started: (_, _params: { size: number }) => {} },
  }).createMachine({
    id: 'sized',
    context: ({ input }) => ({ size: input?.size ?? 1, strict: input?.strict ?? false }),
    initial: 'small',
    states: {
      small: { always: { guard: ({ context }) => context.size > 2, target: 'large' }, entry: { type: 'started', params: ({ context }) => ({ size: context.size }) } },
      large: { after: { 7: 'small' } },
    },
  });
  const input = fc.option(fc.record({ size: fc.integer({ min: 0, max: 4 }), strict: fc.boolean() }), { nil: undefined });

  it('starts as initialTransition() does, and returns the same state object for equal inputs', () => {
    fc.assert(
      fc.property(input, (drawn) => {
        const first = machineInit(sized, drawn);
        const again = machineInit(sized, drawn === undefined ? undefined : { ...drawn });
        const [snapshot, actions] = initialTransitionOf(sized, drawn);
        expect(first.state.value).toEqual(snapshot.value);
        expect(first.state.context).toEqual(snapshot.context);
        expect(first.effects.map((effect) => (effect.kind === 'effect' ? `${effect.type} ${JSON.stringify(effect.params)}` : `${effect.kind}`))).toEqual(
          actions.map((action: { type: string; params?: unknown }) => (action.type === 'xstate.raise' ? 'timer.schedule' : `${action.type} ${JSON.stringify(action.params)}`)),
        );
        expect(again.state).toBe(first.state);
      }),
      { numRuns: 100 },
    );
  });
});

describe('targetless transitions', () => {
  const pinger = setup({
    types: { events: {} as { type: 'ping' } },
    actions: { pong: (_, _params: { n: number }) => {} },
  }).createMachine({ id: 'pinger', initial: 'idle', states: { idle: { on: { ping: { actions: { type: 'pong', params: { n: 1 } } } } } } });

  it('keeps the named actions of a transition that leaves the snapshot unchanged, memoized or not', () => {
    const start = machineInit(pinger).state;
    const [, actions] = transition(pinger, pinger.resolveState(start as never), { type: 'ping' });
    expect(actions.map((action: { type: string }) => action.type)).toEqual(['pong']);
    for (let round = 0; round < 2; round++) {
      const stepped = machineStep(pinger, start, { type: 'ping' });
      expect(stepped.changed).toBe(false);
      expect(stepped.effects).toEqual([{ kind: 'effect', type: 'pong', params: { n: 1 } }]);
    }
  });
});
