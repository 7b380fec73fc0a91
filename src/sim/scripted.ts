/**
 * The scripted driver (DESIGN.md §1, driver 2): fast-check generates a {@link Script} (options,
 * environment steps with ticks, the system's interleaving) and the shared run loop plays it. A
 * violation shrinks to a minimal script and replays from fast-check's `{ seed, path }`; traces of
 * scripted runs replay with `opsim replay` like swarm traces.
 *
 * One helper, {@link scriptedProperty}, turns a scenario variant or any {@link Model} into a
 * fast-check property for `fc.assert` and for `@fast-check/vitest`'s `test.prop`.
 */
import fc from 'fast-check';
import { assert } from './assert.ts';
import type { Model, SimAction } from './model.ts';
import { registerReplayer } from './replay.ts';
import { runModel, type RunReport } from './run.ts';
import type { Scenario, ScenarioVariant, SwarmOptions } from './scenario.ts';
import type { HuntResult } from './swarm.ts';
import { traceFormat, traceFormatVersion, type Trace, type Violation } from './trace.ts';
import { opsimVersion } from './version.ts';
import { scriptPolicy, type ResolvedStep } from './scripted/policy.ts';
import { normalizeScript, parseScript, scriptArbitrary, type Script } from './scripted/script.ts';
import { formatResolvedSteps, formatTraceSteps } from './scripted/format.ts';

export * from './scripted/script.ts';
export { scriptPolicy, type ResolvedStep } from './scripted/policy.ts';
export { formatResolvedSteps, formatTraceSteps } from './scripted/format.ts';

/** fast-check's replay data for a counterexample (`replayPath` only when `fc.commands` is used; never here). */
export interface FastCheckReplay {
  readonly seed: number;
  readonly path: string;
  readonly replayPath: string | null;
}

export interface ScriptRunReport<W> extends RunReport<W> {
  /** What each environment step became, in the order the driver met them. */
  readonly resolved: readonly ResolvedStep[];
}

/** Plays one script through the shared run loop. */
export function runScript<W, A extends SimAction, O>(model: Model<W, A, O>, swarm: SwarmOptions, script: Script<O>, record: boolean): ScriptRunReport<W> {
  const resolved: ResolvedStep[] = [];
  const policy = scriptPolicy<W, A>(script as Script<unknown>, resolved);
  const report = runModel({ model, options: script.options, swarm, policy, record });
  policy.finish(report.outcome.ticks);
  return { ...report, resolved };
}

/** What identifies a scripted run: enough to run it again and get the same trace. */
export interface ScriptedRunSpec<O> {
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  readonly swarm: SwarmOptions;
  readonly script: Script<O>;
  /** fast-check's replay data when the script came out of a fast-check run. */
  readonly fastCheck?: FastCheckReplay;
}

/** Runs one script with tracing on and packs it as a versioned {@link Trace} (driver `scripted`). */
export function traceScript<W, A extends SimAction, O>(model: Model<W, A, O>, spec: ScriptedRunSpec<O>): Trace {
  const script = normalizeScript(spec.script);
  const report = runScript(model, spec.swarm, script, true);
  const driver = spec.fastCheck ? { name: 'scripted' as const, script, fastCheck: spec.fastCheck } : { name: 'scripted' as const, script };
  return {
    format: traceFormat,
    formatVersion: traceFormatVersion,
    opsimVersion,
    scenario: spec.scenario,
    variant: spec.variant,
    profile: spec.profile,
    driver,
    seed: spec.fastCheck?.seed ?? 0,
    swarm: spec.swarm,
    options: script.options,
    steps: report.steps,
    outcome: report.outcome,
  };
}

registerReplayer('scripted', (variant, trace) => {
  const driver = trace.driver as { name: 'scripted'; script: unknown; fastCheck?: FastCheckReplay };
  const script = parseScript(driver.script, variant.model);
  const spec = { scenario: trace.scenario, variant: trace.variant, profile: trace.profile, swarm: trace.swarm, script };
  return traceScript(variant.model, driver.fastCheck ? { ...spec, fastCheck: driver.fastCheck } : spec);
});

