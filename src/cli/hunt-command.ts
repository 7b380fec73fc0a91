/** `opsim hunt <scenario> [--variant V] [--runs N] [--seed S] [--json] [--out trace.json]`. */
import { parseArgs } from 'node:util';
import type { Scenario } from '../sim/scenario.ts';
import { hunt, type HuntResult } from '../sim/swarm.ts';
import { serializeTrace } from '../sim/trace.ts';
import type { CliIo } from './io.ts';
import { findScenario, findVariant } from './lookup.ts';
import { parseCount, UsageError } from './usage.ts';
import { startProgress } from './progress.ts';
import { createPaint } from '../report/paint.ts';
import { renderReport } from '../report/report.ts';
import { renderMermaid } from '../report/mermaid.ts';

export type ReportFormat = 'text' | 'mermaid' | 'json';

/** Parses `--format`, or throws a {@link UsageError}. */
export function parseFormat(text: string | undefined): ReportFormat {
  if (text === undefined) return 'text';
  if (text === 'text' || text === 'mermaid' || text === 'json') return text;
  throw new UsageError(`--format must be text, mermaid or json, got '${text}'`);
}

export function huntCommand(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      variant: { type: 'string', default: 'buggy' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      format: { type: 'string' },
    },
  });
  const format = parseFormat(values.format);
  const scenario = findScenario(scenarios, positionals[0]);
  const variant = findVariant(scenario, values.variant);
  const runs = parseCount('runs', values.runs, scenario.huntRunsDefault, 1);
  const seed = parseCount('seed', values.seed, 1);
  const started = io.elapsedMs();
  const progress = startProgress(io, `${scenario.name} / ${variant.name}`, runs);
  const result = hunt(scenario, variant, { runs, seed, onRun: (done, found) => progress.update(done, found) });
  progress.stop();
  const elapsedMs = io.elapsedMs() - started;
  const tracePath = result.trace ? (values.out ?? `.opsim/${scenario.name}-${variant.name}-seed${result.failingSeed}.json`) : null;
  if (result.trace && tracePath) io.writeFileAtomic(tracePath, serializeTrace(result.trace));
  if (values.json) io.out(JSON.stringify(huntJson(result, tracePath, elapsedMs)) + '\n');
  else if (format === 'mermaid' && result.trace) io.out(renderMermaid(result.trace));
  else if (format === 'json' && result.trace) io.out(serializeTrace(result.trace));
  else io.out(huntText(result, tracePath, elapsedMs, io.color));
  return result.found ? 1 : 0;
}

/** The `--json` object (DESIGN.md §6): stable field names. */
export function huntJson(result: HuntResult, tracePath: string | null, elapsedMs: number): Record<string, unknown> {
  const violation = result.violation;
  return {
    scenario: result.scenario,
    variant: result.variant,
    profile: result.profile,
    driver: 'swarm',
    seed: result.seed,
    runs: result.runs,
    runsDone: result.runsDone,
    found: result.found,
    runsToFind: result.runsToFind,
    failingSeed: result.failingSeed,
    violation: violation
      ? {
          property: violation.property,
          kind: violation.kind,
          headline: violation.headline,
          explanation: violation.explanation,
          steps: violation.steps,
          atTick: violation.atTick,
          subject: violation.subject,
          reason: violation.reason,
          details: violation.details,
          pending: violation.pending,
          events: violation.events,
          errors: violation.errors,
          idleActions: violation.idleActions,
          fairness: violation.fairness,
        }
      : null,
    tracePath,
    replay: tracePath ? `npm run opsim -- replay ${tracePath}` : null,
    actions: result.actions,
    sometimesNeverSeen: result.sometimesNeverSeen,
    elapsedMs,
  };
}

function huntText(result: HuntResult, tracePath: string | null, elapsedMs: number, color: boolean): string {
  const head = `${result.scenario} / ${result.variant} (${result.profile}), seeds ${result.seed}..${result.seed + result.runsDone - 1}`;
  const lines = [head];
  if (result.violation) {
    lines.push(`FOUND after ${result.runsToFind} run(s) (seed ${result.failingSeed}), ${(elapsedMs / 1000).toFixed(1)} s`, '');
    if (result.trace) lines.push(renderReport(result.trace, createPaint(color), tracePath ? `npm run opsim -- replay ${tracePath}` : null));
    if (tracePath) lines.push(`trace: ${tracePath}`);
  } else {
    lines.push(`clean: no property violated in ${result.runsDone} run(s), ${(elapsedMs / 1000).toFixed(1)} s`);
  }
  if (result.sometimesNeverSeen.length > 0) lines.push(`warning: never reached (vacuous?): ${result.sometimesNeverSeen.join('; ')}`);
  return lines.join('\n') + '\n';
}
