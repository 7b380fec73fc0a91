/** One row of the demo: hunt a variant with the swarm and, when asked, shrink with the scripted driver. */
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { huntScripted, scriptLength } from '../sim/scripted.ts';
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
  /** The scripted driver's shrunk counterexample (script steps, actions of its run), when shrinking was asked for and found one. */
  readonly shrunk: { readonly scriptSteps: number; readonly actions: number } | null;
  readonly elapsedMs: number;
}

/** Scripted runs and shrink attempts spent per row with `--shrink`. */
export const demoShrinkRuns = 200;
export const demoShrinksMax = 200;

export function runDemoJob(scenario: Scenario, variant: ScenarioVariant, job: DemoJob): DemoOutcome {
  const started = nowMs();
  const result = hunt(scenario, variant, { runs: job.runs, seed: job.seed });
  let shrunk: DemoOutcome['shrunk'] = null;
  if (job.shrink && variant.expect !== 'clean') {
    const scripted = huntScripted(scenario, variant, { runs: demoShrinkRuns, seed: job.seed, shrinksMax: demoShrinksMax });
    if (scripted.script && scripted.violation) shrunk = { scriptSteps: scriptLength(scripted.script), actions: scripted.violation.steps };
  }
  return { job, result: { ...result, trace: null }, shrunk, elapsedMs: nowMs() - started };
}
