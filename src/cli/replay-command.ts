/** `opsim replay <trace.json> [--json]`: re-run a saved counterexample; exit 1 if it still fails. */
import { parseArgs } from 'node:util';
import { parseTrace, replayTrace, TraceError } from '../sim/replay.ts';
import type { Scenario } from '../sim/scenario.ts';
import type { CliIo } from './io.ts';
import { findScenario, findVariant } from './lookup.ts';
import { UsageError } from './usage.ts';
import { parseFormat } from './hunt-command.ts';
import { createPaint } from '../report/paint.ts';
import { renderReport } from '../report/report.ts';
import { renderMermaid } from '../report/mermaid.ts';
import { serializeTrace } from '../sim/trace.ts';

export function replayCommand(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]): number {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { json: { type: 'boolean', default: false }, format: { type: 'string' } } });
  const format = parseFormat(values.format);
  const path = positionals[0];
  if (path === undefined) throw new UsageError('missing trace file: opsim replay <trace.json>');
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    throw new UsageError(`cannot read trace file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const recorded = parseTrace(text, path);
    const scenario = findScenario(scenarios, recorded.scenario);
    const variant = findVariant(scenario, recorded.variant);
    if (variant.profile !== recorded.profile) throw new UsageError(`${path} was recorded with profile ${recorded.profile}; ${scenario.name}/${variant.name} is now ${variant.profile}`);
    const result = replayTrace(variant, recorded);
    const violation = result.trace.outcome.violation;
    if (values.json) {
      io.out(JSON.stringify({ scenario: recorded.scenario, variant: recorded.variant, seed: recorded.seed, identical: result.identical, divergence: result.divergence, note: result.note, found: violation !== null, violation }) + '\n');
    } else if (format === 'mermaid') {
      io.out(renderMermaid(result.trace));
    } else if (format === 'json') {
      io.out(serializeTrace(result.trace));
    } else {
      io.out(`${recorded.scenario} / ${recorded.variant} (${recorded.profile}), seed ${recorded.seed}: replay ${result.identical ? 'is byte-identical' : 'DIVERGED'}\n`);
      if (result.divergence) io.out(`  first difference at step ${result.divergence.stepIndex}:\n    recorded: ${JSON.stringify(result.divergence.recorded)}\n    replayed: ${JSON.stringify(result.divergence.replayed)}\n`);
      if (result.note) io.out(`  ${result.note}\n`);
      io.out('\n' + renderReport(result.trace, createPaint(io.color), `npm run opsim -- replay ${path}`));
    }
    return violation !== null || !result.identical ? 1 : 0;
  } catch (error) {
    if (error instanceof TraceError) throw new UsageError(error.message);
    throw error;
  }
}
