/**
 * `npm run profile -- <swarm|explore|scale> …`: a CPU profile of the bench's steady state, read into
 * self time per function and per file (source lines through tsx's source maps).
 *
 *   npm run profile -- swarm <scenario> <variant> [--ms N] [--top N] [--out file.cpuprofile]
 *   npm run profile -- explore <scenario> <variant> [--ms N] [--top N] [--out file.cpuprofile]
 *   npm run profile -- scale <nodes> [--ms N] [--top N] [--out file.cpuprofile]
 *
 * Each warms up as the bench does (swarm: 1 s of CPU on seeds of its own; explore: the bench's
 * explore job until 1 s of CPU; scale: 1.5 s of CPU) and only then starts the profiler, so the
 * table shows the simulator rather than module loading and JIT compilation (a whole-process
 * `node --cpu-prof` spends a fifth of a short run there). Profiling costs a few percent of speed.
 * Bad usage exits 2 with a message; nothing is written then.
 */
import { Session } from 'node:inspector';
import { findSourceMap } from 'node:module';
import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { CpuProfile, Locate } from './profile-summary.ts';

// Before the simulator's modules load, so that their source maps are kept for `findSourceMap`.
process.setSourceMapsEnabled(true);

const { profileSummaryText, summarizeProfile, withoutFrames } = await import('./profile-summary.ts');
const { cpuMs, nowMs } = await import('./measure.ts');
// The CLI's usage errors and count parsing: the same messages and exit code 2 as `opsim`.
const { UsageError, parseCount } = await import('../src/cli/usage.ts');

const usage = 'usage: npm run profile -- swarm <scenario> <variant> | explore <scenario> <variant> | scale <nodes>  [--ms N] [--top N] [--out file.cpuprofile]';

/** Runs `work` once at a time until `budgetMs` have passed, under the inspector's sampling profiler. */
function profiled(work: () => void, budgetMs: number): CpuProfile {
  const session = new Session();
  session.connect();
  // An in-thread session answers synchronously: the callback has run when post returns.
  const post = (method: string, params?: object): unknown => {
    let answer: unknown;
    session.post(method, params ?? {}, (error, result) => {
      if (error) throw error;
      answer = result;
    });
    return answer;
  };
  post('Profiler.enable');
  post('Profiler.setSamplingInterval', { interval: 250 });
  post('Profiler.start');
  // The budget is read on the monotonic clock: process.cpuUsage() between runs showed up as a tenth
  // of the samples of short swarm runs (it is a system call the sampling signal keeps interrupting).
  const started = nowMs();
  do work();
  while (nowMs() - started < budgetMs);
  const { profile } = post('Profiler.stop') as { profile: CpuProfile };
  session.disconnect();
  return profile;
}

const locate: Locate = (url, line, column) => {
  const entry = findSourceMap(url)?.findEntry(line, column);
  if (entry === undefined || !('originalSource' in entry)) return null;
  return { file: entry.originalSource, line: entry.originalLine + 1 };
};

async function swarmWork(scenarioName: string, variantName: string): Promise<() => void> {
  const { scenarioByName } = await import('../src/scenarios/registry.ts');
  const { swarmRunner, warmUpSeedFirst } = await import('./swarm-bench.ts');
  const scenario = scenarioByName(scenarioName);
  if (scenario === undefined) throw new UsageError(`unknown scenario '${scenarioName}'`);
  const variant = scenario.variants.find((candidate) => candidate.name === variantName);
  if (variant === undefined) throw new UsageError(`scenario ${scenarioName} has no variant '${variantName}' (it has ${scenario.variants.map((candidate) => candidate.name).join(', ')})`);
  const runSeed = swarmRunner(scenario, variant);
  let warmUpSeed = warmUpSeedFirst;
  const warmUpStarted = cpuMs();
  do runSeed(warmUpSeed++);
  while (cpuMs() - warmUpStarted < 1_000);
  let seed = 1;
  return () => void runSeed(seed++);
}

async function exploreWork(scenarioName: string, variantName: string): Promise<() => void> {
  const { scenarioByName } = await import('../src/scenarios/registry.ts');
  const { exploreJobFor } = await import('./explore-bench.ts');
  const { exploreJobRun } = await import('./explore-run.ts');
  const scenario = scenarioByName(scenarioName);
  if (scenario === undefined) throw new UsageError(`unknown scenario '${scenarioName}'`);
  const variant = scenario.variants.find((candidate) => candidate.name === variantName);
  if (variant === undefined) throw new UsageError(`scenario ${scenarioName} has no variant '${variantName}'`);
  const job = exploreJobFor(scenario, variant, 1);
  if (job === undefined) throw new UsageError(`scenario ${scenarioName} has no explore configuration in the bench`);
  const warmUpStarted = cpuMs();
  do exploreJobRun(scenario, variant, job, job.configurations);
  while (cpuMs() - warmUpStarted < 1_000);
  return () => void exploreJobRun(scenario, variant, job, job.configurations);
}

async function scaleWork(nodes: number): Promise<() => void> {
  const { scaleRunner, scaleWarmUpMs } = await import('./scale-bench.ts');
  const { runOnce } = scaleRunner(nodes);
  const warmUpStarted = cpuMs();
  do runOnce();
  while (cpuMs() - warmUpStarted < scaleWarmUpMs);
  return () => void runOnce();
}

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { ms: { type: 'string' }, top: { type: 'string' }, out: { type: 'string' } } });
  const budgetMs = parseCount('ms', values.ms, 3_000, 1);
  const top = parseCount('top', values.top, 30, 1);
  const [mode, first, second, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  let work: () => void;
  if (mode === 'swarm' || mode === 'explore') {
    if (first === undefined || second === undefined || positionals.length !== 3) throw new UsageError(`${mode} needs a scenario and a variant`);
    work = mode === 'swarm' ? await swarmWork(first, second) : await exploreWork(first, second);
  } else if (mode === 'scale') {
    if (positionals.length !== 2) throw new UsageError('scale needs a node count');
    work = await scaleWork(parseCount('nodes', first, 3, 1));
  } else throw new UsageError(mode === undefined ? 'a mode is needed' : `unknown mode '${mode}'`);
  const profile = profiled(work, budgetMs);
  if (values.out !== undefined) {
    // Written beside and renamed, so an interrupted write leaves no half profile under the name.
    writeFileSync(`${values.out}.partial`, JSON.stringify(profile));
    renameSync(`${values.out}.partial`, values.out);
  }
  console.log(`${positionals.join(' ')}: ${budgetMs} ms after the warm-up`);
  // The profiler's own stop call is sampled while it builds the profile: not the simulator's time.
  const simulator = withoutFrames(profile, (frame) => frame.url === 'node:inspector');
  console.log(profileSummaryText(summarizeProfile(simulator, locate, process.cwd()), top));
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError) && !(error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) throw error;
  console.error(`profile: ${error.message}\n${usage}`);
  process.exitCode = 2;
}
