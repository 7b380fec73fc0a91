/**
 * The KubeBlocks runtime: composes the substrate, the KubeBlocks controllers, the engine and any
 * extensions into the `actions` / `apply` / `settle` / `observe` of a {@link Model}. A scenario
 * adds options, `init`, properties and its fault vocabulary; see `src/scenarios/pg-image-mismatch`.
 *
 * How to extend it (issue 5 OpsRequest, issue 7 Backup/Restore, a user's what-if):
 *
 * ```ts
 * interface MyExt { readonly opsRequests: Readonly<Record<string, OpsRequest>> }
 * type W = KubeBlocksWorld<MyExt>;
 * const opsController: KbController<W> = {
 *   name: 'opsrequest', objectKind: 'OpsRequest',
 *   reconcile: (view, key) => ({ writes: [{ kind: 'component.put', component: scaled(view, key) }] }),
 * };
 * const runtime = kubeblocksRuntime<W>({
 *   profile: kubeblocks102,
 *   extensions: [{
 *     name: 'opsrequest',
 *     controllers: [opsController],
 *     // user requests / faults of your own, routed back to `apply` by `owner`
 *     actions: (w) => [{ kind: 'user', owner: 'opsrequest', label: 'user opsrequest.create hscale-1', … }],
 *     apply: (w, action) => ({ ...w, ext: { …w.ext, opsRequests: … } }),
 *     // wake your work items when something you watch changed (diff `before` and `after`)
 *     afterApply: (before, after) => componentsChanged(before, after) ? enqueue(after, workItem('opsrequest', 'hscale-1')) : after,
 *   }],
 * });
 * ```
 *
 * A controller with the same `name` as a built-in one (`cluster`, `component`, `instanceset`,
 * `instanceset-role`) replaces it: that is how a what-if swaps one reconcile step.
 */
import { assert } from '../../sim/assert.ts';
import { clockAdvance, clockCreate, clockFire, clockFirstDue, clockNextDueTick } from '../../sim/clock.ts';
import { machineStep } from '../../sim/machine-host.ts';
import { isEnvironmentAction, timeAction, type ObservedObject, type Observation, type SimAction, type TimeAction } from '../../sim/model.ts';
import type { Tick } from '../../sim/ticks.ts';
import {
  clusterActions,
  clusterFaultActions,
  clusterSystemActions,
  clusterApply,
  clusterNextDueTick,
  clusterSettle,
  type ClusterAction,
  type ClusterFaultKind,
  type Pod,
} from '../../sim/cluster/index.ts';
import { instanceSetMachine } from '../kubeblocks-instanceset/instanceset.machine.ts';
import { clusterController, newCluster, postgresqlComponentDefinition, type ClusterCreateInput, type ComponentDefinition } from './cluster-controller.ts';
import { componentController } from './component-controller.ts';
import { applyRoleProbe, minimalPatroni, roleProbeActions, type EngineAction, type EngineBehaviour } from './engine.ts';
import { instanceSetLabelKey } from './instance-pod.ts';
import { podKeysChanged } from './kubeblocks-view.ts';
import { instanceSetController } from './instanceset-controller.ts';
import { roleEventController } from './role-event.ts';
import type { KbController } from './kubeblocks-controller.ts';
import { reconcileFailed } from './kubeblocks-controller.ts';
import type { KubeBlocksProfile } from './kubeblocks-profile.ts';
import {
  applyWrite,
  applyWrites,
  dequeue,
  enqueue,
  recordControllerError,
  splitWorkItem,
  withMark,
  workItem,
  type KbTimerPayload,
  type KbWrite,
  type KubeBlocksWorld,
} from './kubeblocks-world.ts';
import { exponentialBackoffTicks } from '../../sim/backoff.ts';
import { roleEventItemReady } from './role-event-queue.ts';
import { shapedKbWorld, shapedKbWorldAt, shapedKbWorldOn } from './shapes.ts';

/** Reconcile and timer actions kept for reuse per runtime; past it the cache is cleared (same actions either way). */
export const actionsCachedMax = 10_000;

