/**
 * The run loop every driver shares (DESIGN.md §2): a fault phase in which a policy chooses among
 * the enabled actions, including faults and user requests; then the environment settles; then a
 * bounded convergence phase with only the system's own moves. `always` properties are checked
 * after every step, `eventually` properties at the end. The result is a value, never an exception.
 *
 * Drivers differ only in their {@link RunPolicy}: the swarm draws from a seeded PRNG, the scripted
 * driver follows a fast-check-generated script.
 */
import { AssertionError } from './assert.ts';
import { LimitError, checkLimit } from './limits.ts';
import type { Model, SimAction, TimeAction } from './model.ts';
import { isEnvironmentAction, splitByKind, type SplitActions } from './model.ts';
import type { Property } from './property.ts';
import type { SwarmOptions } from './scenario.ts';
import type { Tick } from './ticks.ts';
import { TraceRecorder, type RunEnd, type RunOutcome, type TraceStep, type Violation } from './trace.ts';
import { buildViolation, errorViolation } from './explain.ts';

export type RunPhase = 'faults' | 'convergence';

/** What a policy sees when it chooses the next action. */
export interface ChooseContext<W, A extends SimAction> {
  readonly world: W;
  /** The enabled system moves (every kind but `user` and `fault`), in the model's order. */
  readonly systemActions: readonly A[];
  /**
   * The enabled environment moves (`user`, `fault`), in the model's order. Built on the first call
   * of a step (the same list on later calls): a policy that does not want one this step never pays for it.
   */
  environmentActions(): readonly A[];
  /** Every enabled action, in the model's order: `model.actions(world)`, built on first read. */
  readonly actions: readonly A[];
  readonly phase: RunPhase;
  readonly now: Tick;
  readonly faultsTaken: number;
  readonly requestsTaken: number;
  readonly swarm: SwarmOptions;
}

/** Chooses the next action among the enabled ones; null ends the run (nothing left to do). */
export interface RunPolicy<W, A extends SimAction> {
  choose(context: ChooseContext<W, A>): A | null;
}

export interface RunConfig<W, A extends SimAction, O> {
  readonly model: Model<W, A, O>;
  readonly options: O;
  readonly swarm: SwarmOptions;
  readonly policy: RunPolicy<W, A>;
  /** Record every step (for a trace); off in hunts until a violation is found, then re-run with it on. */
  readonly record: boolean;
}

export interface RunReport<W> {
  readonly outcome: RunOutcome;
  readonly steps: readonly TraceStep[];
  readonly world: W;
  /** Names of the `sometimes` properties seen true at some step of this run. */
  readonly sometimesSeen: readonly string[];
}

interface LoopState<W> {
  world: W;
  phase: RunPhase;
  settledAtTick: Tick | null;
  actions: number;
  faults: number;
  requests: number;
}

/** Runs one simulation to its verdict. */
export function runModel<W, A extends SimAction, O>(config: RunConfig<W, A, O>): RunReport<W> {
  const { model } = config;
  const properties = splitProperties(model.properties);
  const initial = model.init(config.options);
  const recorder = config.record ? new TraceRecorder(model.observe(initial), model.now(initial)) : null;
  const state: LoopState<W> = { world: initial, phase: 'faults', settledAtTick: null, actions: 0, faults: 0, requests: 0 };
  const seen = new Set<string>();
  const finish = (endedBy: RunEnd, violation: Violation | null): RunReport<W> => ({
    outcome: {
      verdict: violation === null ? 'clean' : violation.kind,
      endedBy,
      actions: state.actions,
      ticks: model.now(state.world),
      settledAtTick: state.settledAtTick,
      violation,
    },
    steps: recorder?.steps ?? [],
    world: state.world,
    sometimesSeen: [...seen].sort(),
  });
  try {
    noteSometimes(properties.sometimes, state.world, seen);
    const initialBreach = firstBroken(properties.always, state.world);
    if (initialBreach) return finish('safety-violation', buildViolation(model, state.world, initialBreach, 'safety', 0, recorder));
    let endedBy: RunEnd | null;
    while ((endedBy = step(config, state, recorder)) === null) {
      noteSometimes(properties.sometimes, state.world, seen);
      const breach = firstBroken(properties.always, state.world);
      if (breach) return finish('safety-violation', buildViolation(model, state.world, breach, 'safety', state.actions, recorder));
    }
    const stuck = firstBroken(properties.eventually, state.world);
    return finish(stuck ? endedBy : 'converged', stuck ? buildViolation(model, state.world, stuck, 'stuck', state.actions, recorder) : null);
  } catch (error) {
    if (error instanceof LimitError && error.limit === 'actionsPerRunMax') {
      // A run that never stops acting after settling is a livelock: report the liveness property that is still false.
      const stuck = firstBroken(properties.eventually, state.world);
      if (stuck) return finish('convergence-ticks', buildViolation(model, state.world, stuck, 'stuck', state.actions, recorder, error.message));
    }
    if (error instanceof AssertionError || error instanceof LimitError) {
      return finish('error', errorViolation(model, state.world, error, state.actions, recorder));
    }
    throw error;
  }
}

