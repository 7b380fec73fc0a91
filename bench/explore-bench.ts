/**
 * The explore section of the benchmark: distinct states per second, states and edges seen, and peak
 * RSS, per scenario variant on the scenario's explore defaults (`Scenario.explore`, what
 * `opsim explore` runs), or for a scenario without them the configuration its property suite
 * explores (properties/*.test.ts), plus the toy grid at one million states, which checks the target of
 * one million states in under 2 GiB. Each measurement runs in a child process (explore-child.ts)
 * so that its peak RSS is its own.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { exploreDepthMaxDefault, exploreStatesMaxDefault, type Interleavings } from '../src/sim/explore.ts';
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { toyGridExpected } from '../src/sim/testing/toy-grid.ts';
import type { ExploreChildResult, ExploreJob } from './explore-child.ts';
import { figureOf, formatRate, type Figure } from './measure.ts';

interface ExploreConfiguration {
  readonly configurations: readonly unknown[];
  readonly faultsMax: number;
  readonly requestsMax: number;
  readonly statesMax: number;
  readonly depthMax?: number;
  /** The fixed variant's limit when lower (as in the property suite). */
  readonly fixedStatesMax?: number;
  readonly interleavings: Interleavings;
}

/** Property suites' explore configurations for scenarios without explore defaults (properties/*.test.ts). */
export const exploreConfigurations: Readonly<Record<string, ExploreConfiguration>> = {
  'pg-image-mismatch': { configurations: [{ nodeCount: 1, replicas: 1, initialImage: 'digest' }], faultsMax: 1, requestsMax: 0, statesMax: 10_000, interleavings: 'all' },
  'kafka-offline-online': { configurations: [{ nodes: 1, timeoutSeconds: null }], faultsMax: 0, requestsMax: 2, statesMax: 11_000, fixedStatesMax: 3_000, interleavings: 'canonical-quiet' },
  'restore-anti-affinity': { configurations: [{ nodeCount: 1, sourceReplicas: 1 }], faultsMax: 0, requestsMax: 2, statesMax: 6_000, fixedStatesMax: 2_000, interleavings: 'canonical-quiet' },
  'pgo-replica-deleted': { configurations: [{ nodeCount: 2, replicas: 2 }], faultsMax: 1, requestsMax: 1, statesMax: 600, interleavings: 'canonical-quiet' },
};

/** 10 × 10 × 10 × 10 × 10 × 5 points, each seen before and after settling: 1,000,000 states. */
export const toyGridMillionSizes = [10, 10, 10, 10, 10, 5];

export interface ExploreFigures {
  readonly scenario: string;
  readonly variant: string;
  readonly interleavings: Interleavings;
  readonly verdict: string;
  readonly exhausted: boolean;
  readonly states: number;
  readonly edges: number;
  readonly statesPerSecond: Figure;
  /** Distinct states per CPU second of the process (steadier than wall time on a shared machine). */
  readonly statesPerCpuSecond: Figure;
  readonly maxRssMiB: number;
}

function measure(job: ExploreJob): ExploreChildResult {
  const child = fileURLToPath(new URL('./explore-child.ts', import.meta.url));
  const spawned = spawnSync(process.execPath, ['--import', 'tsx', child, JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (spawned.status !== 0) throw new Error(`bench explore ${job.scenario}/${job.variant} failed: ${spawned.stderr.slice(-2000)}`);
  return JSON.parse(spawned.stdout.trim().split('\n').at(-1) ?? '') as ExploreChildResult;
}

function figures(job: ExploreJob, result: ExploreChildResult): ExploreFigures {
  return {
    scenario: job.scenario,
    variant: job.variant,
    interleavings: job.interleavings,
    verdict: result.verdict,
    exhausted: result.exhausted,
    states: result.states,
    edges: result.edges,
    statesPerSecond: figureOf(result.samples.map((sample) => sample.statesPerSecond)),
    statesPerCpuSecond: figureOf(result.samples.map((sample) => (result.states * 1000) / sample.cpuMs)),
    maxRssMiB: Math.round(result.maxRssMiB),
  };
}

/**
 * The bench's explore job for one variant: the scenario's explore defaults (what `opsim explore`
 * runs), else the configuration its property suite explores; undefined when it has neither.
 */
export function exploreJobFor(scenario: Scenario, variant: ScenarioVariant, repetitions: number): ExploreJob | undefined {
  const defaults = scenario.explore;
  const configuration: ExploreConfiguration | undefined = defaults
    ? { configurations: defaults.configurations, faultsMax: defaults.faultsMax, requestsMax: defaults.requestsMax, statesMax: defaults.statesMax ?? exploreStatesMaxDefault, depthMax: defaults.depthMax ?? exploreDepthMaxDefault, interleavings: defaults.interleavings ?? 'all' }
    : exploreConfigurations[scenario.name];
  if (configuration === undefined) return undefined;
  const statesMax = variant.name === 'fixed' ? (configuration.fixedStatesMax ?? configuration.statesMax) : configuration.statesMax;
  return { scenario: scenario.name, variant: variant.name, configurations: configuration.configurations, faultsMax: configuration.faultsMax, requestsMax: configuration.requestsMax, statesMax, depthMax: configuration.depthMax ?? exploreDepthMaxDefault, interleavings: configuration.interleavings, repetitions };
}

/** Explore figures for every scenario in `scenarios` with a configuration, and (when `withToyGrid`) the million-state toy grid. */
export function exploreBench(scenarios: readonly Scenario[], repetitions: number, withToyGrid: boolean): ExploreFigures[] {
  const rows: ExploreFigures[] = [];
  for (const scenario of scenarios) {
    for (const variant of scenario.variants) {
      const job = exploreJobFor(scenario, variant, repetitions);
      if (job === undefined) continue;
      process.stderr.write(`bench explore ${scenario.name} / ${variant.name} …\n`);
      rows.push(figures(job, measure(job)));
    }
  }
  if (withToyGrid) {
    process.stderr.write('bench explore toy-grid at 1,000,000 states …\n');
    const expected = toyGridExpected(toyGridMillionSizes);
    const job: ExploreJob = { scenario: 'toy-grid', variant: 'clean', configurations: [{ sizes: toyGridMillionSizes }], warmUpConfigurations: [{ sizes: [10, 10, 10, 10] }], faultsMax: 0, requestsMax: 0, statesMax: expected.states, depthMax: exploreDepthMaxDefault, interleavings: 'all', repetitions: 1 };
    const row = figures(job, measure(job));
    if (row.states !== expected.states || row.edges !== expected.edges) throw new Error(`bench explore toy-grid saw ${row.states} states and ${row.edges} edges, expected ${expected.states} and ${expected.edges}`);
    rows.push(row);
  }
  return rows;
}

export function exploreTable(rows: readonly ExploreFigures[]): string {
  const table = [['scenario', 'variant', 'schedule', 'states', 'edges', 'end', 'states/s', 'states/cpu-s', 'peak RSS MiB']];
  for (const row of rows) {
    table.push([row.scenario, row.variant, row.interleavings, String(row.states), String(row.edges), row.exhausted ? `exhausted, ${row.verdict}` : `limit, ${row.verdict}`, formatRate(row.statesPerSecond), formatRate(row.statesPerCpuSecond), String(row.maxRssMiB)]);
  }
  const widths = (table[0] as string[]).map((_, column) => Math.max(...table.map((cells) => (cells[column] as string).length)));
  const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
  return ['explore: distinct states per second (targets: ≥ 50k states/s; 1M states < 2 GiB)', render(table[0] as string[]), ...table.slice(1).map(render)].join('\n');
}
