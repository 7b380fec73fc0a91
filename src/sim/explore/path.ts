/**
 * Turning an explored path into a trace and a readable violation. The explorer and the `explore`
 * replayer both go through {@link tracePath}, which follows move labels from the initial world, so
 * a saved explore trace replays byte for byte (and a changed model shows where it diverges).
 */
import { AssertionError, assert } from '../assert.ts';
import { buildViolation, errorViolation, explanationText } from '../explain.ts';
import { LimitError } from '../limits.ts';
import type { Model, SimAction } from '../model.ts';
import type { Tick } from '../ticks.ts';
import { TraceRecorder, type RunEnd, type RunOutcome, type TraceStep, type Violation } from '../trace.ts';
import type { StuckKind } from './analysis.ts';
import { applyMove, movesOf, settleLabel, type Budget, type ExploreNode, type Move } from './moves.ts';

/** What the explorer claims about the end of a path, for the report and for a replay to re-check. */
export type PathClaim =
  | { readonly kind: 'safety'; readonly property: string }
  | { readonly kind: 'error'; readonly failingMove: string }
  | {
      readonly kind: 'stuck';
      readonly property: string;
      readonly stuck: StuckKind;
      readonly componentSize: number;
      /** The property holds in some states of the cycle: it comes and goes but never stays. */
      readonly flapping: boolean;
      /** Labels of the cycle from the stuck state back to itself; null for a deadlock. */
      readonly cycle: readonly string[] | null;
      /** Index into the path of the move after which no path reaches the goal any more. */
      readonly pointOfNoReturn: number | null;
    };

export interface TracedPath {
  readonly steps: readonly TraceStep[];
  readonly outcome: RunOutcome;
}

/** Follows `labels` from `options`' initial world; throws an AssertionError when a label is not enabled. */
export function followLabels<W, A extends SimAction, O>(model: Model<W, A, O>, options: O, budget: Budget, labels: readonly string[]): { nodes: ExploreNode<W>[]; moves: Move<A>[] } {
  const nodes: ExploreNode<W>[] = [{ world: model.init(options), settled: false, faults: 0, requests: 0 }];
  const moves: Move<A>[] = [];
  for (const label of labels) {
    const node = nodes[nodes.length - 1] as ExploreNode<W>;
    const move = movesOf(model as Model<W, A, unknown>, node, budget).find((candidate) => candidate.label === label);
    assert(move !== undefined, `explore path step ${moves.length} '${label}' is not enabled`);
    moves.push(move);
    nodes.push(applyMove(model as Model<W, A, unknown>, node, move));
  }
  return { nodes, moves };
}

function stuckNote(claim: Extract<PathClaim, { kind: 'stuck' }>, labels: readonly string[], cycleCloses: boolean): string[] {
  const notes: string[] = [];
  if (claim.stuck === 'deadlock') notes.push('explore: deadlock: nothing can happen any more (no system step, no timer) and the property is false');
  else {
    const how = claim.flapping ? 'the property comes and goes but never stays' : 'the property never holds';
    notes.push(`explore: ${claim.stuck}: the world can never leave a cycle of ${claim.componentSize} state(s) in which ${how}`);
    notes.push(`explore: cycle (${claim.cycle?.length ?? 0} steps): ${(claim.cycle ?? []).join(' → ')}${cycleCloses ? '' : ' (REPLAY: the cycle no longer closes)'}`);
  }
  if (claim.pointOfNoReturn !== null) {
    notes.push(`explore: point of no return: after step ${claim.pointOfNoReturn} (${labels[claim.pointOfNoReturn]}) no path reaches the goal any more`);
  }
  return notes;
}

function endedBy(claim: PathClaim): RunEnd {
  if (claim.kind === 'safety') return 'safety-violation';
  if (claim.kind === 'error') return 'error';
  return claim.stuck === 'deadlock' ? 'quiescent' : 'convergence-ticks';
}

