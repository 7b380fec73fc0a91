/**
 * One explore measurement in a process of its own, so that its peak RSS (resourceUsage().maxRSS)
 * is the explorer's and not the rest of the benchmark's. Reads a job as JSON from argv[2], writes
 * the figures as one JSON line. Run by explore-bench.ts; never by tests.
 */
import type { ExploreResult } from '../src/sim/explore.ts';
import { exploreJobRun, exploreJobTarget, type ExploreJob, type ExploreSample } from './explore-run.ts';

export type { ExploreJob, ExploreSample } from './explore-run.ts';

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

const job = JSON.parse(process.argv[2] ?? '') as ExploreJob;
const { scenario, variant } = exploreJobTarget(job);
// Warm up until the JIT has settled: a small space (2,071 states) explores in 30-40 ms warm but in
// 100-200 ms on its first runs, so one warm-up run measured mostly compilation. Runs of at least
// warmUpCpuMs of CPU in all (at least one, at most warmUpRunsMax).
let warmUpCpu = 0;
for (let runs = 0; runs < warmUpRunsMax && (runs === 0 || warmUpCpu < warmUpCpuMs); runs++) {
  warmUpCpu += exploreJobRun(scenario, variant, job, job.warmUpConfigurations ?? job.configurations).sample.cpuMs;
}
const samples: ExploreSample[] = [];
let last: ExploreResult | null = null;
for (let index = 0; index < job.repetitions; index++) {
  const { result, sample } = exploreJobRun(scenario, variant, job, job.configurations);
  samples.push(sample);
  last = result;
}
if (last === null) throw new Error('bench explore: no repetitions');
const output: ExploreChildResult = { states: last.states, edges: last.edges, verdict: last.verdict, exhausted: last.exhausted, samples, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
process.stdout.write(JSON.stringify(output) + '\n');
