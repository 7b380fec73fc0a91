/**
 * One explore measurement in a process of its own, so that its peak RSS (resourceUsage().maxRSS)
 * is the explorer's and not the rest of the benchmark's. Reads a job as JSON from argv[2], writes
 * the figures as one JSON line. Run by explore-bench.ts; never by tests.
 */
import { scenarioByName } from '../src/scenarios/registry.ts';
import { exploreVariant, type ExploreResult, type Interleavings } from '../src/sim/explore.ts';
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { toyGridScenario } from '../src/sim/testing/toy-grid.ts';
import { nowMs } from './measure.ts';

export interface ExploreJob {
  readonly scenario: string;
  readonly variant: string;
  readonly configurations: readonly unknown[];
  readonly faultsMax: number;
  readonly requestsMax: number;
  readonly statesMax: number;
  readonly depthMax: number;
  readonly interleavings: Interleavings;
  /** Measured runs after the warm-up runs (a smaller configuration may be given for the warm-up). */
  readonly repetitions: number;
  readonly warmUpConfigurations?: readonly unknown[];
}

export interface ExploreSample {
  readonly statesPerSecond: number;
  readonly ms: number;
  readonly cpuMs: number;
}

export interface ExploreChildResult {
  readonly states: number;
  readonly edges: number;
  readonly verdict: ExploreResult['verdict'];
  readonly exhausted: boolean;
  readonly samples: readonly ExploreSample[];
  readonly maxRssMiB: number;
}

/** CPU time the warm-up runs take at least, and how many runs they may be. */
const warmUpCpuMs = 1000;
const warmUpRunsMax = 20;

function run(scenario: Scenario, variant: ScenarioVariant, job: ExploreJob, configurations: readonly unknown[]): { result: ExploreResult; sample: ExploreSample } {
  const parsed = configurations.map((raw) => variant.model.options.parse(raw));
  const cpu = process.cpuUsage();
  const started = nowMs();
  const result = exploreVariant(scenario, variant, { configurations: parsed, faultsMax: job.faultsMax, requestsMax: job.requestsMax, statesMax: job.statesMax, depthMax: job.depthMax, interleavings: job.interleavings });
  const ms = nowMs() - started;
  const used = process.cpuUsage(cpu);
  return { result, sample: { statesPerSecond: (result.states * 1000) / ms, ms, cpuMs: (used.user + used.system) / 1000 } };
}

const job = JSON.parse(process.argv[2] ?? '') as ExploreJob;
const scenario = job.scenario === toyGridScenario.name ? toyGridScenario : scenarioByName(job.scenario);
if (scenario === undefined) throw new Error(`bench explore: no scenario ${job.scenario}`);
const variant = scenario.variants.find((candidate) => candidate.name === job.variant);
if (variant === undefined) throw new Error(`bench explore: ${job.scenario} has no variant ${job.variant}`);
// Warm up until the JIT has settled: a small space (2,071 states) explores in 30-40 ms warm but in
// 100-200 ms on its first runs, so one warm-up run measured mostly compilation. Runs of at least
// warmUpCpuMs of CPU in all (at least one, at most warmUpRunsMax).
let warmUpCpu = 0;
for (let runs = 0; runs < warmUpRunsMax && (runs === 0 || warmUpCpu < warmUpCpuMs); runs++) {
  warmUpCpu += run(scenario, variant, job, job.warmUpConfigurations ?? job.configurations).sample.cpuMs;
}
const samples: ExploreSample[] = [];
let last: ExploreResult | null = null;
for (let index = 0; index < job.repetitions; index++) {
  const { result, sample } = run(scenario, variant, job, job.configurations);
  samples.push(sample);
  last = result;
}
if (last === null) throw new Error('bench explore: no repetitions');
const output: ExploreChildResult = { states: last.states, edges: last.edges, verdict: last.verdict, exhausted: last.exhausted, samples, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
process.stdout.write(JSON.stringify(output) + '\n');
