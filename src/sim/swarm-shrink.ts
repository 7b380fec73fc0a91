/**
 * The swarm finds, fast-check shrinks: `hunt --mode swarm-shrink`. Some violations need more runs
 * than generated scripts get (a long, specific interleaving), while the swarm finds them quickly.
 * This driver hunts with the swarm, writes the failing run down as a script
 * (`scripted/from-swarm.ts`), checks that the script replays to the same violation, and lets
 * fast-check shrink it while that property stays violated. The result is a scripted
 * counterexample like `--mode scripted` gives, replayable from its trace.
 */
import fc from 'fast-check';
import { assert } from './assert.ts';
import type { Scenario, ScenarioVariant } from './scenario.ts';
import { hunt } from './swarm.ts';
import { runScript, ScriptedViolationError, scriptedProperty, scriptLength, traceScript, type ResolvedStep, type Script, type ScriptedHuntResult } from './scripted.ts';
import type { Trace } from './trace.ts';
import { scriptFromSwarmRun, shrinkArbitraryFor } from './scripted/from-swarm.ts';
import type { SwarmOptions } from './scenario.ts';

export interface SwarmShrinkOptions {
  /** Swarm runs (seeds `seed`, `seed + 1`, …). */
  readonly runs: number;
  readonly seed: number;
  /** Shrunk scripts fast-check may try at most; unlimited when absent. */
  readonly shrinksMax?: number;
  readonly swarm?: SwarmOptions;
  /** Called after each swarm run (progress display). */
  readonly onRun?: (runsDone: number, found: boolean) => void;
}

/** Thrown when the script written down from a swarm run does not replay to its violation. */
export class SwarmScriptMismatchError extends Error {
  override readonly name = 'SwarmScriptMismatchError';
}

/** Hunts with the swarm, then shrinks the failing run as a script. */
export function huntSwarmShrink(scenario: Scenario, variant: ScenarioVariant, options: SwarmShrinkOptions): ScriptedHuntResult {
  const swarm = options.swarm ?? scenario.swarm;
  const found = hunt(scenario, variant, { runs: options.runs, seed: options.seed, swarm, ...(options.onRun ? { onRun: options.onRun } : {}) });
  const base = { ...found, driver: 'scripted' as const, fastCheck: null };
  if (!found.found || found.failingSeed === null || found.violation === null) return { ...base, script: null, resolved: [] };
  const shrunk = shrinkSwarmRun(scenario, variant, { swarm, seed: found.failingSeed, property: found.violation.property, fastCheckSeed: options.seed, ...(options.shrinksMax === undefined ? {} : { shrinksMax: options.shrinksMax }) });
  return {
    ...base,
    actions: found.actions + shrunk.actions,
    violation: shrunk.trace.outcome.violation,
    trace: shrunk.trace,
    script: shrunk.script,
    resolved: shrunk.resolved,
    fromSwarm: { seed: found.failingSeed, runsToFind: found.runsToFind ?? 0, scriptLength: shrunk.scriptLengthBefore, numShrinks: shrunk.numShrinks },
  };
}

export interface SwarmRunToShrink {
  readonly swarm: SwarmOptions;
  /** The swarm seed whose run violated `property`. */
  readonly seed: number;
  readonly property: string;
  /** fast-check's seed for the shrink (it only orders the attempts). */
  readonly fastCheckSeed: number;
  readonly shrinksMax?: number;
}

export interface ShrunkSwarmRun {
  readonly script: Script<unknown>;
  readonly resolved: readonly ResolvedStep[];
  readonly trace: Trace;
  readonly scriptLengthBefore: number;
  readonly numShrinks: number;
  /** Actions simulated while shrinking. */
  readonly actions: number;
}

