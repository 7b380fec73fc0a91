/**
 * The enabled actions of a Longhorn world, in a deterministic order: a reconcile per dirty key (the
 * work queue), the timers due now, the scheduler's binds, the environment's moves, and time.
 *
 * The swarm and the explorer ask for them after every step, and a step changes one or two parts of
 * the world: each group of actions is kept per identity of the world parts it is made from (the
 * work queue, the clock, the pods and nodes, the environment's inputs), and actions themselves are
 * immutable data made once per label. The list is the same as building it from scratch.
 */
import { clockDue, clockNextDueTick, type Clock } from '../../sim/clock.ts';
import { timeAction } from '../../sim/model.ts';
import { faultSteps, upgradeSteps, type WorkloadOp } from './environment.ts';
import { schedulableNodes } from './kube.ts';
import type { LonghornAction } from './steps.ts';
import type { LonghornTimer, LonghornWorld } from './world.ts';

/** Virtual time an idle step skips when no timer is pending (the environment's pace). */
export const idleTicks = 10;

/** Distinct actions kept per cache; past it the cache starts over (the actions are identical either way). */
export const actionCacheEntriesMax = 10_000;

function remember(cache: Map<string, LonghornAction>, key: string, action: LonghornAction): LonghornAction {
  if (cache.size >= actionCacheEntriesMax) cache.clear();
  cache.set(key, action);
  return action;
}

const reconcileByKey = new Map<string, LonghornAction>();
const timerById = new Map<string, LonghornAction>();
const otherByLabel = new Map<string, LonghornAction>();

function reconcileAction(key: string): LonghornAction {
  return reconcileByKey.get(key) ?? remember(reconcileByKey, key, { kind: key.startsWith('Pod/') ? 'kubelet' : 'controller', label: `reconcile ${key}`, key });
}

/**
 * The reconcile actions of `dirty`, taking each from `previous` (the actions of `previousDirty`)
 * where its key is there too: a step usually clears one key and marks a few, so most keys are
 * found by a walk along both lists (kept sorted by markDirty) instead of a map lookup of a fresh
 * key string. A key out of order is only looked up, never mismatched: reuse needs equal keys.
 */
function reconcileActions(dirty: readonly string[], previousDirty: readonly string[], previous: readonly LonghornAction[]): readonly LonghornAction[] {
  const actions = new Array<LonghornAction>(dirty.length);
  let at = 0;
  for (let index = 0; index < dirty.length; index++) {
    const key = dirty[index] as string;
    while (at < previousDirty.length && (previousDirty[at] as string) < key) at++;
    actions[index] = at < previousDirty.length && previousDirty[at] === key ? (previous[at] as LonghornAction) : reconcileAction(key);
  }
  return actions;
}

/** The timers due now, then the time action: both read the clock only. */
function clockActions(clock: Clock<LonghornTimer>): readonly LonghornAction[] {
  const actions: LonghornAction[] = [];
  for (const timer of clockDue(clock)) actions.push(timerById.get(timer.id) ?? remember(timerById, timer.id, { kind: 'timer', label: `timer ${timer.id}`, timerId: timer.id }));
  actions.push(timeAction(clock.now, clockNextDueTick(clock), idleTicks));
  return actions;
}

function scheduleActions(world: LonghornWorld): readonly LonghornAction[] {
  const unbound = world.pods.filter((pod) => pod.nodeName === '');
  if (unbound.length === 0) return [];
  const nodes = schedulableNodes(world);
  const actions: LonghornAction[] = [];
  for (const pod of unbound) {
    for (const node of nodes) {
      const label = `schedule Pod/${pod.name} ${node}`;
      actions.push(otherByLabel.get(label) ?? remember(otherByLabel, label, { kind: 'scheduler', label, pod: pod.name, node }));
    }
  }
  return actions;
}

function upgradeActions(world: LonghornWorld): readonly LonghornAction[] {
  return upgradeSteps(world).map((step) => {
    const label = `user upgrade.${step.op} ${step.node}`;
    return otherByLabel.get(label) ?? remember(otherByLabel, label, { kind: 'user', label, op: step.op, target: step.node });
  });
}