const noActions: readonly KubeBlocksAction[] = [];

/** A reconcile of one dirty work item. */
export interface ReconcileAction extends SimAction {
  readonly kind: 'controller';
  readonly owner: 'kubeblocks';
  readonly op: 'reconcile';
  readonly item: string;
}

/** A KubeBlocks timer (requeue or machine delay) firing. */
export interface TimerAction extends SimAction {
  readonly kind: 'timer';
  readonly owner: 'kubeblocks';
  readonly op: 'timer.fire';
  readonly id: string;
}

/** An action an extension offers; `owner` routes it back to that extension's `apply`. */
export interface ExtensionAction extends SimAction {
  readonly owner: string;
}

export type KubeBlocksAction = ReconcileAction | TimerAction | EngineAction | ClusterAction | TimeAction | ExtensionAction;

/** A feature plugged into the KubeBlocks world (its own objects live in `world.ext`). */
export interface KubeBlocksExtension<W extends KubeBlocksWorld = KubeBlocksWorld> {
  readonly name: string;
  readonly controllers?: readonly KbController<W>[];
  /** Enabled actions of its own (faults, user requests, engine steps); `owner` must be `name`. */
  actions?(world: W): readonly ExtensionAction[];
  /**
   * Set when `actions` gives only environment moves (`user`, `fault`): the runtime then asks for
   * them only when a driver wants the environment's moves (`environmentActions`), not on every step.
   */
  readonly environmentOnly?: boolean;
  /**
   * Optional, for speed, both or neither: the entries of `actions` that are not environment moves
   * (`user`, `fault`), and those that are, each in `actions`' order. The runtime then asks for each
   * part only when a driver wants it, and `actions` only for the whole list.
   */
  systemActions?(world: W): readonly ExtensionAction[];
  environmentActions?(world: W): readonly ExtensionAction[];
  apply?(world: W, action: ExtensionAction): W;
  /** Called after every applied action: wake your work items from what changed. */
  afterApply?(before: W, after: W): W;
  settle?(world: W): W;
  /** The earliest tick one of its delayed steps becomes due, or null. */
  nextDueTick?(world: W): Tick | null;
  observe?(world: W): readonly ObservedObject[];
}

export interface KubeBlocksRuntimeConfig<W extends KubeBlocksWorld> {
  readonly profile: KubeBlocksProfile;
  /** ComponentDefinitions the cluster controller resolves (default: PostgreSQL). */
  readonly componentDefinitions?: readonly ComponentDefinition[];
  /** The engine under the pods (default: {@link minimalPatroni}). */
  readonly engine?: EngineBehaviour;
  /** Substrate fault kinds the swarm may take (default none). */
  readonly clusterFaults?: readonly ClusterFaultKind[];
  readonly extensions?: readonly KubeBlocksExtension<W>[];
  /** Controllers replacing built-in ones of the same name, or added. */
  readonly controllers?: readonly KbController<W>[];
  /** Ticks an idle time step moves when nothing is pending (default 10). */
  readonly idleTicks?: Tick;
  /** Backoff cap for a failing reconcile, in ticks (default 60). */
  readonly backoffTicksMax?: Tick;
}

/** The model functions of a KubeBlocks world. */
export interface KubeBlocksRuntime<W extends KubeBlocksWorld> {
  readonly controllers: readonly KbController<W>[];
  /** Every enabled action: the ready reconciles, the due timer, the substrate's, the engine's and the extensions' actions, time. */
  actions(world: W): readonly KubeBlocksAction[];
  /** The entries of `actions` that are not environment moves (`user`/`fault`), in its order (`Model.systemActions`). */
  systemActions(world: W): readonly KubeBlocksAction[];
  /** The environment moves of `actions`, in its order (`Model.environmentActions`). */
  environmentActions(world: W): readonly KubeBlocksAction[];
  apply(world: W, action: KubeBlocksAction): W;
  settle(world: W): W;
  observe(world: W): Observation;
}

function isOwned(action: KubeBlocksAction): action is ReconcileAction | TimerAction | EngineAction | ExtensionAction {
  return 'owner' in action;
}

