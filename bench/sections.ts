/** Further benchmark sections: the reducer reference point (and explore and scale, added below). */
import type { Scenario } from '../src/sim/scenario.ts';
import { formatRate } from './measure.ts';
import { reducerReference } from './reducer-bench.ts';
import { scaleFigures, scaleText } from './scale-bench.ts';
import { exploreBench, exploreTable } from './explore-bench.ts';

export interface Section {
  readonly key: string;
  readonly text: string;
  readonly data: unknown;
}

export interface SectionOptions {
  readonly quick: boolean;
  readonly repetitions: number;
  readonly budgetMs: number;
}

function reducerSection(options: SectionOptions): Section {
  const figures = reducerReference(options.repetitions, options.budgetMs);
  const text = [
    `reference: Component phase rules over ${figures.events} recorded status.computed events (pg-image-mismatch swarm runs)`,
    `  plain reducer (componentPhaseRule): ${formatRate(figures.reducerEventsPerSecond)} events/s`,
    `  XState-hosted (machineStep):        ${formatRate(figures.xstateEventsPerSecond)} events/s`,
    `  ratio: ${figures.ratio.toFixed(1)}× (target ≤ 5×; CPU time, median of back-to-back pairs)`,
  ].join('\n');
  return { key: 'reducerReference', text, data: figures };
}

// Scale runs pg-image-mismatch at 3, 30 and 300 nodes: only when that scenario is benchmarked.
function scaleSection(scenarios: readonly Scenario[], options: SectionOptions): Section[] {
  if (!scenarios.some((scenario) => scenario.name === 'pg-image-mismatch')) return [];
  const figures = scaleFigures(options.repetitions, options.budgetMs);
  return [{ key: 'scale', text: scaleText(figures), data: figures }];
}

// The million-state toy grid runs unless the bench is narrowed to one scenario (--only).
function exploreSection(scenarios: readonly Scenario[], options: SectionOptions): Section {
  const rows = exploreBench(scenarios, Math.min(options.repetitions, 3), scenarios.length > 1);
  return { key: 'explore', text: exploreTable(rows), data: rows };
}

export function extraSections(scenarios: readonly Scenario[], options: SectionOptions): Section[] {
  return [reducerSection(options), ...scaleSection(scenarios, options), exploreSection(scenarios, options)];
}
