/**
 * Steps XState v5 machines as pure functions (DESIGN.md §4). No actor is ever started inside a
 * run: the simulator calls `initialTransition` / `transition` and interprets what comes back.
 *
 * - A machine's state lives in the world as plain data ({@link MachineState}: value + context),
 *   so worlds stay JSON-serializable; it is rehydrated with `machine.resolveState`.
 * - A delayed `raise` (including every `after` transition) becomes a {@link HostEffect}
 *   `timer.schedule` with an explicit id; `xstate.cancel` becomes `timer.cancel`. Numbers in
 *   `after` are read as **ticks**, not milliseconds, because no real clock is involved.
 * - Every other action the machine names (`setup({ actions })`) becomes an `effect` with its params,
 *   for the host model to perform. `assign` is applied by XState and never shows up here.
 *
 * Speed (DESIGN.md §4): xstate's pure `transition()` builds a fresh actor on every call (~14 µs).
 * `machineStep` does what `transition()` does with one reused inert scope per machine, and memoizes
 * results by (state value, context, event), which is sound because machines are pure functions of
 * those three (guards and assigns read nothing else). The memo is found by state object first (the
 * world stores the state objects the host returns) and the event key is a number for all-boolean
 * events (machine-event-key.ts), so a hit costs two or three map lookups. A property test checks it
 * against `transition()` on random event sequences.
 */
import { createActor, initialTransition, type AnyActorScope, type AnyStateMachine, type EventObject, type StateValue } from 'xstate';
import { assert } from './assert.ts';
import { eventKey } from './machine-event-key.ts';

/** The plain, serializable state of one machine instance. */
export interface MachineState<C = unknown> {
  readonly value: StateValue;
  readonly context: C;
}

/** What the host must do after a step. */
export type HostEffect =
  | { readonly kind: 'timer.schedule'; readonly id: string; readonly delayTicks: number; readonly event: EventObject }
  | { readonly kind: 'timer.cancel'; readonly id: string }
  | { readonly kind: 'effect'; readonly type: string; readonly params: unknown };

/** The outcome of one step: the next plain state, whether it changed, and the effects. */
export interface MachineStep<C = unknown> {
  readonly state: MachineState<C>;
  readonly changed: boolean;
  readonly effects: readonly HostEffect[];
}

type Snapshot = ReturnType<AnyStateMachine['resolveState']>;

// Worlds are immutable and share structure, so a plain state object always stands for the same
// snapshot: caching the rehydrated snapshot by object identity is sound and saves resolveState.
const resolvedByState = new WeakMap<object, Snapshot>();

function resolve(machine: AnyStateMachine, state: MachineState): Snapshot {
  const cached = resolvedByState.get(state);
  if (cached !== undefined && cached.machine === machine) return cached;
  const snapshot = machine.resolveState({ value: state.value, context: state.context as never });
  resolvedByState.set(state, snapshot);
  return snapshot;
}

function toPlain(snapshot: Snapshot): MachineState {
  const state: MachineState = { value: snapshot.value, context: snapshot.context };
  resolvedByState.set(state, snapshot);
  return state;
}

interface ExecutableAction {
  readonly type: string;
  readonly params?: unknown;
}

function toEffects(actions: readonly ExecutableAction[]): HostEffect[] {
  const effects: HostEffect[] = [];
  for (const action of actions) {
    if (action.type === 'xstate.raise') {
      const params = action.params as { event: EventObject; id?: string; delay?: number };
      assert(params.delay !== undefined, `an immediate raise of ${params.event.type} should have been processed by xstate`);
      assert(Number.isInteger(params.delay) && params.delay >= 0, `delay ${params.delay} must be whole ticks`);
      effects.push({ kind: 'timer.schedule', id: params.id ?? params.event.type, delayTicks: params.delay, event: params.event });
    } else if (action.type === 'xstate.cancel') {
      const params = action.params as { sendId: string };
      effects.push({ kind: 'timer.cancel', id: params.sendId });
    } else {
      assert(!action.type.startsWith('xstate.'), `machine action ${action.type} is not supported by the host (no actors in a run)`);
      assert(action.type !== 'entry' && action.type !== 'exit', 'inline actions are not allowed: name them in setup({ actions })');
      effects.push({ kind: 'effect', type: action.type, params: action.params });
    }
  }
  return effects;
}

/** Initial steps per machine, by the JSON of the input; past it the memo is cleared. */
export const machineInitEntriesMax = 10_000;
const inits = new WeakMap<AnyStateMachine, Map<string, MachineStep>>();

/**
 * The initial state of `machine` for `input`, and the effects of entering it. Memoized by the JSON
 * of the input (a machine's start is a pure function of it), so every run starts from the same
 * state object and the step memo finds it by identity.
 */
export function machineInit<C = unknown>(machine: AnyStateMachine, input?: unknown): MachineStep<C> {
  let memo = inits.get(machine);
  if (memo === undefined || memo.size >= machineInitEntriesMax) {
    memo = new Map();
    inits.set(machine, memo);
  }
  // JSON.stringify gives undefined for a function or symbol input: such a start is not memoized.
  const key: string | undefined = input === undefined ? '' : JSON.stringify(input);
  const known = key === undefined ? undefined : memo.get(key);
  if (known !== undefined) return known as MachineStep<C>;
  const [snapshot, actions] = initialTransition(machine, input);
  assert(snapshot.status !== 'error', `machine ${machine.id} failed to start: ${String(snapshot.error)}`);
  const started: MachineStep = { state: toPlain(snapshot), changed: true, effects: toEffects(actions as ExecutableAction[]) };
  if (key !== undefined) memo.set(key, started);
  return started as MachineStep<C>;
}

interface ReusedScope {
  readonly scope: AnyActorScope;
  readonly executed: ExecutableAction[];
}