/** Takes one step; returns why the loop ends, or null to go on. */
function step<W, A extends SimAction, O>(config: RunConfig<W, A, O>, state: LoopState<W>, recorder: TraceRecorder | null): RunEnd | null {
  const { model, swarm } = config;
  let now = model.now(state.world);
  if (state.phase === 'faults' && now >= swarm.faultPhaseTicks) {
    state.world = model.settle(state.world);
    state.phase = 'convergence';
    state.settledAtTick = now;
    recorder?.record(now, 'settle', 'environment.settle', model.observe(state.world));
    now = model.now(state.world);
  }
  if (state.phase === 'convergence' && now - (state.settledAtTick as Tick) >= swarm.convergenceTicksMax) {
    return 'convergence-ticks';
  }
  const context = chooseContext(model, state, now, swarm);
  const chosen = config.policy.choose(context);
  if (chosen === null || (state.phase === 'convergence' && isIdleTime(chosen))) {
    return 'quiescent';
  }
  const action: A =
    state.phase === 'faults' && isIdleTime(chosen) && !environmentCanAct(context.environmentActions(), state, swarm) ? jumpToSettle<A>(chosen, swarm) : chosen;
  if (state.phase === 'convergence' && isEnvironmentAction(action)) {
    throw new AssertionError(`policy chose ${action.label} after the environment settled`);
  }
  if (action.kind === 'fault') state.faults++;
  if (action.kind === 'user') state.requests++;
  state.world = model.apply(state.world, action);
  state.actions++;
  // The limit's text is built only when it is crossed: a template literal per step was 1% of a KubeBlocks step's allocation.
  if (state.actions > swarm.actionsPerRunMax) checkLimit('actionsPerRunMax', state.actions, swarm.actionsPerRunMax, `at tick ${model.now(state.world)} after ${action.label}`);
  recorder?.record(model.now(state.world), action.kind, action.label, model.observe(state.world));
  return null;
}

/**
 * The context of one choice. A model with `systemActions`/`environmentActions` is asked only for
 * its system moves up front; its environment moves and its full list are built when a policy reads
 * them. A model without them is asked for `actions` and the list is split by kind. A class, not an
 * object literal with closures: one is made per step.
 */
class StepContext<W, A extends SimAction, O> implements ChooseContext<W, A> {
  readonly systemActions: readonly A[];
  private all: readonly A[] | null = null;
  private environment: readonly A[] | null = null;

  constructor(
    private readonly model: Model<W, A, O>,
    readonly world: W,
    readonly phase: RunPhase,
    readonly now: Tick,
    readonly faultsTaken: number,
    readonly requestsTaken: number,
    readonly swarm: SwarmOptions,
  ) {
    if (model.systemActions !== undefined && model.environmentActions !== undefined) {
      this.systemActions = model.systemActions(world);
    } else {
      this.all = model.actions(world);
      const split = splitCached(this.all);
      this.systemActions = split.system;
      this.environment = split.environment;
    }
  }

  environmentActions(): readonly A[] {
    return (this.environment ??= (this.model.environmentActions as (world: W) => readonly A[])(this.world));
  }

  get actions(): readonly A[] {
    return (this.all ??= this.model.actions(this.world));
  }
}

function chooseContext<W, A extends SimAction, O>(model: Model<W, A, O>, state: LoopState<W>, now: Tick, swarm: SwarmOptions): ChooseContext<W, A> {
  return new StepContext(model, state.world, state.phase, now, state.faults, state.requests, swarm);
}

// Models often hand back the same (memoized) list on consecutive steps: the last split is kept.
let lastSplit: { readonly actions: readonly SimAction[]; readonly split: SplitActions<SimAction> } | null = null;

function splitCached<A extends SimAction>(actions: readonly A[]): SplitActions<A> {
  if (lastSplit === null || lastSplit.actions !== actions) lastSplit = { actions, split: splitByKind(actions) };
  return lastSplit.split as SplitActions<A>;
}

function isIdleTime(action: SimAction): action is TimeAction {
  return action.kind === 'time' && (action as TimeAction).idle;
}

function environmentCanAct<A extends SimAction>(actions: readonly A[], state: LoopState<unknown>, swarm: SwarmOptions): boolean {
  return actions.some(
    (action) =>
      (action.kind === 'fault' && state.faults < swarm.faultsMax) || (action.kind === 'user' && state.requests < swarm.requestsMax),
  );
}

// Nothing can happen until the environment settles: skip the idle ticks in one move instead of one by one.
function jumpToSettle<A extends SimAction>(idle: TimeAction, swarm: SwarmOptions): A {
  const to = Math.max(idle.to, swarm.faultPhaseTicks);
  return { ...idle, to, label: `time.idle ${to}` } as unknown as A;
}

interface SplitProperties<W> {
  readonly always: readonly Property<W>[];
  readonly eventually: readonly Property<W>[];
  readonly sometimes: readonly Property<W>[];
}

function splitProperties<W>(properties: readonly Property<W>[]): SplitProperties<W> {
  return {
    always: properties.filter((property) => property.kind === 'always'),
    eventually: properties.filter((property) => property.kind === 'eventually'),
    sometimes: properties.filter((property) => property.kind === 'sometimes'),
  };
}

function firstBroken<W>(properties: readonly Property<W>[], world: W): Property<W> | undefined {
  return properties.find((property) => !property.holds(world));
}

function noteSometimes<W>(properties: readonly Property<W>[], world: W, seen: Set<string>): void {
  for (const property of properties) if (!seen.has(property.name) && property.holds(world)) seen.add(property.name);
}