/** Pods whose object changed between two worlds (by identity: worlds share structure). */
export function changedPodKeys(before: KubeBlocksWorld, after: KubeBlocksWorld): readonly string[] {
  return podKeysChanged(before.k8s.pods, after.k8s.pods);
}

// The InstanceSet controller owns its pods: any change to one wakes it (controller-runtime Owns).
function watchPods<W extends KubeBlocksWorld>(before: W, after: W): W {
  let world = after;
  for (const key of changedPodKeys(before, after)) {
    const pod = after.k8s.pods.get(key) ?? before.k8s.pods.get(key);
    const owner = pod?.labels[instanceSetLabelKey];
    if (owner !== undefined && owner in world.kb.instanceSets) world = enqueue(world, workItem('instanceset', owner));
  }
  return world;
}

/** Mark set when a pod of a component still `Creating` is deleted or its container restarts. */
export const markPodRestartedDuringCreation = 'pod restarted during creation';

function restartCount(pod: Pod | undefined): number {
  return pod === undefined ? 0 : pod.status.containerStatuses.reduce((sum, status) => sum + status.restartCount, 0);
}

function markPodRestarts<W extends KubeBlocksWorld>(before: W, after: W): W {
  let world = after;
  for (const key of changedPodKeys(before, after)) {
    const old = before.k8s.pods.get(key);
    const now = after.k8s.pods.get(key);
    if (old === undefined) continue;
    const restarted = now === undefined || restartCount(now) > restartCount(old);
    const its = after.kb.instanceSets[old.labels[instanceSetLabelKey] ?? ''];
    const phase = its === undefined ? undefined : after.kb.components[its.componentName]?.status.phase;
    if (restarted && (phase === '' || phase === 'Creating')) world = withMark(world, markPodRestartedDuringCreation);
  }
  return world;
}

function builtinControllers<W extends KubeBlocksWorld>(config: KubeBlocksRuntimeConfig<W>): KbController<W>[] {
  const definitions = config.componentDefinitions ?? [postgresqlComponentDefinition];
  const builtins = [clusterController(config.profile, definitions), componentController(config.profile), instanceSetController(config.profile), roleEventController(config.profile)] as KbController<W>[];
  const extra = [...(config.controllers ?? []), ...(config.extensions ?? []).flatMap((extension) => extension.controllers ?? [])];
  const merged = builtins.map((builtin) => extra.find((controller) => controller.name === builtin.name) ?? builtin);
  for (const controller of extra) if (!merged.includes(controller)) merged.push(controller);
  return merged;
}

// The smaller of `earliest` and `tick`, counting `tick` only when it lies after `now`.
function earliestFuture(earliest: Tick | null, tick: Tick | null, now: Tick): Tick | null {
  if (tick === null || tick <= now) return earliest;
  return earliest === null || tick < earliest ? tick : earliest;
}

// Lists longer than this are appended by the push builtin (few thousand entries at most: a cluster's nodes and pods).
const bulkLengthMin = 16;

/**
 * A list of actions being filled: entries are written into an array kept between calls and the
 * list handed out is a copy of exactly its length (speed, issue 11: an array grown by push from
 * empty reserves 17 entries and then half again, per list, per step).
 */
class ActionList {
  private readonly items: KubeBlocksAction[] = [];
  private length = 0;

  push(action: KubeBlocksAction): void {
    this.items[this.length++] = action;
  }

  get size(): number {
    return this.length;
  }

  /** Empties the list: called first by every filler, so a fill an exception cut short leaves nothing behind. */
  clear(): void {
    if (this.length === 0) return;
    // No action of an earlier step is kept alive by the buffer.
    this.items.fill(undefined as unknown as KubeBlocksAction, 0, this.length);
    this.length = 0;
  }

  /** The entries pushed since the last clear, as a new array of exactly that length; the list is empty afterwards. */
  take(): KubeBlocksAction[] {
    const out = this.items.slice(0, this.length);
    this.clear();
    return out;
  }
}

