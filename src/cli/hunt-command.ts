/**
 * `opsim hunt <scenario> [--variant V] [--mode swarm|scripted|swarm-shrink] [--runs N] [--seed S] [--path P] [--json] [--out trace.json]`.
 * `--mode scripted` hunts with fast-check scripts (shrunk counterexamples; `--seed` and `--path`
 * replay one on the first run); `--mode swarm-shrink` hunts with the swarm and has fast-check
 * shrink the failing run as a script.
 */
import { parseArgs } from 'node:util';
import type { Scenario } from '../sim/scenario.ts';
import { hunt, type HuntResult } from '../sim/swarm.ts';
import { huntScripted, formatResolvedSteps, scriptLength, type ScriptedHuntResult } from '../sim/scripted.ts';
import { huntSwarmShrink } from '../sim/swarm-shrink.ts';
import { serializeTrace, type Violation } from '../sim/trace.ts';
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
      mode: { type: 'string', default: 'swarm' },
      path: { type: 'string' },
    },
  });
  const format = parseFormat(values.format);
  if (values.mode !== 'swarm' && values.mode !== 'scripted' && values.mode !== 'swarm-shrink') throw new UsageError(`--mode must be swarm, scripted or swarm-shrink, got '${values.mode}'`);
  if (values.path !== undefined && values.mode !== 'scripted') throw new UsageError('--path replays a fast-check counterexample: it needs --mode scripted');
  if (values.path !== undefined && !/^\d+(:\d+)*$/.test(values.path)) throw new UsageError(`--path must look like 4:0:2, got '${values.path}'`);
  const scenario = findScenario(scenarios, positionals[0]);
  const variant = findVariant(scenario, values.variant);
  const runs = parseCount('runs', values.runs, scenario.huntRunsDefault, 1);
  const seed = parseCount('seed', values.seed, 1);
  const started = io.elapsedMs();
  let result: HuntResult | ScriptedHuntResult;
  if (values.mode === 'scripted') {
    // fast-check decides how many runs shrinking takes: no progress bar, the hunt reports them at the end.
    result = huntScripted(scenario, variant, values.path === undefined ? { runs, seed } : { runs, seed, path: values.path });
  } else {
    const progress = startProgress(io, `${scenario.name} / ${variant.name}`, runs);
    const onRun = (done: number, found: boolean): void => progress.update(done, found);
    try {
      result = values.mode === 'swarm-shrink' ? huntSwarmShrink(scenario, variant, { runs, seed, onRun }) : hunt(scenario, variant, { runs, seed, onRun });
    } finally {
      progress.stop();
    }
  }
  const elapsedMs = io.elapsedMs() - started;
  const mode = values.mode === 'swarm' ? '' : `-${values.mode}`;
  const tracePath = result.trace ? (values.out ?? `.opsim/${scenario.name}-${variant.name}${mode}-seed${result.failingSeed}.json`) : null;
  if (result.trace && tracePath) io.writeFileAtomic(tracePath, serializeTrace(result.trace));
  if (values.json) io.out(JSON.stringify(huntJson(result, tracePath, elapsedMs)) + '\n');
  else if (format === 'mermaid' && result.trace) io.out(renderMermaid(result.trace));
  else if (format === 'json' && result.trace) io.out(serializeTrace(result.trace));
  else io.out(huntText(result, tracePath, elapsedMs, io.color));
  return result.found ? 1 : 0;
}

