/**
 * The counterexample as a Mermaid sequence diagram: the environment and one participant per lane;
 * faults and requests are messages from the environment, phase changes are notes, Events are
 * self-messages with their upstream reason and message.
 */
import type { Trace } from '../sim/trace.ts';
import { chooseLanes, elide, significantSteps, timelineRowsMax } from './lanes.ts';

// Mermaid treats ';' and '#' specially inside message text.
function clean(text: string): string {
  return text.replace(/;/g, ',').replace(/#/g, 'no.').replace(/\n/g, ' ');
}

/** Renders a trace as Mermaid `sequenceDiagram` source. */
export function renderMermaid(trace: Trace): string {
  const { lanes } = chooseLanes(trace);
  const id = new Map(lanes.map((lane, index) => [lane, `L${index}`]));
  const lines = ['sequenceDiagram', '  participant env as environment'];
  for (const lane of lanes) lines.push(`  participant ${id.get(lane)} as ${clean(lane)}`);
  const { head, elided, tail } = elide(significantSteps(trace), timelineRowsMax);
  const emit = (steps: typeof head) => {
    for (const step of steps) {
      const target = step.changes?.map((change) => id.get(change.object)).find((candidate) => candidate !== undefined) ?? 'env';
      if (step.kind === 'fault' || step.kind === 'user' || step.kind === 'settle') lines.push(`  env->>${target}: t${step.tick} ${clean(step.action)}`);
      for (const change of step.changes ?? []) {
        const lane = id.get(change.object);
        if (lane) lines.push(`  Note over ${lane}: t${step.tick} ${clean(change.from ?? '∅')} → ${clean(change.to ?? 'gone')}`);
      }
      for (const event of step.events ?? []) {
        const lane = id.get(`${event.object.split('/')[0]} ${event.object.split('/').slice(1).join('/')}`) ?? 'env';
        lines.push(`  ${lane}-->>${lane}: t${step.tick} ${event.type} ${event.reason}: ${clean(event.message)}`);
      }
    }
  };
  emit(head);
  if (elided > 0) lines.push(`  Note over env: … ${elided} more steps …`);
  emit(tail);
  const violation = trace.outcome.violation;
  if (violation) lines.push(`  Note over ${violation.subject ? (id.get(`${violation.subject.kind} ${violation.subject.name}`) ?? 'env') : 'env'}: ${clean(violation.headline)}`);
  return lines.join('\n') + '\n';
}
