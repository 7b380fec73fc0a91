/**
 * The model contract (DESIGN.md §1), in the Stateright style: a model is `init` + `actions` +
 * `apply` + properties, plus `pending` (why the world is not where it should be, in words) and
 * `observe` (the objects and Kubernetes Events a person reads in a trace).
 *
 * Every driver (swarm, scripted, explore) runs any {@link Model}; nothing here knows about a
 * particular operator.
 */
import type { Prng } from './prng.ts';
import type { Property } from './property.ts';
import type { Tick } from './ticks.ts';
import type { KubeEvent } from './events.ts';

/**
 * What kind of step an action is. `user` and `fault` are the environment's moves and stop when the
 * environment settles; `time` moves virtual time and is taken only when nothing urgent is enabled;
 * the rest are the system's own moves.
 */
export type ActionKind = 'controller' | 'kubelet' | 'scheduler' | 'timer' | 'time' | 'user' | 'fault';

/** Every action carries its kind and a stable, human-readable label (`reconcile Component pg/postgresql`). */
export interface SimAction {
  readonly kind: ActionKind;
  readonly label: string;
}

/** The one time action: advance virtual time to `to` (the next timer, or an idle step when `idle`). */
export interface TimeAction extends SimAction {
  readonly kind: 'time';
  readonly to: Tick;
  /** True when no timer is pending: time passes only so that the environment may act. */
  readonly idle: boolean;
}

/** True for the environment's moves, which stop once the environment settles. */
export function isEnvironmentAction(action: SimAction): boolean {
  return action.kind === 'user' || action.kind === 'fault';
}

/** A list of actions split by {@link isEnvironmentAction}, each part in the original order. */
export interface SplitActions<A extends SimAction> {
  readonly system: readonly A[];
  readonly environment: readonly A[];
}

const noActions: readonly never[] = [];

/** `actions` split into its system and its environment moves; a list without environment moves is its own system part. */
export function splitByKind<A extends SimAction>(actions: readonly A[]): SplitActions<A> {
  if (!actions.some(isEnvironmentAction)) return { system: actions, environment: noActions };
  const system: A[] = [];
  const environment: A[] = [];
  for (const action of actions) (isEnvironmentAction(action) ? environment : system).push(action);
  return { system, environment };
}

/** One lifecycle object as a person sees it in a trace: `Component pg-postgresql` is `Creating`. */
export interface ObservedObject {
  readonly kind: string;
  readonly name: string;
  readonly phase: string;
}

/** A reconcile error a controller keeps hitting (upstream reconcilers return early on them). */
export interface ControllerError {
  readonly controller: string;
  readonly key: string;
  readonly message: string;
  readonly count: number;
  readonly lastTick: Tick;
}

/** What a trace and a stuck report read from a world. */
export interface Observation {
  readonly objects: readonly ObservedObject[];
  /** The Kubernetes Events log, oldest first. */
  readonly events: readonly KubeEvent[];
  readonly errors: readonly ControllerError[];
}

/**
 * How a model's options are validated, defaulted and varied. `parse` turns untrusted input
 * (a trace file, a CLI flag, a user script) into options or throws an {@link OptionsError};
 * `draw` picks one configuration within the scenario's bounds for a swarm run.
 */
export interface ModelOptions<O> {
  readonly defaults: O;
  parse(raw: unknown): O;
  draw(prng: Prng): O;
}

/** Bad options: the message says which field and why. */
export class OptionsError extends Error {
  override readonly name = 'OptionsError';
}

/** A simulation model: pure functions over a plain, JSON-serializable world `W`. */
export interface Model<W, A extends SimAction = SimAction, O = unknown> {
  readonly name: string;
  readonly options: ModelOptions<O>;
  /** The starting world from explicit, validated options. */
  init(options: O): W;
  /** Every step enabled now, in a deterministic order. */
  actions(world: W): readonly A[];
  /**
   * Optional, for speed: the entries of `actions(world)` that are not environment moves
   * (`user`/`fault`), in the same order. A model that gives it gives {@link environmentActions}
   * too. The swarm then lists the environment's moves (often one per node or pod) only on the
   * steps where its dice ask for a fault or a request.
   */
  systemActions?(world: W): readonly A[];
  /** Optional, with {@link systemActions}: the `user`/`fault` entries of `actions(world)`, in the same order. */
  environmentActions?(world: W): readonly A[];
  /** The next world; pure, never mutates `world`. */
  apply(world: W, action: A): W;
  /**
   * The environment settles: nodes that were only down come back, partitions heal. Faults and
   * user requests stop by themselves (drivers no longer take `fault`/`user` actions).
   */
  settle(world: W): W;
  /** Virtual time of the world. */
  now(world: W): Tick;
  readonly properties: readonly Property<W>[];
  /** Why the world is not yet where it should be, or null when it is. */
  pending(world: W): string | null;
  observe(world: W): Observation;
  /**
   * A canonical key for the state, used by the explorer to merge the same world reached by
   * different paths. Absolute time should not appear in it. Defaults to JSON of the world.
   */
  fingerprint?(world: W): string;
}

/** Builds the time action for a clock: to the next timer, or an idle step of `idleTicks`. */
export function timeAction(now: Tick, nextDueTick: Tick | null, idleTicks: Tick): TimeAction {
  if (nextDueTick !== null && nextDueTick > now) {
    return { kind: 'time', label: `time.advance ${nextDueTick}`, to: nextDueTick, idle: false };
  }
  return { kind: 'time', label: `time.idle ${now + idleTicks}`, to: now + idleTicks, idle: true };
}
