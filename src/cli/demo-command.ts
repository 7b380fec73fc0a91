/**
 * `opsim demo` (what `npm start` runs): every scenario in both variants, one table. Exit 0 exactly
 * when every variant does what it is expected to (buggy caught, fixed clean).
 */
import { parseArgs } from 'node:util';
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { hunt, type HuntResult } from '../sim/swarm.ts';
import type { CliIo } from './io.ts';
import { parseCount } from './usage.ts';
import { startProgress } from './progress.ts';

export interface DemoRow {
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  readonly expect: ScenarioVariant['expect'];
  readonly result: HuntResult;
  readonly elapsedMs: number;
  readonly agrees: boolean;
}

function agrees(expectation: ScenarioVariant['expect'], result: HuntResult): boolean {
  if (expectation === 'clean') return !result.found;
  return result.found && result.violation?.kind === expectation;
}

function verdict(result: HuntResult): string {
  if (!result.found) return `clean after ${result.runsDone} runs`;
  return `${result.violation?.kind === 'stuck' ? 'stuck state found' : `${result.violation?.kind} found`}`;
}

export function demoCommand(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]): number {
  const { values } = parseArgs({ args: [...argv], strict: true, options: { runs: { type: 'string' }, seed: { type: 'string' } } });
  const runsOverride = values.runs === undefined ? null : parseCount('runs', values.runs, 1, 1);
  const seed = parseCount('seed', values.seed, 1);
  if (scenarios.length === 0) {
    io.out('no scenario is registered yet: nothing to demonstrate\n');
    return 0;
  }
  const rows: DemoRow[] = [];
  for (const scenario of scenarios) {
    for (const variant of scenario.variants) {
      const runs = runsOverride ?? scenario.huntRunsDefault;
      const started = io.elapsedMs();
      const progress = startProgress(io, `${scenario.name} / ${variant.name}`, runs);
      const result = hunt(scenario, variant, { runs, seed, onRun: (done, found) => progress.update(done, found) });
      progress.stop();
      if (!io.isTerminal) io.out(`hunted ${scenario.name} / ${variant.name} (${variant.profile}): ${verdict(result)}${result.runsToFind ? ` after ${result.runsToFind} run(s)` : ''}\n`);
      rows.push({ scenario: scenario.name, variant: variant.name, profile: variant.profile, expect: variant.expect, result, elapsedMs: io.elapsedMs() - started, agrees: agrees(variant.expect, result) });
    }
  }
  io.out('\n' + demoTable(rows) + '\n');
  const disagreeing = rows.filter((row) => !row.agrees);
  for (const row of disagreeing) io.out(`DISAGREES: ${row.scenario} / ${row.variant} expected ${row.expect}, got ${verdict(row.result)}\n`);
  if (disagreeing.length === 0) io.out(`all ${rows.length} rows as expected: every buggy variant caught, every fixed variant clean\n`);
  return disagreeing.length === 0 ? 0 : 1;
}

/** Renders the demo rows as an aligned text table. */
export function demoTable(rows: readonly DemoRow[]): string {
  const header = ['scenario', 'variant', 'profile', 'verdict', 'runs to find', 'steps', 'time', 'ok'];
  const body = rows.map((row) => [
    row.scenario,
    row.variant,
    row.profile,
    verdict(row.result),
    row.result.runsToFind === null ? '-' : String(row.result.runsToFind),
    row.result.violation ? String(row.result.violation.steps) : '-',
    `${(row.elapsedMs / 1000).toFixed(1)} s`,
    row.agrees ? 'yes' : 'NO',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...body.map((cells) => (cells[column] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}
