/**
 * Shared preparation for the readable renderings of a counterexample: which steps matter to a
 * person (environment moves, phase changes, Kubernetes Events) and which objects get a lane.
 */
import type { Trace, TraceStep } from '../sim/trace.ts';

/** Lanes shown side by side; the others are listed under the timeline. */
export const lanesMax = 7;
/** Timeline rows shown; the middle of a longer story is elided (its start and its end matter most). */
export const timelineRowsMax = 160;

/** Steps a person needs: environment moves, settling, and anything that changed a phase or emitted an Event. */
export function significantSteps(trace: Trace): TraceStep[] {
  return trace.steps.filter(
    (step) => step.kind === 'fault' || step.kind === 'user' || step.kind === 'settle' || (step.changes?.length ?? 0) > 0 || (step.events?.length ?? 0) > 0,
  );
}

/** The objects that get a lane: the stuck subject first, then by number of phase changes, then by first appearance. */
export function chooseLanes(trace: Trace): { lanes: string[]; folded: string[] } {
  const counts = new Map<string, { changes: number; first: number }>();
  for (const step of trace.steps) {
    for (const change of step.changes ?? []) {
      const entry = counts.get(change.object) ?? { changes: 0, first: step.index };
      entry.changes++;
      counts.set(change.object, entry);
    }
  }
  const subject = trace.outcome.violation?.subject;
  const subjectKey = subject ? `${subject.kind} ${subject.name}` : null;
  const ordered = [...counts.entries()]
    .sort(([leftKey, left], [rightKey, right]) => {
      if (leftKey === subjectKey) return -1;
      if (rightKey === subjectKey) return 1;
      return right.changes - left.changes || left.first - right.first || leftKey.localeCompare(rightKey);
    })
    .map(([key]) => key);
  const chosen = ordered.slice(0, lanesMax);
  // Show the chosen lanes in order of first appearance, subject first, so the story reads left to right.
  const lanes = chosen.sort((left, right) => {
    if (left === subjectKey) return -1;
    if (right === subjectKey) return 1;
    return (counts.get(left)?.first ?? 0) - (counts.get(right)?.first ?? 0) || left.localeCompare(right);
  });
  return { lanes, folded: ordered.slice(lanesMax) };
}

/** Keeps at most `max` rows: the first quarter and the last three quarters, with the count elided. */
export function elide<T>(rows: readonly T[], max: number): { head: T[]; elided: number; tail: T[] } {
  if (rows.length <= max) return { head: [...rows], elided: 0, tail: [] };
  const headCount = Math.floor(max / 4);
  const tailCount = max - headCount;
  return { head: rows.slice(0, headCount), elided: rows.length - max, tail: rows.slice(rows.length - tailCount) };
}
