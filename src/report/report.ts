/**
 * The stuck report a person reads: a headline sentence (what is stuck, in which phase, since when,
 * the one-line reason), the explanation, the swimlane timeline, and the replay command line.
 */
import type { Trace } from '../sim/trace.ts';
import type { Paint } from './paint.ts';
import { renderTimeline } from './timeline.ts';

export function renderReport(trace: Trace, paint: Paint, replayCommand: string | null): string {
  const violation = trace.outcome.violation;
  const lines: string[] = [];
  if (violation) {
    lines.push(paint.headline(violation.headline), '', violation.explanation.split('\n').slice(1).join('\n'));
  } else {
    lines.push(paint.good(`no property violated (${trace.outcome.actions} steps, ${trace.outcome.ticks} ticks)`));
  }
  lines.push('', paint.bold(`timeline of ${trace.scenario} / ${trace.variant} (${trace.profile}), seed ${trace.seed}:`), renderTimeline(trace, paint));
  if (replayCommand) lines.push('', `replay: ${replayCommand}`);
  return lines.join('\n') + '\n';
}
