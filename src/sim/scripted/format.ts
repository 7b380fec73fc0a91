/** Plain-text renderings of a scripted run for failure messages: the script as taken, and the trace. */
import type { TraceStep } from '../trace.ts';
import type { ResolvedStep } from './policy.ts';

/** Trace lines shown in a failure message; a longer trace keeps its head and its tail. */
export const traceLinesMax = 80;

export function formatResolvedSteps(resolved: readonly ResolvedStep[]): string {
  if (resolved.length === 0) return '  (no environment steps)';
  return resolved
    .map((entry) => {
      const wanted = `${entry.step.kind}${entry.step.match === undefined ? '' : ` '${entry.step.match}'`} #${entry.step.pick} at tick ${entry.step.atTick}+${entry.step.afterUrgent}`;
      return entry.taken === null ? `  ${wanted}: skipped (${entry.skipped})` : `  tick ${entry.tick}: ${entry.taken}  (${wanted})`;
    })
    .join('\n');
}

function formatStep(step: TraceStep): string {
  const notes = [
    ...(step.changes ?? []).map((change) => `${change.object} ${change.from ?? '∅'}→${change.to ?? '∅'}`),
    ...(step.events ?? []).map((event) => `${event.type} ${event.reason} ${event.object}: ${event.message}`),
  ];
  return `  #${step.index} t=${step.tick} ${step.action}${notes.length > 0 ? `  [${notes.join('; ')}]` : ''}`;
}

export function formatTraceSteps(steps: readonly TraceStep[], linesMax: number = traceLinesMax): string {
  if (steps.length <= linesMax) return steps.map(formatStep).join('\n');
  const head = Math.floor(linesMax / 2);
  const tail = linesMax - head;
  return [...steps.slice(0, head).map(formatStep), `  … ${steps.length - linesMax} steps …`, ...steps.slice(-tail).map(formatStep)].join('\n');
}