function workloadActions(workloads: LonghornWorld['workloads']): readonly LonghornAction[] {
  return workloads.map((workload) => {
    const op: WorkloadOp = workload.replicas === 1 ? 'scale-down' : 'scale-up';
    const label = `user workload.${op} ${workload.name}`;
    return otherByLabel.get(label) ?? remember(otherByLabel, label, { kind: 'user', label, op, target: workload.name });
  });
}

function faultActions(world: LonghornWorld): readonly LonghornAction[] {
  return faultSteps(world).map((fault) => {
    const label = `fault ${fault.op} ${fault.node}`;
    return otherByLabel.get(label) ?? remember(otherByLabel, label, { kind: 'fault', label, op: fault.op, target: fault.node });
  });
}

function environmentActions(world: LonghornWorld): readonly LonghornAction[] {
  return [...upgradeActions(world), ...workloadActions(world.workloads), ...faultActions(world)];
}

/** Last inputs and result of each group (the swarm's consecutive worlds share most parts). */
interface Last<K, V> {
  inputs: K | null;
  actions: V;
}
const lastReconcile: Last<readonly string[], readonly LonghornAction[]> = { inputs: [], actions: [] };
const lastSchedule: Last<readonly [LonghornWorld['pods'], LonghornWorld['nodes']], readonly LonghornAction[]> = { inputs: null, actions: [] };

// Groups kept per identity of what they read, for any number of worlds: the explorer's consecutive
// worlds come from different states, so a single last entry would miss most of the time.
const clockGroups = groups<Clock<LonghornTimer>>();
const workloadGroups = groups<LonghornWorld['workloads']>();
/** faultSteps reads the nodes only. */
const faultGroups = groups<LonghornWorld['nodes']>();
/** upgradeSteps reads the upgrade, the nodes (when idle) and, when replaced, whether the machine may rejoin yet. */
const upgradeGroups = new WeakMap<LonghornWorld['upgrade'], { readonly nodes: LonghornWorld['nodes']; readonly rejoinReady: boolean; readonly actions: readonly LonghornAction[] }>();

/** A group's WeakMap, and its last hit in front of it (consecutive worlds often share the part). */
interface Groups<K extends object> {
  readonly map: WeakMap<K, readonly LonghornAction[]>;
  lastKey: K | null;
  lastActions: readonly LonghornAction[];
}

function groups<K extends object>(): Groups<K> {
  return { map: new WeakMap(), lastKey: null, lastActions: [] };
}

function cached<K extends object>(groups: Groups<K>, key: K, make: (key: K) => readonly LonghornAction[]): readonly LonghornAction[] {
  if (groups.lastKey === key) return groups.lastActions;
  let actions = groups.map.get(key);
  if (actions === undefined) {
    actions = make(key);
    groups.map.set(key, actions);
  }
  groups.lastKey = key;
  groups.lastActions = actions;
  return actions;
}

function cachedUpgradeActions(world: LonghornWorld): readonly LonghornAction[] {
  const rejoinReady = world.upgrade.step === 'replaced' && world.clock.now >= world.upgrade.rejoinAtTick;
  const known = upgradeGroups.get(world.upgrade);
  if (known !== undefined && known.nodes === world.nodes && known.rejoinReady === rejoinReady) return known.actions;
  const actions = upgradeActions(world);
  upgradeGroups.set(world.upgrade, { nodes: world.nodes, rejoinReady, actions });
  return actions;
}

/** The same list built from scratch, without the per-group caches (the reference the tests compare with). */
export function longhornActionsFromScratch(world: LonghornWorld): LonghornAction[] {
  const timeAndTimers = clockActions(world.clock);
  return [...world.dirty.map(reconcileAction), ...timeAndTimers.slice(0, -1), ...scheduleActions(world), ...environmentActions(world), timeAndTimers[timeAndTimers.length - 1] as LonghornAction];
}

