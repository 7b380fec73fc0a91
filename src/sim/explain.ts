/**
 * Turns a broken property into a {@link Violation} a person can read (DESIGN.md §2): the property
 * and the object with its phase and since when, `pending()`'s reason, the last Kubernetes Events,
 * the controller errors it keeps hitting, the actions that are enabled but change nothing, and the
 * fairness assumption the verdict relies on.
 */
import type { KubeEvent } from './events.ts';
import { isEnvironmentAction, type Model, type SimAction } from './model.ts';
import type { Property, SubjectSince } from './property.ts';
import type { TraceRecorder, Violation, ViolationKind } from './trace.ts';

/** Events shown in a report. */
export const reportEventsMax = 8;
/** Enabled actions probed for "changes nothing" at the end of a stuck run. */
export const idleProbeActionsMax = 64;

export function buildViolation<W, A extends SimAction, O>(
  model: Model<W, A, O>,
  world: W,
  property: Property<W>,
  kind: ViolationKind,
  steps: number,
  recorder: TraceRecorder | null,
  note?: string,
): Violation {
  const explained = property.explain?.(world) ?? { reason: `${property.name} does not hold` };
  const since = explained.subject && recorder ? recorder.since(explained.subject.kind, explained.subject.name) : null;
  const subject: SubjectSince | null = explained.subject ? { ...explained.subject, sinceTick: since?.sinceTick ?? 0 } : null;
  const observation = model.observe(world);
  const pending = model.pending(world);
  const events = pickEvents(observation.events, subject);
  const idleActions = kind === 'stuck' ? probeIdleActions(model, world, pending) : [];
  const details = [...(explained.details ?? []), ...(note ? [note] : [])];
  const atTick = model.now(world);
  const headline = headlineOf(kind, property.name, subject, explained.reason, recorder !== null);
  const violation = {
    property: property.name,
    kind,
    headline,
    reason: explained.reason,
    details,
    subject,
    pending,
    events,
    errors: observation.errors,
    idleActions,
    fairness: kind === 'stuck' ? (property.fairness ?? null) : null,
    steps,
    atTick,
  };
  return { ...violation, explanation: explanationText(violation) };
}

export function errorViolation<W, A extends SimAction, O>(
  model: Model<W, A, O>,
  world: W,
  error: Error,
  steps: number,
  recorder: TraceRecorder | null,
): Violation {
  void recorder;
  const violation = {
    property: error.name,
    kind: 'error' as const,
    headline: `the model broke an invariant: ${error.message}`,
    reason: error.message,
    details: [],
    subject: null,
    pending: model.pending(world),
    events: model.observe(world).events.slice(-reportEventsMax),
    errors: model.observe(world).errors,
    idleActions: [],
    fairness: null,
    steps,
    atTick: model.now(world),
  };
  return { ...violation, explanation: explanationText(violation) };
}

function headlineOf(kind: ViolationKind, property: string, subject: SubjectSince | null, reason: string, sinceKnown: boolean): string {
  if (subject === null) return `${kind === 'stuck' ? 'stuck' : 'safety violated'}: ${property}: ${reason}`;
  const since = sinceKnown ? ` since tick ${subject.sinceTick}` : '';
  if (kind === 'stuck') return `${subject.kind} ${subject.name} is stuck in ${subject.phase}${since}: ${reason}`;
  return `safety violated by ${subject.kind} ${subject.name} (${subject.phase}): ${property}: ${reason}`;
}

function pickEvents(events: readonly KubeEvent[], subject: SubjectSince | null): readonly KubeEvent[] {
  if (subject === null) return events.slice(-reportEventsMax);
  const about = `${subject.kind}/${subject.name}`;
  const own = events.filter((row) => row.involvedObject === about);
  const others = events.filter((row) => row.involvedObject !== about);
  return own.slice(-reportEventsMax).concat(others.slice(-Math.max(0, reportEventsMax - own.length)));
}

// An action "changes nothing" when taking it leaves every observed phase and pending() as they were.
function probeIdleActions<W, A extends SimAction, O>(model: Model<W, A, O>, world: W, pending: string | null): string[] {
  const before = JSON.stringify(model.observe(world).objects);
  const idle: string[] = [];
  for (const action of model.actions(world).slice(0, idleProbeActionsMax)) {
    if (isEnvironmentAction(action) || action.kind === 'time') continue;
    const next = model.apply(world, action);
    if (JSON.stringify(model.observe(next).objects) === before && model.pending(next) === pending) idle.push(action.label);
  }
  return idle;
}

/** The multi-line explanation printed by the CLI and stored in `--json` output. */
export function explanationText(violation: Omit<Violation, 'explanation'>): string {
  const lines = [violation.headline, `  property: ${violation.property} (${violation.kind})`];
  for (const detail of violation.details) lines.push(`  - ${detail}`);
  if (violation.pending) lines.push(`  pending: ${violation.pending}`);
  for (const error of violation.errors) {
    lines.push(`  controller error (${error.controller} ${error.key}, ${error.count}×, last at tick ${error.lastTick}): ${error.message}`);
  }
  if (violation.events.length > 0) lines.push('  last events:');
  for (const row of violation.events) {
    lines.push(`    ${row.type} ${row.reason} ${row.involvedObject} (×${row.count}, tick ${row.lastTick}): ${row.message}`);
  }
  if (violation.idleActions.length > 0) lines.push(`  enabled but changing nothing: ${violation.idleActions.join('; ')}`);
  if (violation.fairness) lines.push(`  assumes ${violation.fairness}`);
  lines.push(`  after ${violation.steps} steps, at tick ${violation.atTick}`);
  return lines.join('\n');
}