/** Re-runs a path with tracing on and explains its end as `claim` says (re-checking what it can). */
export function tracePath<W, A extends SimAction, O>(
  model: Model<W, A, O>,
  options: O,
  budget: Budget,
  labels: readonly string[],
  claim: PathClaim,
  fingerprint: (world: W, now: Tick) => string,
): TracedPath {
  const { nodes, moves } = followLabels(model, options, budget, labels);
  const first = nodes[0] as ExploreNode<W>;
  const recorder = new TraceRecorder(model.observe(first.world), model.now(first.world));
  let settledAtTick: Tick | null = null;
  moves.forEach((move, index) => {
    const node = nodes[index + 1] as ExploreNode<W>;
    if (move.label === settleLabel) settledAtTick = model.now(node.world);
    recorder.record(model.now(node.world), move.kind, move.label, model.observe(node.world));
  });
  const last = nodes[nodes.length - 1] as ExploreNode<W>;
  const violation = explainEnd(model, last, budget, claim, labels, recorder, fingerprint);
  const outcome: RunOutcome = {
    verdict: violation === null ? 'clean' : violation.kind,
    endedBy: violation === null ? 'converged' : endedBy(claim),
    actions: moves.length,
    ticks: model.now(last.world),
    settledAtTick,
    violation,
  };
  return { steps: recorder.steps, outcome };
}

function explainEnd<W, A extends SimAction, O>(
  model: Model<W, A, O>,
  last: ExploreNode<W>,
  budget: Budget,
  claim: PathClaim,
  labels: readonly string[],
  recorder: TraceRecorder,
  fingerprint: (world: W, now: Tick) => string,
): Violation | null {
  const steps = labels.length;
  if (claim.kind === 'error') {
    const move = movesOf(model as Model<W, A, unknown>, last, budget).find((candidate) => candidate.label === claim.failingMove);
    assert(move !== undefined, `explore failing move '${claim.failingMove}' is not enabled`);
    try {
      applyMove(model as Model<W, A, unknown>, last, move);
    } catch (error) {
      if (error instanceof AssertionError || error instanceof LimitError) return errorViolation(model, last.world, error, steps, recorder);
      throw error;
    }
    return null;
  }
  const property = model.properties.find((candidate) => candidate.name === claim.property);
  assert(property !== undefined, `the model has no property '${claim.property}'`);
  if (property.holds(last.world)) return null;
  if (claim.kind === 'safety') return buildViolation(model, last.world, property, 'safety', steps, recorder);
  let cycleCloses = true;
  if (claim.cycle !== null) {
    cycleCloses = closesCycle(model, last, budget, claim.cycle, fingerprint);
  }
  const violation = buildViolation(model, last.world, property, 'stuck', steps, recorder);
  const notes = stuckNote(claim, labels, cycleCloses);
  if (budget.interleavings !== undefined && budget.interleavings !== 'all') {
    notes.push(
      claim.stuck === 'deadlock'
        ? `explore: found under the ${budget.interleavings} schedule (first system step only${budget.interleavings === 'canonical-quiet' ? ', environment only when the system is quiet' : ''}); the path is a real execution and a deadlock is one under any schedule`
        : `explore: found under the ${budget.interleavings} schedule (first system step only): another interleaving of the system might leave this cycle`,
    );
  }
  const { explanation: _, ...rest } = { ...violation, details: [...violation.details, ...notes] };
  return { ...rest, explanation: explanationText(rest) };
}

function closesCycle<W, A extends SimAction, O>(model: Model<W, A, O>, start: ExploreNode<W>, budget: Budget, cycle: readonly string[], fingerprint: (world: W, now: Tick) => string): boolean {
  let node = start;
  for (const label of cycle) {
    const move = movesOf(model as Model<W, A, unknown>, node, budget).find((candidate) => candidate.label === label);
    if (move === undefined) return false;
    node = applyMove(model as Model<W, A, unknown>, node, move);
  }
  return node.settled === start.settled && fingerprint(node.world, model.now(node.world)) === fingerprint(start.world, model.now(start.world));
}
