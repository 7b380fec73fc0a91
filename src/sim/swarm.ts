/**
 * The swarm driver: one seed drives a seeded PRNG that draws the model's options (the cluster shape
 * within the scenario's bounds) and then picks among enabled actions, faults and user requests
 * included (like FoundationDB's simulator and TigerBeetle's VOPR). A hunt runs many seeds; the
 * first violation is re-run with tracing on, which both records the counterexample and checks that
 * the run is deterministic.
 */
import { assert } from './assert.ts';
import type { SimAction, Model } from './model.ts';
import { Prng } from './prng.ts';
import { runModel, type ChooseContext, type RunPolicy, type RunReport } from './run.ts';
import type { Scenario, ScenarioVariant, SwarmOptions } from './scenario.ts';
import { traceFormat, traceFormatVersion, type Trace, type Violation } from './trace.ts';
import { opsimVersion } from './version.ts';

/**
 * The swarm's choice: an environment move when the dice say so, else an urgent step, else time.
 * The environment's moves are listed only when a die asks for one (`environmentActions()`).
 */
export function swarmPolicy<W, A extends SimAction>(prng: Prng): RunPolicy<W, A> {
  return {
    choose(context: ChooseContext<W, A>): A | null {
      const system = context.systemActions;
      if (system.length === 0 && context.environmentActions().length === 0) return null;
      if (context.phase === 'faults') {
        const environment = chooseEnvironment(prng, context);
        if (environment !== null) return environment;
      }
      const urgent = pickWhere(prng, system, isUrgent);
      if (urgent !== null) return urgent;
      return system.find((action) => action.kind === 'time') ?? null;
    },
  };
}

const isUrgent = (action: SimAction): boolean => action.kind !== 'time';
const isFault = (action: SimAction): boolean => action.kind === 'fault';
const isRequest = (action: SimAction): boolean => action.kind === 'user';

/**
 * `prng.pick(actions.filter(matches))`, or null (drawing nothing) when none matches: the same draw,
 * without the filtered array the run loop used to build on every step.
 */
export function pickWhere<A extends SimAction>(prng: Prng, actions: readonly A[], matches: (action: SimAction) => boolean): A | null {
  let count = 0;
  for (let index = 0; index < actions.length; index++) if (matches(actions[index] as A)) count++;
  if (count === 0) return null;
  let chosen = prng.int(0, count - 1);
  for (let index = 0; index < actions.length; index++) {
    const action = actions[index] as A;
    if (matches(action) && chosen-- === 0) return action;
  }
  throw new Error('unreachable: pickWhere counted a match it did not find');
}

function chooseEnvironment<W, A extends SimAction>(prng: Prng, context: ChooseContext<W, A>): A | null {
  const { swarm } = context;
  if (context.faultsTaken < swarm.faultsMax && prng.chance(swarm.faultChance)) {
    const fault = pickWhere(prng, context.environmentActions(), isFault);
    if (fault !== null) return fault;
  }
  if (context.requestsTaken < swarm.requestsMax && prng.chance(swarm.requestChance)) {
    const request = pickWhere(prng, context.environmentActions(), isRequest);
    if (request !== null) return request;
  }
  return null;
}

/** What identifies a swarm run: enough to run it again and get the same trace. */
export interface SwarmRunSpec<O> {
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  readonly seed: number;
  readonly swarm: SwarmOptions;
  /** The model's options; drawn from the seed when absent. */
  readonly options?: O;
}

/** The options a swarm run with `seed` uses when none are given. */
export function swarmOptionsFor<O>(model: Model<unknown, SimAction, O>, seed: number): O {
  return model.options.draw(Prng.fromSeed(seed).fork('options'));
}