/** Thrown by a scripted property's predicate: the explanation, the resolved script and the trace. */
export class ScriptedViolationError extends Error {
  override readonly name = 'ScriptedViolationError';
  constructor(
    readonly violation: Violation,
    readonly script: Script<unknown>,
    readonly resolved: readonly ResolvedStep[],
    readonly trace: Trace,
  ) {
    super(
      [
        violation.explanation,
        '',
        'script (environment steps as taken):',
        formatResolvedSteps(resolved),
        '',
        `trace (${trace.steps.length} steps):`,
        formatTraceSteps(trace.steps),
        '',
        'replay: pass the { seed, path } fast-check prints below back to fc.assert / test.prop (with endOnFailure: true)',
      ].join('\n'),
    );
  }
}

/** Where a scripted property comes from: a scenario variant, or a user's own model with its swarm settings. */
export type ScriptedTarget<W, A extends SimAction, O> =
  | { readonly scenario: Scenario; readonly variant: ScenarioVariant<W, A, O> }
  | { readonly model: Model<W, A, O>; readonly swarm: SwarmOptions; readonly name?: string };

export interface ScriptedPropertyOptions<O> {
  /** Overrides the scenario's swarm settings (fault phase, budgets, convergence). */
  readonly swarm?: SwarmOptions;
  /** A richer script arbitrary (a scenario's own); defaults to {@link scriptArbitrary}. */
  readonly arbitrary?: fc.Arbitrary<Script<O>>;
  /** Called after every run with its report (statistics, sometimes-coverage). */
  readonly onRun?: (report: ScriptRunReport<unknown>) => void;
  /** Only a violation of this property fails a run, so shrinking keeps the violation being explained. */
  readonly property?: string;
}

/**
 * A fast-check property that plays generated scripts against a model and fails with a
 * {@link ScriptedViolationError} on the first violated property. Use it as `fc.assert(property)`,
 * or as `test.prop(property.arbitraries)(name, property.assertScript)` with `@fast-check/vitest`.
 */
export type ScriptedProperty<O> = fc.IPropertyWithHooks<[Script<O>]> & {
  readonly arbitraries: [fc.Arbitrary<Script<O>>];
  readonly assertScript: (script: Script<O>) => void;
};

interface ResolvedTarget<W, A extends SimAction, O> {
  readonly model: Model<W, A, O>;
  readonly swarm: SwarmOptions;
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
}

function resolveTarget<W, A extends SimAction, O>(target: ScriptedTarget<W, A, O>, swarm?: SwarmOptions): ResolvedTarget<W, A, O> {
  if ('scenario' in target) {
    const { scenario, variant } = target;
    return { model: variant.model, swarm: swarm ?? scenario.swarm, scenario: scenario.name, variant: variant.name, profile: variant.profile };
  }
  const name = target.name ?? target.model.name;
  return { model: target.model, swarm: swarm ?? target.swarm, scenario: name, variant: 'model', profile: name };
}

/** Turns a scenario variant (or your own model) into a fast-check property over scripts. */
export function scriptedProperty<W, A extends SimAction, O>(target: ScriptedTarget<W, A, O>, options: ScriptedPropertyOptions<O> = {}): ScriptedProperty<O> {
  const resolved = resolveTarget(target, options.swarm);
  const arbitrary = options.arbitrary ?? scriptArbitrary(resolved.model, resolved.swarm);
  const predicate = (script: Script<O>): void => {
    const report = runScript(resolved.model, resolved.swarm, script, false);
    options.onRun?.(report as ScriptRunReport<unknown>);
    if (report.outcome.violation === null) return;
    if (options.property !== undefined && report.outcome.violation.property !== options.property) return;
    // Re-run with tracing on: the report carries the trace, and the rerun checks determinism.
    const { scenario, variant, profile, swarm } = resolved;
    const trace = traceScript(resolved.model, { scenario, variant, profile, swarm, script });
    const violation = trace.outcome.violation;
    assert(violation !== null, `a script found a violation untraced but not traced: the model is not deterministic`);
    throw new ScriptedViolationError(violation, normalizeScript(script) as Script<unknown>, report.resolved, trace);
  };
  return Object.assign(fc.property(arbitrary, predicate), { arbitraries: [arbitrary] as [fc.Arbitrary<Script<O>>], assertScript: predicate });
}

