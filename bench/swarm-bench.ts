/** Swarm throughput and runs-to-find for one scenario variant. */
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { hunt, runSwarm } from '../src/sim/swarm.ts';
import { cpuMs, figureOf, nowMs, type Figure } from './measure.ts';

export interface SwarmFigures {
  /** Seeds 1..runs, run once per repetition: every repetition does the same work. */
  readonly runs: number;
  readonly runsPerSecond: Figure;
  readonly actionsPerSecond: Figure;
  readonly ticksPerSecond: Figure;
  /** Actions per CPU second of the process (main thread plus the garbage collector's helpers). */
  readonly actionsPerCpuSecond: Figure;
}

/**
 * The warm-up runs seeds 1, 2, … until `budgetMs` has passed; each repetition then runs the same
 * seeds again. Fresh seeds per repetition (the first harness) made every repetition measure a
 * different mix of long and short runs, and two idle bench runs of the same code differed by up
 * to 15%; with the same seeds the spread is the machine's alone.
 */
export function swarmThroughput(scenario: Scenario, variant: ScenarioVariant, repetitions: number, budgetMs: number): SwarmFigures {
  const runSeed = (seed: number) => runSwarm(variant.model, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed, swarm: scenario.swarm }, false).outcome;
  const warmUpStarted = nowMs();
  let runs = 0;
  do runSeed(++runs);
  while (nowMs() - warmUpStarted < budgetMs);
  const samples = { runs: [] as number[], actions: [] as number[], ticks: [] as number[], cpu: [] as number[] };
  for (let index = 0; index < repetitions; index++) {
    const started = nowMs();
    const cpuStarted = cpuMs();
    let actions = 0;
    let ticks = 0;
    for (let seed = 1; seed <= runs; seed++) {
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