/** The reconcile group, updated from the last one when the work queue changed. */
function currentReconcileActions(world: LonghornWorld): readonly LonghornAction[] {
  if (lastReconcile.inputs !== world.dirty) {
    lastReconcile.actions = reconcileActions(world.dirty, lastReconcile.inputs ?? [], lastReconcile.actions);
    lastReconcile.inputs = world.dirty;
  }
  return lastReconcile.actions;
}

/** The scheduler's group, rebuilt when the pods or nodes changed. */
function currentScheduleActions(world: LonghornWorld): readonly LonghornAction[] {
  const scheduleInputs = lastSchedule.inputs;
  if (scheduleInputs === null || scheduleInputs[0] !== world.pods || scheduleInputs[1] !== world.nodes) {
    lastSchedule.inputs = [world.pods, world.nodes];
    lastSchedule.actions = scheduleActions(world);
  }
  return lastSchedule.actions;
}

/** The environment's groups in list order: upgrade steps (unless left out), workload moves, faults. */
function environmentGroups(world: LonghornWorld, rollingUpgrade: boolean): (readonly LonghornAction[])[] {
  const workloads = cached(workloadGroups, world.workloads, workloadActions);
  // faultSteps reads the nodes only (the key), so the world is read through them.
  const faults = cached(faultGroups, world.nodes, () => faultActions(world));
  return rollingUpgrade ? [cachedUpgradeActions(world), workloads, faults] : [workloads, faults];
}

/** Every enabled action in a deterministic order. */
export function longhornActions(world: LonghornWorld): LonghornAction[] {
  const reconciles = currentReconcileActions(world);
  const clock = cached(clockGroups, world.clock, clockActions);
  return joined(reconciles, clock, [currentScheduleActions(world), ...environmentGroups(world, true)]);
}

/**
 * The entries of {@link longhornActions} that are not environment moves (`user`/`fault`), in its
 * order: reconciles, timers, binds, time. The environment's groups are not built (the swarm asks
 * for them only when a die wants an environment move).
 */
export function longhornSystemActions(world: LonghornWorld): LonghornAction[] {
  const reconciles = currentReconcileActions(world);
  const clock = cached(clockGroups, world.clock, clockActions);
  return joined(reconciles, clock, [currentScheduleActions(world)]);
}

/** Last groups joined by {@link longhornEnvironmentActions} (consecutive worlds share them). */
const lastEnvironment: { groups: readonly (readonly LonghornAction[])[]; actions: readonly LonghornAction[] } = { groups: [], actions: [] };

/**
 * The environment moves of {@link longhornActions} (`user`/`fault`), in its order; without the
 * upgrade steps when `rollingUpgrade` is false (a model without a rolling upgrade drops them).
 */
export function longhornEnvironmentActions(world: LonghornWorld, rollingUpgrade = true): readonly LonghornAction[] {
  const groups = environmentGroups(world, rollingUpgrade);
  const last = lastEnvironment.groups;
  if (last.length === groups.length && groups.every((group, index) => group === last[index])) return lastEnvironment.actions;
  lastEnvironment.groups = groups;
  lastEnvironment.actions = ([] as LonghornAction[]).concat(...groups);
  return lastEnvironment.actions;
}

/** Reconciles, timers, then the other groups, then time (the clock group's last action): one array, filled in place. */
function joined(reconciles: readonly LonghornAction[], clock: readonly LonghornAction[], others: readonly (readonly LonghornAction[])[]): LonghornAction[] {
  let length = reconciles.length + clock.length;
  for (const group of others) length += group.length;
  const all = new Array<LonghornAction>(length);
  let at = 0;
  for (let index = 0; index < reconciles.length; index++) all[at++] = reconciles[index] as LonghornAction;
  for (let index = 0; index < clock.length - 1; index++) all[at++] = clock[index] as LonghornAction;
  for (const group of others) for (let index = 0; index < group.length; index++) all[at++] = group[index] as LonghornAction;
  all[at] = clock[clock.length - 1] as LonghornAction;
  return all;
}
