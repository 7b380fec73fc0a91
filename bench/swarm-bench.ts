/** Swarm throughput and runs-to-find for one scenario variant. */
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { hunt, runSwarm } from '../src/sim/swarm.ts';
import { cpuMs, figureOf, nowMs, type Figure } from './measure.ts';

export interface SwarmFigures {
  /** Runs per repetition: each repetition runs that many fresh seeds (seeds 1.., then on). */
  readonly runs: number;
  readonly runsPerSecond: Figure;
  readonly actionsPerSecond: Figure;
  readonly ticksPerSecond: Figure;
  /** Actions per CPU second of the process (main thread plus the garbage collector's helpers). */
  readonly actionsPerCpuSecond: Figure;
}

/** Warm-up seeds start here, so the measured seeds 1.. are run for the first time, as in a hunt. */
export const warmUpSeedFirst = 1_000_001;

/** One swarm run of the variant with the scenario's swarm options: its outcome. */
export function swarmRunner(scenario: Scenario, variant: ScenarioVariant): (seed: number) => { readonly actions: number; readonly ticks: number } {
  return (seed) => runSwarm(variant.model, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed, swarm: scenario.swarm }, false).outcome;
}

/**
 * A hunt runs thousands of simulations, so the figure is the steady state: the warm-up runs seeds
 * of its own for `warmUpMs` (V8 reaches full speed on the KubeBlocks models only after some hundred
 * runs), then counts how many runs fit in `budgetMs`; each repetition runs that many fresh seeds,
 * the same seeds in every bench run (repetition i runs seeds i·runs+1 …). Rerunning a seed is not
 * measured: memo caches keyed by what a seed drew (the PGO bootstrap, Patroni durations) would hit
 * where a hunt's fresh seeds miss.
 */
export function swarmThroughput(scenario: Scenario, variant: ScenarioVariant, repetitions: number, budgetMs: number, warmUpMs: number): SwarmFigures {
  const runSeed = swarmRunner(scenario, variant);
  let warmUpSeed = warmUpSeedFirst;
  const warmUpStarted = cpuMs();
  do runSeed(warmUpSeed++);
  while (cpuMs() - warmUpStarted < warmUpMs);
  const countStarted = nowMs();
  let runs = 0;
  do {
    runSeed(warmUpSeed++);
    runs++;
  } while (nowMs() - countStarted < budgetMs);
  const samples = { runs: [] as number[], actions: [] as number[], ticks: [] as number[], cpu: [] as number[] };
  for (let index = 0; index < repetitions; index++) {
    const started = nowMs();
    const cpuStarted = cpuMs();
    let actions = 0;
    let ticks = 0;
    for (let seed = index * runs + 1; seed <= (index + 1) * runs; seed++) {
      const outcome = runSeed(seed);
      actions += outcome.actions;
      ticks += outcome.ticks;
    }
    const seconds = (nowMs() - started) / 1000;
    samples.runs.push(runs / seconds);
    samples.actions.push(actions / seconds);
    samples.ticks.push(ticks / seconds);
    samples.cpu.push((actions * 1000) / (cpuMs() - cpuStarted));
  }
  return { runs, runsPerSecond: figureOf(samples.runs), actionsPerSecond: figureOf(samples.actions), ticksPerSecond: figureOf(samples.ticks), actionsPerCpuSecond: figureOf(samples.cpu) };
}

export interface FindFigures {
  readonly seeds: number;
  readonly runsToFind: Figure | null;
  readonly msToFind: Figure | null;
  readonly notFound: number;
}

/** Runs to find over `seeds` hunts with different base seeds (hunt i starts at seed 1 + i × 10 000). */
export function runsToFind(scenario: Scenario, variant: ScenarioVariant, seeds: number, runsMax: number): FindFigures {
  const runs: number[] = [];
  const times: number[] = [];
  let notFound = 0;
  for (let index = 0; index < seeds; index++) {
    const started = nowMs();
    const result = hunt(scenario, variant, { runs: runsMax, seed: 1 + index * 10_000 });
    if (result.runsToFind === null) notFound++;
    else {
      runs.push(result.runsToFind);
      times.push(nowMs() - started);
    }
  }
  return { seeds, runsToFind: runs.length ? figureOf(runs) : null, msToFind: times.length ? figureOf(times) : null, notFound };
}
