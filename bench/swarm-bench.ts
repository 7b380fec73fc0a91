/** Swarm throughput and runs-to-find for one scenario variant. */
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { hunt, runSwarm } from '../src/sim/swarm.ts';
import { figureOf, nowMs, rate, type Figure } from './measure.ts';

export interface SwarmFigures {
  readonly runsPerSecond: Figure;
  readonly actionsPerSecond: Figure;
  readonly ticksPerSecond: Figure;
}

export function swarmThroughput(scenario: Scenario, variant: ScenarioVariant, repetitions: number, budgetMs: number): SwarmFigures {
  let seed = 1;
  let actions = 0;
  let ticks = 0;
  let runs = 0;
  const samples = { runs: [] as number[], actions: [] as number[], ticks: [] as number[] };
  const once = () => {
    const started = nowMs();
    actions = 0;
    ticks = 0;
    runs = 0;
    do {
      const report = runSwarm(variant.model, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed: seed++, swarm: scenario.swarm }, false);
      actions += report.outcome.actions;
      ticks += report.outcome.ticks;
      runs++;
    } while (nowMs() - started < budgetMs);
    const seconds = (nowMs() - started) / 1000;
    return { runs: runs / seconds, actions: actions / seconds, ticks: ticks / seconds };
  };
  once();
  for (let index = 0; index < repetitions; index++) {
    const sample = once();
    samples.runs.push(sample.runs);
    samples.actions.push(sample.actions);
    samples.ticks.push(sample.ticks);
  }
  void rate;
  return { runsPerSecond: figureOf(samples.runs), actionsPerSecond: figureOf(samples.actions), ticksPerSecond: figureOf(samples.ticks) };
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