// Appends the entries of `list` that `which` selects (by isEnvironmentAction), in its order.
function pushOf(out: ActionList | KubeBlocksAction[], list: readonly KubeBlocksAction[], which: 'all' | 'system' | 'environment'): void {
  if (which === 'all') {
    // A long list (the substrate's faults hold one per node or pod) is copied in bulk.
    if (list.length > bulkLengthMin && Array.isArray(out)) Array.prototype.push.apply(out, list as KubeBlocksAction[]);
    else for (const action of list) out.push(action);
  } else {
    const environment = which === 'environment';
    for (const action of list) if (isEnvironmentAction(action) === environment) out.push(action);
  }
}

/** Builds the runtime for `config`. */
export function kubeblocksRuntime<W extends KubeBlocksWorld>(config: KubeBlocksRuntimeConfig<W>): KubeBlocksRuntime<W> {
  const controllers = builtinControllers(config);
  const engine = config.engine ?? minimalPatroni;
  const extensions = config.extensions ?? [];
  const faults = { faults: config.clusterFaults ?? [] };
  const idleTicks = config.idleTicks ?? 10;
  const backoffTicksMax = config.backoffTicksMax ?? 60;
  const controllerOf = (name: string): KbController<W> => {
    const found = controllers.find((controller) => controller.name === name);
    assert(found !== undefined, `no controller ${name}`);
    return found;
  };

  // Work item → its controller and key: a reconcile step needs both, and items recur run after run.
  const routes = new Map<string, { readonly name: string; readonly key: string; readonly controller: KbController<W> }>();
  const routeOf = (item: string): { readonly name: string; readonly key: string; readonly controller: KbController<W> } => {
    let route = routes.get(item);
    if (route === undefined) {
      const { controller: name, key } = splitWorkItem(item);
      route = { name, key, controller: controllerOf(name) };
      if (routes.size >= actionsCachedMax) routes.clear();
      routes.set(item, route);
    }
    return route;
  };

  const reconcile = (world: W, action: ReconcileAction): W => {
    const { name, key, controller } = routeOf(action.item);
    const view = dequeue(world, action.item);
    const result = controller.reconcile(view, key);
    let next = applyWrites(view, result.writes);
    if (reconcileFailed(result)) {
      // controller-runtime: return the error, requeue the key with per-item exponential backoff.
      const failures = (next.failures[action.item] ?? 0) + 1;
      next = recordControllerError({ ...next, failures: { ...next.failures, [action.item]: failures } }, name, key, result.error);
      const delayTicks = exponentialBackoffTicks(failures, 1, backoffTicksMax);
      return applyWrite(next, { kind: 'timer.schedule', id: `requeue/${action.item}`, delayTicks, payload: { kind: 'requeue', item: action.item } });
    }
    if (action.item in next.failures) {
      const failuresLeft = { ...next.failures };
      delete failuresLeft[action.item];
      next = { ...next, failures: failuresLeft };
    }
    return next;
  };

  const fireTimer = (world: W, action: TimerAction): W => {
    const fired = clockFire(world.clock, action.id);
    const next = { ...world, clock: fired.clock };
    const payload = fired.timer.payload;
    if (payload.kind === 'requeue') return enqueue(next, payload.item);
    const its = next.kb.instanceSets[payload.name];
    if (its === undefined) return next;
    const step = machineStep(instanceSetMachine, its.readiness, payload.event);
    return step.changed ? applyWrite(next, { kind: 'instanceset.put', instanceSet: { ...its, readiness: step.state } }) : next;
  };

  // Speed (issue 11): consecutive worlds mostly share their substrate, work items and timers, so
  // the pieces of `actions` below are reused while what they read is the same object.
  let substrateDue: { k8s: W['k8s'] | null; tick: Tick | null } = { k8s: null, tick: null };
  const clusterDue = (k8s: W['k8s']): Tick | null => {
    if (substrateDue.k8s !== k8s) substrateDue = { k8s, tick: clusterNextDueTick(k8s) };
    return substrateDue.tick;
  };

  // The earliest due tick after now, or null; asked on every step, so no candidate lists are built.
  const nextDueTick = (world: W): Tick | null => {
    let earliest = earliestFuture(null, clockNextDueTick(world.clock), world.now);
    earliest = earliestFuture(earliest, clusterDue(world.k8s), world.now);
    for (const extension of extensions) earliest = earliestFuture(earliest, extension.nextDueTick?.(world) ?? null, world.now);
    return earliest;
  };

  const reconcileActions = new Map<string, ReconcileAction>();
  const reconcileAction = (item: string): ReconcileAction => {
    let action = reconcileActions.get(item);
    if (action === undefined) {
      const { controller, key } = splitWorkItem(item);
      action = { kind: 'controller', owner: 'kubeblocks', op: 'reconcile', item, label: `reconcile ${controllerOf(controller).objectKind} ${key}` };
      if (reconcileActions.size >= actionsCachedMax) reconcileActions.clear();
      reconcileActions.set(item, action);
    }
    return action;
  };
  const timerActions = new Map<string, TimerAction>();
  const timerAction = (id: string): TimerAction => {
    let action = timerActions.get(id);
    if (action === undefined) {
      action = { kind: 'timer', owner: 'kubeblocks', op: 'timer.fire', id, label: `timer ${id}` };
      if (timerActions.size >= actionsCachedMax) timerActions.clear();
      timerActions.set(id, action);
    }
    return action;
  };
  // The reconciles of the ready work items and the first due timer: the head of every list.
  const pushHead = (world: W, out: ActionList | KubeBlocksAction[]): void => {
    // Role-probe Events are handed out first in, first out (role-event-queue.ts).
    for (const item of world.queue) if (roleEventItemReady(world, item)) out.push(reconcileAction(item));
    const due = clockFirstDue(world.clock);
    if (due !== undefined) out.push(timerAction(due.id));
  };
  // The time step closes every list; consecutive steps mostly share their tick and next due tick.
  let lastTime: { now: Tick; next: Tick | null; action: TimeAction } | null = null;
  const timeStep = (world: W): TimeAction => {
    const next = nextDueTick(world);
    if (lastTime === null || lastTime.now !== world.now || lastTime.next !== next) lastTime = { now: world.now, next, action: timeAction(world.now, next, idleTicks) };
    return lastTime.action;
  };
  // The engine's, the role probes' and each extension's list, in this order; any may mix kinds.
  // `which` picks the entries pushed: every one, the system moves, or the environment moves. An
  // extension that offers only environment moves is not asked for the system moves.
  const pushOwned = (world: W, out: ActionList | KubeBlocksAction[], which: 'all' | 'system' | 'environment'): void => {
    pushOf(out, engine.actions(world), which);
    pushOf(out, roleProbeActions(world, engine, config.profile.roleProbeResendOnLabelChange), which);
    for (const extension of extensions) {
      if (which === 'system' && extension.environmentOnly === true) continue;
      if (which === 'system' && extension.systemActions !== undefined) pushOf(out, extension.systemActions(world), 'all');
      else if (which === 'environment' && extension.environmentActions !== undefined) pushOf(out, extension.environmentActions(world), 'all');
      else pushOf(out, extension.actions?.(world) ?? noActions, which);
    }
  };

  // Speed (issue 11): one array per list, filled in place, instead of a list per part joined by
  // concat, and no split objects kept per part (a step's parts are mostly new lists).
  const actions = (world: W): readonly KubeBlocksAction[] => {
    const out: KubeBlocksAction[] = [];
    pushHead(world, out);
    pushOf(out, clusterActions(world.k8s, world.now, faults), 'all');
    pushOwned(world, out, 'all');
    out.push(timeStep(world));
    return out;
  };

  // `actions` without its environment moves, in its order (asked on every step).
  const systemList = new ActionList();
  const systemActions = (world: W): readonly KubeBlocksAction[] => {
    systemList.clear();
    pushHead(world, systemList);
    pushOf(systemList, clusterSystemActions(world.k8s, world.now), 'all');
    pushOwned(world, systemList, 'system');
    systemList.push(timeStep(world));
    return systemList.take();
  };

  // `actions`' environment moves (substrate faults, then the engine's and extensions' user requests and faults), in its order.
  const environmentList = new ActionList();
  const environmentActions = (world: W): readonly KubeBlocksAction[] => {
    environmentList.clear();
    pushOwned(world, environmentList, 'environment');
    const substrate = clusterFaultActions(world.k8s, faults) as readonly KubeBlocksAction[];
    // The substrate's faults (one per node or pod) copied once, or not at all when nothing follows them.
    if (environmentList.size === 0) return substrate;
    const owned = environmentList.take();
    return substrate.length === 0 ? owned : substrate.concat(owned);
  };

  const applyOwned = (world: W, action: ReconcileAction | TimerAction | EngineAction | ExtensionAction): W => {
    if (action.owner === 'kubeblocks') return (action as ReconcileAction | TimerAction).op === 'reconcile' ? reconcile(world, action as ReconcileAction) : fireTimer(world, action as TimerAction);
    if (action.owner === 'engine') {
      const engineAction = action as EngineAction;
      return (engineAction.op === 'kbagent.roleProbe' ? applyRoleProbe(world, engineAction) : engine.apply(world, engineAction)) as W;
    }
    const extension = extensions.find((candidate) => candidate.name === action.owner);
    assert(extension?.apply !== undefined, `no extension applies actions of ${action.owner}`);
    return extension.apply(world, action);
  };

  const apply = (world: W, action: KubeBlocksAction): W => {
    let next: W;
    // The time and substrate steps build their world in its one shape at once (shapes.ts), so the
    // shaping below hands it back rather than copying it a second time.
    if (action.kind === 'time') {
      const to = (action as TimeAction).to;
      next = shapedKbWorldAt(world, to, clockAdvance(world.clock, to));
    } else if (isOwned(action)) {
      next = applyOwned(world, action);
    } else {
      next = shapedKbWorldOn(world, clusterApply(world.k8s, action as ClusterAction, world.now));
    }
    next = markPodRestarts(world, watchPods(world, next));
    if (engine.afterApply) next = engine.afterApply(next) as W;
    for (const extension of extensions) if (extension.afterApply) next = extension.afterApply(world, next);
    return shapedKbWorld(world, next);
  };

  const settle = (world: W): W => {
    let next: W = { ...world, k8s: clusterSettle(world.k8s, world.now) };
    next = watchPods(world, next);
    for (const extension of extensions) if (extension.settle) next = extension.settle(next);
    return shapedKbWorld(world, next);
  };

  const observe = (world: W): Observation => {
    const objects: ObservedObject[] = [
      ...Object.values(world.kb.clusters).map((cluster) => ({ kind: 'Cluster', name: cluster.name, phase: cluster.status.phase })),
      ...Object.values(world.kb.components).map((component) => ({ kind: 'Component', name: component.name, phase: component.status.phase })),
      ...Object.values(world.kb.instanceSets).map((its) => ({ kind: 'InstanceSet', name: its.name, phase: `ready ${its.status.readyReplicas}/${its.spec.replicas}` })),
      ...extensions.flatMap((extension) => extension.observe?.(world) ?? []),
    ];
    return { objects, events: world.k8s.events, errors: world.errors };
  };

  return { controllers, actions, systemActions, environmentActions, apply, settle, observe };
}

/** A fresh world on `k8s` with `clusters` applied (their reconciles queued) and extension state `ext`. */
export function kubeblocksWorldCreate<X>(k8s: KubeBlocksWorld['k8s'], clusters: readonly ClusterCreateInput[], ext: X, now: Tick = 0): KubeBlocksWorld<X> {
  const world: KubeBlocksWorld<X> = {
    now,
    k8s,
    kb: { clusters: {}, components: {}, instanceSets: {} },
    clock: clockCreate<KbTimerPayload>(now),
    queue: [],
    failures: {},
    errors: [],
    logs: {},
    roleProbes: {},
    marks: [],
    engine: {},
    ext,
  };
  return clusters.reduce<KubeBlocksWorld<X>>((next, input) => applyWrite(next, { kind: 'cluster.put', cluster: newCluster(input) }), world);
}
