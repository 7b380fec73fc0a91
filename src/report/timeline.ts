/**
 * The counterexample as text swimlanes: one lane per object (node, pod, component, OpsRequest,
 * Patroni member, volume, replica), phase changes at their ticks, the faults and user requests that
 * caused them, and the Kubernetes Events with their upstream reasons and messages.
 */
import type { Trace, TraceStep } from '../sim/trace.ts';
import { chooseLanes, elide, significantSteps, timelineRowsMax } from './lanes.ts';
import type { Paint } from './paint.ts';

const laneWidth = 18;

function fit(text: string, width: number): string {
  return text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
}

function cause(step: TraceStep): string {
  if (step.kind === 'fault' || step.kind === 'user') return step.action;
  if (step.kind === 'settle') return '— environment settles: no more faults or requests —';
  return step.action;
}

function row(step: TraceStep, lanes: readonly string[], paint: Paint): string[] {
  const cells = lanes.map((lane) => {
    const change = step.changes?.find((candidate) => candidate.object === lane);
    if (!change) return ' '.repeat(laneWidth);
    const text = change.to === null ? `${change.from} → gone` : change.from === null ? `→ ${change.to}` : `${change.from}→${change.to}`;
    return paint.phase(fit(text, laneWidth));
  });
  const causeText = step.kind === 'fault' ? paint.fault(cause(step)) : step.kind === 'user' ? paint.user(cause(step)) : paint.dim(cause(step));
  const lines = [`${String(step.tick).padStart(6)} │ ${cells.join(' │ ')} │ ${causeText}`];
  for (const event of step.events ?? []) {
    const badge = event.type === 'Warning' ? paint.warning(`${event.type} ${event.reason}`) : `${event.type} ${event.reason}`;
    const count = event.count > 1 ? ` (×${event.count})` : '';
    lines.push(`${' '.repeat(6)} │ ${' '.repeat(lanes.length * (laneWidth + 3) - 3)} │   ⚑ ${badge} ${event.object}${count}: ${event.message}`);
  }
  return lines;
}

/** Renders the swimlane timeline of a trace. */
export function renderTimeline(trace: Trace, paint: Paint): string {
  const { lanes, folded } = chooseLanes(trace);
  const header = `${'tick'.padStart(6)} │ ${lanes.map((lane) => paint.bold(fit(lane, laneWidth))).join(' │ ')} │ cause (fault, request or controller step)`;
  const rule = `${'─'.repeat(7)}┼${lanes.map(() => '─'.repeat(laneWidth + 2)).join('┼')}┼${'─'.repeat(44)}`;
  const steps = significantSteps(trace);
  const { head, elided, tail } = elide(steps, timelineRowsMax);
  const lines = [header, rule];
  for (const step of head) lines.push(...row(step, lanes, paint));
  if (elided > 0) lines.push(`${' '.repeat(6)} │ … ${elided} more steps …`);
  for (const step of tail) lines.push(...row(step, lanes, paint));
  if (folded.length > 0) lines.push('', `other objects that changed phase: ${folded.join(', ')}`);
  return lines.join('\n');
}
