/** One row of the demo: hunt a variant with the swarm and, when asked, shrink with the scripted driver. */
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { huntScripted } from '../sim/scripted.ts';
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
  /** Steps of the scripted driver's shrunk counterexample, when shrinking was asked for and found one. */
  readonly shrunkSteps: number | null;
  readonly elapsedMs: number;
}

/** Scripted runs and shrink attempts spent per row with `--shrink`. */
export const demoShrinkRuns = 200;
export const demoShrinksMax = 200;

export function runDemoJob(scenario: Scenario, variant: ScenarioVariant, job: DemoJob): DemoOutcome {
  const started = nowMs();
  const result = hunt(scenario, variant, { runs: job.runs, seed: job.seed });
  let shrunkSteps: number | null = null;
  if (job.shrink && variant.expect !== 'clean') {
    const scripted = huntScripted(scenario, variant, { runs: demoShrinkRuns, seed: job.seed, shrinksMax: demoShrinksMax });
    shrunkSteps = scripted.violation?.steps ?? null;
  }
  return { job, result: { ...result, trace: null }, shrunkSteps, elapsedMs: nowMs() - started };
}
