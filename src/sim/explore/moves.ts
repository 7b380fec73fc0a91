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

/**
 * Which of the system's own interleavings the explorer follows. `all`: every enabled urgent action
 * (exhaustive). `canonical`: only the first one in the model's order, while faults, requests and
 * settling may still happen at every point — far fewer states, an under-approximation: a violation
 * found is a real execution and a terminal (deadlocked) state is terminal under any schedule, but
 * "no violation" and a livelock claim hold only for that schedule. `canonical-quiet`: the same, and
 * faults and requests happen only when the system is quiet (no urgent action enabled).
 */
export type Interleavings = 'all' | 'canonical' | 'canonical-quiet';

export interface Budget {
  readonly faultsMax: number;
  readonly requestsMax: number;
  readonly interleavings?: Interleavings;
}

export const settleLabel = 'environment.settle';

function isUrgent(action: SimAction): boolean {
  return action.kind !== 'time' && !isEnvironmentAction(action);
}

function hasUrgent(actions: readonly SimAction[]): boolean {
  for (let index = 0; index < actions.length; index++) if (isUrgent(actions[index] as SimAction)) return true;
  return false;
}

/**
 * The model's enabled actions at `node`, or only its system actions (`Model.systemActions`: the
 * same list without the environment's moves, in its order) where no environment move could be
 * taken: after settling, with both budgets spent, or under `canonical-quiet` while an urgent action
 * is enabled. Either list gives the same moves; the shorter one spares the model listing a fault
 * per node or pod and the explorer filtering them out again.
 */
function enabledActions<W, A extends SimAction>(model: Model<W, A, unknown>, node: ExploreNode<W>, budget: Budget): readonly A[] {
  if (model.systemActions === undefined || model.environmentActions === undefined) return model.actions(node.world);
  if (node.settled || (node.faults >= budget.faultsMax && node.requests >= budget.requestsMax)) return model.systemActions(node.world);
  if (budget.interleavings === 'canonical-quiet') {
    const system = model.systemActions(node.world);
    if (hasUrgent(system)) return system;
  }
  return model.actions(node.world);
}

/** The moves enabled at `node`, in a deterministic order (the model's, then settle). */
export function movesOf<W, A extends SimAction>(model: Model<W, A, unknown>, node: ExploreNode<W>, budget: Budget): Move<A>[] {
  const enabled = enabledActions(model, node, budget);
  // One pass for the first urgent action (a plain loop: this runs once per expanded state).
  let firstUrgentAt = -1;
  for (let index = 0; index < enabled.length; index++) {
    if (isUrgent(enabled[index] as A)) {
      firstUrgentAt = index;
      break;
    }
  }
  const anyUrgent = firstUrgentAt >= 0;
  const moves: Move<A>[] = [];
  const canonical = budget.interleavings === 'canonical' || budget.interleavings === 'canonical-quiet';
  const firstUrgent = canonical && anyUrgent ? enabled[firstUrgentAt] : undefined;
  const environmentNow = !(budget.interleavings === 'canonical-quiet' && anyUrgent);
  for (let index = 0; index < enabled.length; index++) {
    const action = enabled[index] as A;
    const urgent = isUrgent(action);
    if (firstUrgent !== undefined && urgent && action !== firstUrgent) continue;
    const allowed =
      urgent ||
      (action.kind === 'fault' && environmentNow && !node.settled && node.faults < budget.faultsMax) ||
      (action.kind === 'user' && environmentNow && !node.settled && node.requests < budget.requestsMax) ||
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