export interface ScriptedHuntOptions {
  /** fast-check runs (`numRuns`). */
  readonly runs: number;
  /** fast-check's seed. */
  readonly seed: number;
  /** fast-check's path: start from that run (with `seed`); with `endOnFailure` replay a counterexample without shrinking. */
  readonly path?: string;
  /** Stop at the first failure without shrinking (replay). Defaults to true when `path` is given. */
  readonly endOnFailure?: boolean;
  /** Shrunk scripts fast-check may try at most (`fc.limitShrink`); unlimited when absent. */
  readonly shrinksMax?: number;
  readonly swarm?: SwarmOptions;
}

/**
 * The length of a script as fast-check shrinks it: its environment moves plus its explicit
 * interleaving choices. The system's own actions in between follow from the script (the model's
 * order, then the tail seed) and are counted separately, as a trace's steps.
 */
export function scriptLength(script: Script<unknown>): number {
  return script.steps.length + script.choices.length;
}

export interface ScriptedHuntResult extends HuntResult {
  readonly driver: 'scripted';
  /** fast-check's replay data for the shrunk counterexample. */
  readonly fastCheck: (FastCheckReplay & { readonly numShrinks: number }) | null;
  /** The shrunk script and what its steps became. */
  readonly script: Script<unknown> | null;
  readonly resolved: readonly ResolvedStep[];
  /** Set when the swarm found the violation and fast-check shrank the script the swarm followed. */
  readonly fromSwarm?: SwarmOrigin;
}

/** Where a script shrunk from a swarm find came from. */
export interface SwarmOrigin {
  /** The swarm seed that found the violation, and after how many swarm runs. */
  readonly seed: number;
  readonly runsToFind: number;
  /** The length of the script the swarm run followed, before shrinking. */
  readonly scriptLength: number;
  readonly numShrinks: number;
}

/** Hunts one variant of a scenario with the scripted driver: fast-check finds, shrinks and reports. */
export function huntScripted(scenario: Scenario, variant: ScenarioVariant, options: ScriptedHuntOptions): ScriptedHuntResult {
  assert(Number.isSafeInteger(options.runs) && options.runs > 0, `runs ${options.runs} must be a positive integer`);
  const swarm = options.swarm ?? scenario.swarm;
  const seen = new Set<string>();
  let actions = 0;
  const limited = options.shrinksMax === undefined ? {} : { arbitrary: fc.limitShrink(scriptArbitrary(variant.model, swarm), options.shrinksMax) };
  const property = scriptedProperty({ scenario, variant }, {
    swarm,
    ...limited,
    onRun: (report) => {
      actions += report.outcome.actions;
      for (const name of report.sometimesSeen) seen.add(name);
    },
  });
  const endOnFailure = options.endOnFailure ?? options.path !== undefined;
  const parameters = { seed: options.seed, numRuns: options.runs, endOnFailure, ...(options.path === undefined ? {} : { path: options.path }) };
  const details = fc.check(property, parameters);
  const sometimesAll = variant.model.properties.filter((property) => property.kind === 'sometimes').map((property) => property.name);
  const base = {
    driver: 'scripted' as const,
    scenario: scenario.name,
    variant: variant.name,
    profile: variant.profile,
    seed: options.seed,
    runs: options.runs,
    actions,
    sometimesSeen: [...seen].sort(),
    sometimesNeverSeen: sometimesAll.filter((name) => !seen.has(name)),
  };
  if (!details.failed) {
    return { ...base, runsDone: details.numRuns, found: false, runsToFind: null, runsFound: 0, failingSeed: null, violation: null, trace: null, fastCheck: null, script: null, resolved: [] };
  }
  const error = details.errorInstance;
  if (!(error instanceof ScriptedViolationError)) throw error;
  const fastCheck = { seed: details.seed, path: details.counterexamplePath ?? '', replayPath: null, numShrinks: details.numShrinks };
  const trace = traceScript(variant.model, {
    scenario: scenario.name,
    variant: variant.name,
    profile: variant.profile,
    swarm,
    script: error.script,
    fastCheck: { seed: fastCheck.seed, path: fastCheck.path, replayPath: null },
  });
  return {
    ...base,
    runsDone: details.numRuns,
    found: true,
    runsToFind: details.numRuns,
    runsFound: 1,
    failingSeed: details.seed,
    violation: trace.outcome.violation,
    trace,
    fastCheck,
    script: error.script,
    resolved: error.resolved,
  };
}