/** One swarm run. With `record`, the report carries every step and can become a {@link Trace}. */
export function runSwarm<W, A extends SimAction, O>(model: Model<W, A, O>, spec: SwarmRunSpec<O>, record: boolean): RunReport<W> & { readonly options: O } {
  const options = spec.options ?? model.options.draw(Prng.fromSeed(spec.seed).fork('options'));
  const policy = swarmPolicy<W, A>(Prng.fromSeed(spec.seed).fork('swarm'));
  const report = runModel({ model, options, swarm: spec.swarm, policy, record });
  return { ...report, options };
}

/** Runs one swarm run with tracing on and packs it as a versioned {@link Trace}. */
export function traceSwarm<W, A extends SimAction, O>(model: Model<W, A, O>, spec: SwarmRunSpec<O>): Trace {
  const report = runSwarm(model, spec, true);
  return {
    format: traceFormat,
    formatVersion: traceFormatVersion,
    opsimVersion,
    scenario: spec.scenario,
    variant: spec.variant,
    profile: spec.profile,
    driver: { name: 'swarm' },
    seed: spec.seed,
    swarm: spec.swarm,
    options: report.options,
    steps: report.steps,
    outcome: report.outcome,
  };
}

export interface HuntOptions {
  readonly runs: number;
  /** Run `i` (0-based) uses seed `seed + i`. */
  readonly seed: number;
  /** Overrides the scenario's swarm settings. */
  readonly swarm?: SwarmOptions;
  /** Called after each run (progress display). */
  readonly onRun?: (runsDone: number, found: boolean) => void;
  /** Keep going after the first violation (to count how many runs find it). */
  readonly all?: boolean;
}

export interface HuntResult {
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  readonly seed: number;
  readonly runs: number;
  readonly runsDone: number;
  readonly found: boolean;
  /** 1-based index of the first run that found a violation; null when none did. */
  readonly runsToFind: number | null;
  /** Runs that found a violation (equals 1 when found and not `all`). */
  readonly runsFound: number;
  readonly failingSeed: number | null;
  readonly violation: Violation | null;
  readonly trace: Trace | null;
  readonly actions: number;
  readonly sometimesSeen: readonly string[];
  /** `sometimes` properties no run reached: the suite may be vacuous. */
  readonly sometimesNeverSeen: readonly string[];
}

/** Hunts one variant of a scenario with the swarm. */
export function hunt(scenario: Scenario, variant: ScenarioVariant, options: HuntOptions): HuntResult {
  assert(Number.isSafeInteger(options.runs) && options.runs > 0, `runs ${options.runs} must be a positive integer`);
  const swarm = options.swarm ?? scenario.swarm;
  const seen = new Set<string>();
  let first: { seed: number; index: number } | null = null;
  let runsDone = 0;
  let runsFound = 0;
  let actions = 0;
  for (let index = 0; index < options.runs; index++) {
    const seed = options.seed + index;
    const spec = { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed, swarm };
    const report = runSwarm(variant.model, spec, false);
    runsDone++;
    actions += report.outcome.actions;
    for (const name of report.sometimesSeen) seen.add(name);
    const found = report.outcome.violation !== null;
    if (found) runsFound++;
    options.onRun?.(runsDone, found);
    if (found && first === null) first = { seed, index };
    if (found && !options.all) break;
  }
  const sometimesAll = variant.model.properties.filter((property) => property.kind === 'sometimes').map((property) => property.name);
  const base = {
    scenario: scenario.name,
    variant: variant.name,
    profile: variant.profile,
    seed: options.seed,
    runs: options.runs,
    runsDone,
    actions,
    sometimesSeen: [...seen].sort(),
    sometimesNeverSeen: sometimesAll.filter((name) => !seen.has(name)),
  };
  if (first === null) return { ...base, found: false, runsToFind: null, runsFound: 0, failingSeed: null, violation: null, trace: null };
  const trace = traceSwarm(variant.model, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed: first.seed, swarm });
  assert(trace.outcome.violation !== null, `seed ${first.seed} found a violation untraced but not traced: the run is not deterministic`);
  return { ...base, found: true, runsToFind: first.index + 1, runsFound, failingSeed: first.seed, violation: trace.outcome.violation, trace };
}
