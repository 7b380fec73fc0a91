/** One row of the demo: hunt a variant with the swarm and, when asked, shrink the run it found as a script. */
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { scriptLength } from '../sim/scripted.ts';
import { shrinkSwarmRun } from '../sim/swarm-shrink.ts';
import { hunt, type HuntResult } from '../sim/swarm.ts';
import { nowMs } from './wall-clock.ts';

export interface DemoJob {
  readonly scenario: string;
  readonly variant: string;
  readonly runs: number;
  readonly seed: number;
  readonly shrink: boolean;
}

export interface DemoOutcome {
  readonly job: DemoJob;
  readonly result: Omit<HuntResult, 'trace'> & { readonly trace: null };
  /** The row's own find, written down as a script and shrunk (script steps, actions of its run), when shrinking was asked for. */
  readonly shrunk: { readonly scriptSteps: number; readonly actions: number } | null;
  readonly elapsedMs: number;
}

/** Shrink attempts spent per row with `--shrink`. */
export const demoShrinksMax = 5000;

export function runDemoJob(scenario: Scenario, variant: ScenarioVariant, job: DemoJob): DemoOutcome {
  const started = nowMs();
  const result = hunt(scenario, variant, { runs: job.runs, seed: job.seed });
  let shrunk: DemoOutcome['shrunk'] = null;
  if (job.shrink && result.failingSeed !== null && result.violation !== null) {
    const run = { swarm: scenario.swarm, seed: result.failingSeed, property: result.violation.property, fastCheckSeed: job.seed, shrinksMax: demoShrinksMax };
    const done = shrinkSwarmRun(scenario, variant, run);
    const violation = done.trace.outcome.violation;
    if (violation) shrunk = { scriptSteps: scriptLength(done.script), actions: violation.steps };
  }
  return { job, result: { ...result, trace: null }, shrunk, elapsedMs: nowMs() - started };
}