// One inert scope per machine, as xstate's transition() builds per call (createInertActorScope), but
// built once. Only sound for machines without invoke/spawn, which the host refuses anyway.
const scopes = new WeakMap<AnyStateMachine, ReusedScope>();

function scopeFor(machine: AnyStateMachine): ReusedScope {
  const cached = scopes.get(machine);
  if (cached) return cached;
  const self = createActor(machine);
  const executed: ExecutableAction[] = [];
  const scope = {
    self,
    defer: () => {},
    id: '',
    logger: () => {},
    sessionId: '',
    stopChild: () => {},
    system: self.system,
    emit: () => {},
    actionExecutor: (action: ExecutableAction) => void executed.push(action),
  } as unknown as AnyActorScope;
  const created = { scope, executed };
  scopes.set(machine, created);
  return created;
}

/** Memo entries per machine; past it the memo is cleared (results are identical either way). */
export const machineMemoEntriesMax = 100_000;

/** One machine's memo; replaced by a fresh one when it holds {@link machineMemoEntriesMax} steps. */
interface MachineMemo {
  readonly machine: AnyStateMachine;
  /** By the JSON of value and context: equal states share one StateMemo. */
  readonly byKey: Map<string, StateMemo>;
  entries: number;
  retired: boolean;
}

/** The memoized steps from one state (value + context), by event key. */
interface StateMemo {
  readonly owner: MachineMemo;
  /** The first state object seen with this value and context; unchanged steps from it are stored with it. */
  readonly state: MachineState;
  readonly steps: Map<number | string, MachineStep>;
  /** The last key looked up here and its step: a controller often sees the same inputs again. */
  lastKey: number | string | undefined;
  lastStep: MachineStep | undefined;
}

const memos = new WeakMap<AnyStateMachine, MachineMemo>();
// By state object: worlds keep the state objects the host returned, so one lookup here is the usual hit.
const stateMemos = new WeakMap<object, StateMemo>();

// The last state object looked up and its memo: one machine instance often steps several times in a row.
let lastState: object | undefined;
let lastStateMemo: StateMemo | undefined;

function stateMemoFor(machine: AnyStateMachine, state: MachineState): StateMemo {
  if (state === lastState && lastStateMemo !== undefined && lastStateMemo.owner.machine === machine && !lastStateMemo.owner.retired) return lastStateMemo;
  const found = stateMemoLookup(machine, state);
  lastState = state;
  lastStateMemo = found;
  return found;
}

function stateMemoLookup(machine: AnyStateMachine, state: MachineState): StateMemo {
  const known = stateMemos.get(state);
  if (known !== undefined && known.owner.machine === machine && !known.owner.retired) return known;
  let memo = memos.get(machine);
  if (memo === undefined || memo.retired) {
    memo = { machine, byKey: new Map(), entries: 0, retired: false };
    memos.set(machine, memo);
  }
  const key = JSON.stringify(state.value) + '\u0000' + JSON.stringify(state.context);
  let found = memo.byKey.get(key);
  if (found === undefined) {
    found = { owner: memo, state, steps: new Map(), lastKey: undefined, lastStep: undefined };
    memo.byKey.set(key, found);
  }
  stateMemos.set(state, found);
  return found;
}

/** Steps `state` with `event` exactly as xstate's `transition()` would, without the memo. */
export function machineStepUncached<C = unknown, E extends EventObject = EventObject>(machine: AnyStateMachine, state: MachineState<C>, event: E): MachineStep<C> {
  const before = resolve(machine, state);
  const { scope, executed } = scopeFor(machine);
  executed.length = 0;
  const after = machine.transition(before, event, scope) as Snapshot;
  const actions = executed.splice(0, executed.length);
  assert(after.status !== 'error', `machine ${machine.id} errored on ${event.type}: ${String(after.error)}`);
  // A targetless transition with only named actions keeps the same snapshot but still has effects.
  if (after === before) return { state, changed: false, effects: actions.length === 0 ? [] : toEffects(actions) };
  return { state: toPlain(after) as MachineState<C>, changed: true, effects: toEffects(actions) };
}

/**
 * Steps `state` with `event`. `changed` is false when the machine ignored the event.
 * Memoized by (state value and context, event): machines are pure functions of those three (guards
 * and assigns read nothing else), so a hit returns what {@link machineStepUncached} returned the
 * first time; a property test checks this against xstate's `transition()`.
 */
export function machineStep<C = unknown, E extends EventObject = EventObject>(machine: AnyStateMachine, state: MachineState<C>, event: E): MachineStep<C> {
  const from = stateMemoFor(machine, state);
  const key = eventKey(event);
  const hit = key === from.lastKey ? from.lastStep : from.steps.get(key);
  if (hit !== undefined) {
    from.lastKey = key;
    from.lastStep = hit;
    // An ignored event keeps the caller's own state object (equal to, maybe not identical with, the memo's).
    if (hit.changed || hit.state === state) return hit as MachineStep<C>;
    return { state, changed: false, effects: hit.effects };
  }
  const result = machineStepUncached(machine, state, event);
  from.steps.set(key, result.changed || from.state === state ? result : { state: from.state, changed: false, effects: result.effects });
  if (++from.owner.entries >= machineMemoEntriesMax) from.owner.retired = true;
  return result;
}

/** True when `state` matches the state value `value` (e.g. `'Creating'`). */
export function machineMatches(machine: AnyStateMachine, state: MachineState, value: StateValue): boolean {
  return resolve(machine, state).matches(value as never);
}

/** The state value as one string: `'Running'`, or `'attached.healthy'` for nested states. */
export function stateValueText(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([key, child]) => (child === undefined ? key : `${key}.${stateValueText(child)}`))
    .join(',');
}
