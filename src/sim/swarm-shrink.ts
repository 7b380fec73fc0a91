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
import { runScript, ScriptedViolationError, scriptedProperty, scriptLength, traceScript, type ScriptedHuntResult } from './scripted.ts';
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
  const wanted = found.violation;
  const { script } = scriptFromSwarmRun(variant.model, swarm, found.failingSeed);
  const replayed = runScript(variant.model, swarm, script, false).outcome.violation;
  if (replayed === null || replayed.property !== wanted.property || replayed.kind !== wanted.kind) {
    throw new SwarmScriptMismatchError(
      `the script written down from swarm seed ${found.failingSeed} did not replay to its violation (${wanted.property}); got ${replayed ? replayed.property : 'no violation'}`,
    );
  }
  let actions = found.actions;
  const sameViolation = scriptedProperty({ scenario, variant }, { swarm, property: wanted.property, onRun: (report) => (actions += report.outcome.actions) });
  const arbitrary = options.shrinksMax === undefined ? shrinkArbitraryFor(script) : fc.limitShrink(shrinkArbitraryFor(script), options.shrinksMax);
  const property = fc.property(arbitrary, sameViolation.assertScript);
  // numRuns 1 with the script as the one example: fast-check runs it, sees it fail, and shrinks it.
  const details = fc.check(property, { examples: [[script]], numRuns: 1, seed: options.seed });
  assert(details.failed, 'the swarm script failed once untraced but passed under fast-check: the model is not deterministic');
  const error = details.errorInstance;
  if (!(error instanceof ScriptedViolationError)) throw error;
  const trace = traceScript(variant.model, { scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm, script: error.script });
  return {
    ...base,
    actions,
    violation: trace.outcome.violation,
    trace,
    script: error.script,
    resolved: error.resolved,
    fromSwarm: { seed: found.failingSeed, runsToFind: found.runsToFind ?? 0, scriptLength: scriptLength(script), numShrinks: details.numShrinks },
  };
}
