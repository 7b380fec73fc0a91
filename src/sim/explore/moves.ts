/**
 * The explorer's transition relation over (world, phase, budget spent). It follows the swarm's
 * rules: the system's own moves are urgent and time passes only when none is enabled; faults and
 * user requests happen only before the environment settles and within their budgets; the
 * environment may settle at any point. Idle time (no timer pending) is left out: with absolute
 * time out of the state key it would only be a self-loop.
 */
import { isEnvironmentAction, type ActionKind, type Model, type SimAction, type TimeAction } from '../model.ts';

/** A node of the explored graph as the explorer holds it while the node is in the frontier. */
export interface ExploreNode<W> {
  readonly world: W;
  readonly settled: boolean;
  readonly faults: number;
  readonly requests: number;
}

export interface Move<A> {
  readonly kind: ActionKind | 'settle';
  readonly label: string;
  /** null for the environment settling. */
  readonly action: A | null;
}

export interface Budget {
  readonly faultsMax: number;
  readonly requestsMax: number;
}

export const settleLabel = 'environment.settle';

function isUrgent(action: SimAction): boolean {
  return action.kind !== 'time' && !isEnvironmentAction(action);
}

/** The moves enabled at `node`, in a deterministic order (the model's, then settle). */
export function movesOf<W, A extends SimAction>(model: Model<W, A, unknown>, node: ExploreNode<W>, budget: Budget): Move<A>[] {
  const enabled = model.actions(node.world);
  const anyUrgent = enabled.some(isUrgent);
  const moves: Move<A>[] = [];
  for (const action of enabled) {
    const allowed =
      isUrgent(action) ||
      (action.kind === 'fault' && !node.settled && node.faults < budget.faultsMax) ||
      (action.kind === 'user' && !node.settled && node.requests < budget.requestsMax) ||
      (action.kind === 'time' && !anyUrgent && !(action as unknown as TimeAction).idle);
    if (allowed) moves.push({ kind: action.kind, label: action.label, action });
  }
  if (!node.settled) moves.push({ kind: 'settle', label: settleLabel, action: null });
  return moves;
}

/** The node a move leads to. */
export function applyMove<W, A extends SimAction>(model: Model<W, A, unknown>, node: ExploreNode<W>, move: Move<A>): ExploreNode<W> {
  if (move.action === null) return { world: model.settle(node.world), settled: true, faults: node.faults, requests: node.requests };
  const world = model.apply(node.world, move.action);
  return {
    world,
    settled: node.settled,
    faults: node.faults + (move.action.kind === 'fault' ? 1 : 0),
    requests: node.requests + (move.action.kind === 'user' ? 1 : 0),
  };
}