/** Writes a failing swarm run down as a script, checks it replays, and shrinks it keeping `property` violated. */
export function shrinkSwarmRun(scenario: Scenario, variant: ScenarioVariant, run: SwarmRunToShrink): ShrunkSwarmRun {
  const { swarm } = run;
  const { script } = scriptFromSwarmRun(variant.model, swarm, run.seed);
  const replayed = runScript(variant.model, swarm, script, false).outcome.violation;
  if (replayed === null || replayed.property !== run.property) {
    throw new SwarmScriptMismatchError(`the script written down from swarm seed ${run.seed} did not replay to its violation (${run.property}); got ${replayed ? replayed.property : 'no violation'}`);
  }
  let actions = 0;
  const violates = (candidate: Script<unknown>): boolean => {
    const outcome = runScript(variant.model, swarm, candidate, false).outcome;
    actions += outcome.actions;
    return outcome.violation?.property === run.property;
  };
  const sameViolation = scriptedProperty({ scenario, variant }, { swarm, property: run.property, onRun: (report) => (actions += report.outcome.actions) });
  // Cut the choices, let fast-check shrink, and cut again: once fast-check has removed environment
  // steps, a shorter prefix of choices often fails too, which fast-check reaches only one removal
  // at a time. Each round starts from the last failing script; stop when a round shortens nothing.
  let current: { script: Script<unknown>; resolved: readonly ResolvedStep[] } | null = null;
  let candidate = shortestFailingChoices(script, violates);
  let numShrinks = 0;
  for (let round = 0; round < swarmShrinkRoundsMax; round++) {
    const shrunk = shrinkOnce(candidate, sameViolation.assertScript, run, (shrinks) => (numShrinks += shrinks));
    const improved = current === null || scriptLength(shrunk.script) < scriptLength(current.script);
    if (improved) current = shrunk;
    const cut = shortestFailingChoices(shrunk.script, violates);
    const next = scriptLength(cut) < scriptLength(shrunk.script) ? cut : (tailInsteadOfChoices(shrunk.script, violates) ?? cut);
    if (!improved || scriptLength(next) >= scriptLength(shrunk.script)) break;
    candidate = next;
  }
  assert(current !== null, 'a shrink round ran');
  const trace = traceScript(variant.model, { scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm, script: current.script });
  return { script: current.script, resolved: current.resolved, trace, scriptLengthBefore: scriptLength(script), numShrinks, actions };
}

/** Rounds of choice cutting and fast-check shrinking at most (each round runs only when the last one shortened the script). */
export const swarmShrinkRoundsMax = 4;

/** One fast-check shrink of a failing script; `countShrinks` receives how many shrinks it took. */
function shrinkOnce(
  script: Script<unknown>,
  assertScript: (script: Script<unknown>) => void,
  run: SwarmRunToShrink,
  countShrinks: (shrinks: number) => void,
): { script: Script<unknown>; resolved: readonly ResolvedStep[] } {
  const arbitrary = run.shrinksMax === undefined ? shrinkArbitraryFor(script) : fc.limitShrink(shrinkArbitraryFor(script), run.shrinksMax);
  // numRuns 1 with the script as the one example: fast-check runs it, sees it fail, and shrinks it.
  const details = fc.check(fc.property(arbitrary, assertScript), { examples: [[script]], numRuns: 1, seed: run.fastCheckSeed });
  assert(details.failed, 'the swarm script failed once untraced but passed under fast-check: the model is not deterministic');
  countShrinks(details.numShrinks);
  const error = details.errorInstance;
  if (!(error instanceof ScriptedViolationError)) throw error;
  return { script: error.script, resolved: error.resolved };
}

/** Tail seeds tried in place of a script's explicit interleaving choices. */
export const tailSeedsTried = 64;

/**
 * The script with no explicit choices and the first tail seed (1 to {@link tailSeedsTried}) whose
 * interleaving still violates, or null. Choices written down from a swarm run steer every
 * interleaving from the start, and removing one shifts all that follow it, so fast-check keeps
 * them; the violation often needs only the environment's moves and some interleaving. Each
 * candidate is run and checked, as everywhere in shrinking.
 */
export function tailInsteadOfChoices<O>(script: Script<O>, violates: (candidate: Script<O>) => boolean): Script<O> | null {
  if (script.choices.length === 0) return null;
  for (let tailSeed = 1; tailSeed <= tailSeedsTried; tailSeed++) {
    const candidate = { ...script, choices: [], tailSeed };
    if (violates(candidate)) return candidate;
  }
  return null;
}

/**
 * The script with the shortest prefix of its interleaving choices that still violates, the tail
 * PRNG choosing after it (binary search: about log2(choices) runs). A swarm run records hundreds of
 * choices and the violation usually needs only the first few; fast-check would find the same cut
 * one removal at a time, thousands of runs on long scenarios. The result is checked, not assumed:
 * the search only ever keeps a prefix that was run and violated.
 */
export function shortestFailingChoices<O>(script: Script<O>, violates: (candidate: Script<O>) => boolean): Script<O> {
  let failing = script.choices.length;
  let passing = -1;
  while (failing - passing > 1) {
    const middle = Math.floor((failing + passing) / 2);
    if (violates({ ...script, choices: script.choices.slice(0, middle) })) failing = middle;
    else passing = middle;
  }
  return failing === script.choices.length ? script : { ...script, choices: script.choices.slice(0, failing) };
}
