/**
 * `opsim demo` (what `npm start` runs): every scenario in both variants, one table. Exit 0 exactly
 * when every variant does what it is expected to (buggy caught, fixed clean).
 */
import { parseArgs } from 'node:util';
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { availableParallelism } from 'node:os';
import { runDemoJob, type DemoJob, type DemoOutcome } from './demo-job.ts';
import { runDemoPool } from './demo-pool.ts';
import type { CliIo } from './io.ts';
import { parseCount } from './usage.ts';
import { startProgress } from './progress.ts';

export interface DemoRow {
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  readonly expect: ScenarioVariant['expect'];
  readonly result: DemoOutcome['result'];
  readonly shrunk: DemoOutcome['shrunk'];
  readonly elapsedMs: number;
  readonly agrees: boolean;
}

/** Runs a `clean`-expected variant gets in the default demo; `--runs` raises the effort. */
export const demoCleanRunsDefault = 60;

function agrees(expectation: ScenarioVariant['expect'], result: DemoRow['result']): boolean {
  if (expectation === 'clean') return !result.found;
  return result.found && result.violation?.kind === expectation;
}

function verdict(result: DemoRow['result']): string {
  if (!result.found) return `clean after ${result.runsDone} runs`;
  return `${result.violation?.kind === 'stuck' ? 'stuck state found' : `${result.violation?.kind} found`}`;
}

function jobsOf(scenarios: readonly Scenario[], runsOverride: number | null, seed: number, shrink: boolean): DemoJob[] {
  return scenarios.flatMap((scenario) =>
    scenario.variants.map((variant) => ({
      scenario: scenario.name,
      variant: variant.name,
      // A variant expected to fail stops at its first find; a clean one runs its whole budget.
      runs: runsOverride ?? (variant.expect === 'clean' ? Math.min(scenario.huntRunsDefault, demoCleanRunsDefault) : scenario.huntRunsDefault),
      seed,
      shrink,
    })),
  );
}

function rowOf(scenarios: readonly Scenario[], outcome: DemoOutcome): DemoRow {
  const variant = scenarios.find((scenario) => scenario.name === outcome.job.scenario)?.variants.find((candidate) => candidate.name === outcome.job.variant);
  if (!variant) throw new Error(`demo row for unknown ${outcome.job.scenario}/${outcome.job.variant}`);
  return {
    scenario: outcome.job.scenario,
    variant: variant.name,
    profile: variant.profile,
    expect: variant.expect,
    result: outcome.result,
    shrunk: outcome.shrunk,
    elapsedMs: outcome.elapsedMs,
    agrees: agrees(variant.expect, outcome.result),
  };
}

function progressLine(io: CliIo, outcome: DemoOutcome): void {
  const result = outcome.result;
  io.out(`hunted ${result.scenario} / ${result.variant} (${result.profile}): ${verdict(result)}${result.runsToFind ? ` after ${result.runsToFind} run(s)` : ''}\n`);
}

interface DemoPlan {
  readonly jobs: readonly DemoJob[];
  readonly workers: number;
  readonly shrink: boolean;
}

function planDemo(argv: readonly string[], scenarios: readonly Scenario[]): DemoPlan {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: { runs: { type: 'string' }, seed: { type: 'string' }, jobs: { type: 'string' }, shrink: { type: 'boolean', default: false } },
  });
  const runsOverride = values.runs === undefined ? null : parseCount('runs', values.runs, 1, 1);
  const seed = parseCount('seed', values.seed, 1);
  const workers = parseCount('jobs', values.jobs, Math.max(1, Math.min(2, availableParallelism())), 1);
  return { jobs: jobsOf(scenarios, runsOverride, seed, values.shrink), workers, shrink: values.shrink };
}

function startDemoProgress(io: CliIo, total: number): { onDone: (outcome: DemoOutcome) => void; stop: () => void } {
  const progress = startProgress(io, 'demo: scenarios × variants', total);
  let done = 0;
  return {
    onDone(outcome) {
      progress.update(++done, outcome.result.found);
      if (!io.isTerminal) progressLine(io, outcome);
    },
    stop: () => progress.stop(),
  };
}

function finishDemo(io: CliIo, scenarios: readonly Scenario[], outcomes: readonly DemoOutcome[], shrink: boolean): number {
  const rows = outcomes.map((outcome) => rowOf(scenarios, outcome));
  io.out('\n' + demoTable(rows) + '\n');
  const disagreeing = rows.filter((row) => !row.agrees);
  for (const row of disagreeing) io.out(`DISAGREES: ${row.scenario} / ${row.variant} expected ${row.expect}, got ${verdict(row.result)}\n`);
  if (disagreeing.length === 0) io.out(`all ${rows.length} rows as expected: every buggy variant caught, every fixed variant clean\n`);
  if (!shrink) io.out('(shrunk script: add --shrink to shrink the counterexample of each row as a fast-check script; it takes about a minute)\n');
  return disagreeing.length === 0 ? 0 : 1;
}

/** The demo in this thread, one row after the other (used with injected scenarios, e.g. in tests). */
export function demoCommand(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]): number {
  const plan = planDemo(argv, scenarios);
  if (scenarios.length === 0) {
    io.out('no scenario is registered yet: nothing to demonstrate\n');
    return 0;
  }
  const progress = startDemoProgress(io, plan.jobs.length);
  const outcomes = plan.jobs.map((job) => {
    const scenario = scenarios.find((candidate) => candidate.name === job.scenario) as Scenario;
    const outcome = runDemoJob(scenario, scenario.variants.find((candidate) => candidate.name === job.variant) as ScenarioVariant, job);
    progress.onDone(outcome);
    return outcome;
  });
  progress.stop();
  return finishDemo(io, scenarios, outcomes, plan.shrink);
}

/** The demo over the registered scenarios on worker threads (`--jobs N`, default one per core up to 2). */
export async function demoCommandPooled(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]): Promise<number> {
  const plan = planDemo(argv, scenarios);
  if (scenarios.length === 0 || plan.workers === 1) return demoCommand(argv, io, scenarios);
  const progress = startDemoProgress(io, plan.jobs.length);
  const outcomes = await runDemoPool(plan.jobs, plan.workers, progress.onDone);
  progress.stop();
  return finishDemo(io, scenarios, outcomes, plan.shrink);
}

/** Renders the demo rows as an aligned text table. */
export function demoTable(rows: readonly DemoRow[]): string {
  const header = ['scenario', 'variant', 'profile', 'verdict', 'runs to find', 'steps', 'shrunk script', 'time', 'ok'];
  const body = rows.map((row) => [
    row.scenario,
    row.variant,
    row.profile,
    verdict(row.result),
    row.result.runsToFind === null ? '-' : String(row.result.runsToFind),
    row.result.violation ? String(row.result.violation.steps) : '-',
    row.shrunk === null ? '-' : `${row.shrunk.scriptSteps} (${row.shrunk.actions} actions)`,
    `${(row.elapsedMs / 1000).toFixed(1)} s`,
    row.agrees ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}