/** The `--json` object (DESIGN.md §6): stable field names. */
export function huntJson(result: HuntResult | ScriptedHuntResult, tracePath: string | null, elapsedMs: number): Record<string, unknown> {
  const violation = result.violation;
  const scripted = 'driver' in result ? result : null;
  return {
    scenario: result.scenario,
    variant: result.variant,
    profile: result.profile,
    driver: scripted ? (scripted.fromSwarm ? 'swarm-shrink' : 'scripted') : 'swarm',
    seed: result.seed,
    runs: result.runs,
    runsDone: result.runsDone,
    found: result.found,
    runsToFind: result.runsToFind,
    failingSeed: result.failingSeed,
    // In scripted mode `violation.steps` is the shrunk script's length (what fast-check minimised);
    // `violation.actions` is every action of the run up to the verdict, as in the other drivers.
    violation: violation ? (scripted?.script ? { ...violationJson(violation), steps: scriptLength(scripted.script) } : violationJson(violation)) : null,
    ...(scripted
      ? { path: scripted.fastCheck?.path ?? null, replayPath: scripted.fastCheck?.replayPath ?? null, fastCheck: scripted.fastCheck, script: scripted.script, ...(scripted.fromSwarm ? { fromSwarm: scripted.fromSwarm } : {}) }
      : {}),
    tracePath,
    replay: tracePath ? `npm run opsim -- replay ${tracePath}` : null,
    actions: result.actions,
    sometimesNeverSeen: result.sometimesNeverSeen,
    elapsedMs,
  };
}

/** The `violation` object of every `--json` output (hunt, explore). */
export function violationJson(violation: Violation): Record<string, unknown> {
  return {
    property: violation.property,
    kind: violation.kind,
    headline: violation.headline,
    explanation: violation.explanation,
    steps: violation.steps,
    actions: violation.steps,
    atTick: violation.atTick,
    subject: violation.subject,
    reason: violation.reason,
    details: violation.details,
    pending: violation.pending,
    events: violation.events,
    errors: violation.errors,
    idleActions: violation.idleActions,
    fairness: violation.fairness,
  };
}

function huntText(result: HuntResult | ScriptedHuntResult, tracePath: string | null, elapsedMs: number, color: boolean): string {
  const generated = 'driver' in result && result.fromSwarm === undefined;
  const head = generated
    ? `${result.scenario} / ${result.variant} (${result.profile}), scripted: fast-check seed ${result.seed}, ${result.runsDone} run(s)`
    : `${result.scenario} / ${result.variant} (${result.profile}), seeds ${result.seed}..${result.seed + result.runsDone - 1}`;
  const lines = [head];
  if (result.violation) {
    lines.push(`FOUND after ${result.runsToFind} run(s) (seed ${result.failingSeed}), ${(elapsedMs / 1000).toFixed(1)} s`, '');
    if (result.trace) lines.push(renderReport(result.trace, createPaint(color), tracePath ? `npm run opsim -- replay ${tracePath}` : null));
    if ('driver' in result && result.fastCheck) {
      const { seed, path, numShrinks } = result.fastCheck;
      const length = result.script ? scriptLength(result.script) : 0;
      lines.push(`shrunk ${numShrinks} time(s) to a script of ${length} step(s) (${result.violation.steps} actions in all); environment steps as taken:`, formatResolvedSteps(result.resolved), '');
      lines.push(`fast-check: { seed: ${seed}, path: "${path}", endOnFailure: true } (no replayPath: the script is plain data, not fc.commands)`);
      lines.push(`reproduce: npm run opsim -- hunt ${result.scenario} --variant ${result.variant} --mode scripted --seed ${seed} --path ${path}`);
    }
    if ('driver' in result && result.fromSwarm) {
      const origin = result.fromSwarm;
      const length = result.script ? scriptLength(result.script) : 0;
      lines.push(
        `the swarm's run (seed ${origin.seed}) written down as a script of ${origin.scriptLength} step(s), cut and shrunk (${origin.numShrinks} fast-check shrinks) to ${length} step(s) (${result.violation.steps} actions in all); environment steps as taken:`,
        formatResolvedSteps(result.resolved),
        '',
      );
    }
    if (tracePath) lines.push(`trace: ${tracePath}`);
  } else {
    lines.push(`clean: no property violated in ${result.runsDone} run(s), ${(elapsedMs / 1000).toFixed(1)} s`);
  }
  if (result.sometimesNeverSeen.length > 0) lines.push(`warning: never reached (vacuous?): ${result.sometimesNeverSeen.join('; ')}`);
  return lines.join('\n') + '\n';
}
