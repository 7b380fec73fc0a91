/**
 * The steps of the `pgo-replica-deleted` world: the substrate's own (scheduler, kubelet,
 * StatefulSet controller), timers (Patroni HA loops, PostgreSQL durations, PGO's requeue, DCS
 * partitions healing), PGO's reconcile and exec resumption, garbage collection of orphaned pods,
 * faults, user requests on the switchover settings, and time.
 */
import { clockAdvance, clockCancel, clockFire, clockNextDueTick, clockSchedule } from '../../sim/clock.ts';
import { clusterActions, clusterApply, clusterDeletePod, clusterFaultActions, clusterNextDueTick, clusterSettle, clusterSystemActions, isClusterAction, type ClusterAction, type ClusterActionOptions } from '../../sim/cluster/index.ts';
import { timeAction, type SimAction, type TimeAction } from '../../sim/model.ts';
import { unreachable } from '../../sim/assert.ts';
import { patroniAdvanceWal } from '../../machines/patroni-member/wal.ts';
import type { PostgresCluster } from '../../machines/pgo-postgrescluster/postgrescluster.ts';
import type { PgoProfile } from '../../machines/pgo-postgrescluster/reconcile.ts';
import { execResult, notePgoWatch, resumeReconcile, runReconcile, watchedPgo } from './pgo-host.ts';
import { shapedWorld } from './shapes.ts';
import { instancePods, runHaCycle, runPgTimer, syncProcesses, syncReachability, without } from './processes.ts';
import { clusterLabel, instanceLabel, namespace, type PgoWorld } from './world.ts';

export type UserOp = 'switchover.request' | 'switchover.annotation.remove' | 'switchover.enable' | 'switchover.disable' | 'switchover.target';

export type PgoAction =
  | ClusterAction
  | TimeAction
  | (SimAction & { readonly kind: 'timer'; readonly op: 'timer.fire'; readonly id: string })
  | (SimAction & { readonly kind: 'controller'; readonly op: 'pgo.reconcile' | 'pgo.resume' })
  | (SimAction & { readonly kind: 'controller'; readonly op: 'gc.delete'; readonly pod: string })
  | (SimAction & { readonly kind: 'fault'; readonly op: 'pgo.statefulset.delete'; readonly statefulSet: string })
  | (SimAction & { readonly kind: 'fault'; readonly op: 'dcs.partition'; readonly node: string })
  | (SimAction & { readonly kind: 'user'; readonly op: UserOp; readonly value: string | null });

const substrateFaults: ClusterActionOptions = { faults: ['node.down', 'node.up', 'pod.delete'] };

function userActions(world: PgoWorld): PgoAction[] {
  const cr = world.postgres;
  const spec = cr.spec.switchover;
  const out: PgoAction[] = [];
  const value = `sw-${world.requestsMade + 1}`;
  out.push({ kind: 'user', op: 'switchover.request', value, label: `user switchover.request annotate ${value}` });
  if (cr.triggerSwitchover !== null) out.push({ kind: 'user', op: 'switchover.annotation.remove', value: null, label: 'user switchover.annotation.remove' });
  if (spec === null || !spec.enabled) out.push({ kind: 'user', op: 'switchover.enable', value: null, label: 'user switchover.enable' });
  else out.push({ kind: 'user', op: 'switchover.disable', value: null, label: 'user switchover.disable' });
  if (!world.vocabulary.targetInstance) return out;
  const instances = [...new Set(world.cluster.pvcs.values().map((pvc) => pvc.labels[instanceLabel] ?? ''))].filter((name) => name !== '').sort();
  for (const instance of instances) {
    if (spec?.targetInstance !== instance) out.push({ kind: 'user', op: 'switchover.target', value: instance, label: `user switchover.target ${instance}` });
  }
  if (spec !== null && spec.targetInstance !== null) out.push({ kind: 'user', op: 'switchover.target', value: null, label: 'user switchover.target none' });
  return out;
}

function faultActions(world: PgoWorld): PgoAction[] {
  const out: PgoAction[] = [];
  for (const set of Object.values(world.cluster.statefulSets)) {
    if (set.template.labels[clusterLabel] === world.options.clusterName) out.push({ kind: 'fault', op: 'pgo.statefulset.delete', statefulSet: set.name, label: `fault statefulset.delete ${set.name}` });
  }
  for (const node of world.cluster.nodeNames) {
    if (!world.partitions.includes(node)) out.push({ kind: 'fault', op: 'dcs.partition', node, label: `fault network.isolate ${node}` });
  }
  return out;
}

/** What the fault and request lists read; most steps leave every part untouched. */
interface EnvironmentInputs {
  readonly requestsMade: number;
  readonly statefulSets: PgoWorld['cluster']['statefulSets'];
  readonly pvcs: PgoWorld['cluster']['pvcs'];
  readonly nodeNames: PgoWorld['cluster']['nodeNames'];
  readonly partitions: PgoWorld['partitions'];
  readonly vocabulary: PgoWorld['vocabulary'];
  readonly options: PgoWorld['options'];
  readonly actions: readonly PgoAction[];
}

// Keyed by the PostgresCluster object (replaced on every write to it); the rest is compared by identity.
const environmentCache = new WeakMap<PgoWorld['postgres'], EnvironmentInputs>();

/** The faults and user requests enabled now (the same list, by identity, while their inputs are unchanged). */
function environmentActions(world: PgoWorld): readonly PgoAction[] {
  const cached = environmentCache.get(world.postgres);
  const { statefulSets, pvcs, nodeNames } = world.cluster;
  if (
    cached !== undefined && cached.requestsMade === world.requestsMade && cached.statefulSets === statefulSets && cached.pvcs === pvcs &&
    cached.nodeNames === nodeNames && cached.partitions === world.partitions && cached.vocabulary === world.vocabulary && cached.options === world.options
  ) {
    return cached.actions;
  }
  const actions = [...faultActions(world), ...userActions(world)];
  environmentCache.set(world.postgres, { requestsMade: world.requestsMade, statefulSets, pvcs, nodeNames, partitions: world.partitions, vocabulary: world.vocabulary, options: world.options, actions });
  return actions;
}

type TimerFire = PgoAction & { readonly kind: 'timer' };

// A timer keeps its object while it is pending (clocks share structure), so its fire action is made once.
const fireActions = new WeakMap<PgoWorld['clock']['timers'][number], TimerFire>();

function fireAction(timer: PgoWorld['clock']['timers'][number]): TimerFire {
  let action = fireActions.get(timer);
  if (action === undefined) {
    action = { kind: 'timer', op: 'timer.fire', id: timer.id, label: `timer ${timer.id}` };
    fireActions.set(timer, action);
  }
  return action;
}

type ControllerAction = PgoAction & { readonly kind: 'controller' };

// PGO's reconcile and resume actions per cluster name, made once (a run has one name).
const controllerActions = new Map<string, { readonly reconcile: ControllerAction; readonly resume: ControllerAction }>();
/** Cluster names kept (cleared beyond). */
const controllerActionsMax = 64;

function controllerActionsOf(clusterName: string): { readonly reconcile: ControllerAction; readonly resume: ControllerAction } {
  let actions = controllerActions.get(clusterName);
  if (actions === undefined) {
    if (controllerActions.size >= controllerActionsMax) controllerActions.clear();
    actions = {
      reconcile: { kind: 'controller', op: 'pgo.reconcile', label: `reconcile PostgresCluster ${clusterName}` },
      resume: { kind: 'controller', op: 'pgo.resume', label: `reconcile PostgresCluster ${clusterName} (exec returned)` },
    };
    controllerActions.set(clusterName, actions);
  }
  return actions;
}

/** PGO's own system steps (due timers, reconcile, exec resumption, garbage collection), appended to `out` in `actions`' order. */
function pushOwnSystemActions(world: PgoWorld, out: PgoAction[]): void {
  const { timers, now } = world.clock;
  // Due timers in firing order (what `clockDue` lists), without the list.
  for (const timer of timers) {
    if (timer.dueTick > now) break;
    out.push(fireAction(timer));
  }
  if (world.pgo.inFlight === null && world.pgo.dirty) out.push(controllerActionsOf(world.options.clusterName).reconcile);
  if (world.pgo.inFlight !== null && execResult(world) !== null) out.push(controllerActionsOf(world.options.clusterName).resume);
  for (const pod of world.orphans) out.push({ kind: 'controller', op: 'gc.delete', pod, label: `garbage-collect Pod ${pod}` });
}

// Asked right after the substrate's actions: `clusterNextDueTick` reuses what that pass found.
function timeStep(world: PgoWorld): TimeAction {
  const clockNext = clockNextDueTick(world.clock);
  const substrateNext = clusterNextDueTick(world.cluster);
  const next = clockNext === null ? substrateNext : substrateNext === null ? clockNext : Math.min(clockNext, substrateNext);
  return timeAction(world.now, next, 10);
}

/** Every step enabled now, in a deterministic order. */
export function pgoActions(world: PgoWorld): PgoAction[] {
  const out: PgoAction[] = [...clusterActions(world.cluster, world.now, substrateFaults)];
  pushOwnSystemActions(world, out);
  for (const action of environmentActions(world)) out.push(action);
  out.push(timeStep(world));
  return out;
}

/** The entries of {@link pgoActions} that are not `user`/`fault` moves, in its order; the environment's are not built. */
export function pgoSystemActions(world: PgoWorld): PgoAction[] {
  const out: PgoAction[] = [...clusterSystemActions(world.cluster, world.now)];
  pushOwnSystemActions(world, out);
  out.push(timeStep(world));
  return out;
}

// The substrate's faults joined to PGO's faults and requests, keyed by PGO's list and compared on the substrate's (both kept by identity while unchanged).
const environmentJoin = new WeakMap<readonly PgoAction[], { readonly substrate: readonly PgoAction[]; readonly all: readonly PgoAction[] }>();

/** The `user`/`fault` entries of {@link pgoActions} (substrate faults, then PGO's faults and user requests), in its order. */
export function pgoEnvironmentActions(world: PgoWorld): readonly PgoAction[] {
  const substrate: readonly PgoAction[] = clusterFaultActions(world.cluster, substrateFaults);
  const own = environmentActions(world);
  if (substrate.length === 0) return own;
  const cached = environmentJoin.get(own);
  if (cached !== undefined && cached.substrate === substrate) return cached.all;
  const all = substrate.concat(own);
  environmentJoin.set(own, { substrate, all });
  return all;
}

function fireTimer(world: PgoWorld, id: string): PgoWorld {
  const { clock, timer } = clockFire(world.clock, id);
  const payload = timer.payload;
  // The HA cycle (most steps) builds its world once, from the fired clock.
  if (payload.kind === 'ha' && world.patroni.members.some((member) => member.name === payload.member && member.alive)) return runHaCycle(world, payload.member, clock);
  const next = { ...world, clock };
  switch (payload.kind) {
    case 'ha':
      return next;
    case 'pg':
      return runPgTimer(next, payload.member, payload.event);
    case 'pgo.requeue':
      return { ...next, pgo: { ...next.pgo, dirty: true } };
    case 'pgo.exec.deadline':
      return next;
    case 'dcs.heal':
      return syncReachability({ ...next, partitions: next.partitions.filter((node) => node !== payload.node) });
    default:
      return unreachable(payload, 'timer payload');
  }
}

/** `kubectl delete statefulset` with background propagation: the pods go later, with garbage collection. */
function deleteStatefulSet(world: PgoWorld, name: string): PgoWorld {
  const key = `${namespace}/${name}`;
  const statefulSets = without(world.cluster.statefulSets, key);
  const cluster = { ...world.cluster, resourceVersion: world.cluster.resourceVersion + 1, statefulSets };
  const owned = instancePods(world).filter((pod) => pod.ownerReference?.kind === 'StatefulSet' && pod.ownerReference.name === name).map((pod) => pod.name);
  return { ...world, cluster, orphans: [...new Set(world.orphans.concat(owned))].sort() };
}

function setSwitchover(cr: PostgresCluster, change: Partial<NonNullable<PostgresCluster['spec']['switchover']>>): PostgresCluster {
  const current = cr.spec.switchover ?? { enabled: false, targetInstance: null, type: 'Switchover' as const };
  return { ...cr, generation: cr.generation + 1, spec: { ...cr.spec, switchover: { ...current, ...change } } };
}

function applyUser(world: PgoWorld, op: UserOp, value: string | null): PgoWorld {
  const cr = world.postgres;
  let postgres: PostgresCluster;
  let requestsMade = world.requestsMade;
  switch (op) {
    case 'switchover.request':
      postgres = { ...cr, triggerSwitchover: value };
      requestsMade++;
      break;
    case 'switchover.annotation.remove':
      postgres = { ...cr, triggerSwitchover: null };
      break;
    case 'switchover.enable':
      postgres = setSwitchover(cr, { enabled: true });
      break;
    case 'switchover.disable':
      postgres = setSwitchover(cr, { enabled: false });
      break;
    case 'switchover.target':
      postgres = setSwitchover(cr, { targetInstance: value });
      break;
    default:
      return unreachable(op, 'user op');
  }
  return { ...world, postgres, requestsMade, postgresVersion: world.postgresVersion + 1 };
}

function advanceTime(world: PgoWorld, to: number): PgoWorld {
  const options = world.options;
  const patroni = patroniAdvanceWal(world.patroni, to - world.now, options.writeBytesPerTick, options.catchUpBytesPerTick, world.now);
  return { ...world, now: to, clock: clockAdvance(world.clock, to), patroni };
}

function applyOwn(world: PgoWorld, action: Exclude<PgoAction, ClusterAction>, profile: PgoProfile): PgoWorld {
  if (action.kind === 'time') return advanceTime(world, action.to);
  switch (action.op) {
    case 'timer.fire':
      return fireTimer(world, action.id);
    case 'pgo.reconcile':
      return runReconcile(world, profile);
    case 'pgo.resume':
      return resumeReconcile(world, profile);
    case 'gc.delete': {
      const orphans = world.orphans.filter((pod) => pod !== action.pod);
      const exists = world.cluster.pods.has(`${namespace}/${action.pod}`);
      return syncProcesses({ ...world, orphans, cluster: exists ? clusterDeletePod(world.cluster, namespace, action.pod, world.now) : world.cluster });
    }
    case 'pgo.statefulset.delete':
      return deleteStatefulSet(world, action.statefulSet);
    case 'dcs.partition': {
      const clock = clockSchedule(world.clock, `dcs/heal/${action.node}`, world.options.partitionTicks, { kind: 'dcs.heal', node: action.node });
      return syncReachability({ ...world, clock, partitions: world.partitions.concat([action.node]).sort() });
    }
    case 'switchover.request':
    case 'switchover.annotation.remove':
    case 'switchover.enable':
    case 'switchover.disable':
    case 'switchover.target':
      return applyUser(world, action.op, action.value);
    default:
      return unreachable(action, 'pgo action');
  }
}

/** Applies one action; then processes follow pods, and PGO's watches see what changed. Pure. */
export function pgoApply(world: PgoWorld, action: PgoAction, profile: PgoProfile): PgoWorld {
  const next = isClusterAction(action) ? syncReachability(syncProcesses({ ...world, cluster: clusterApply(world.cluster, action, world.now) })) : applyOwn(world, action, profile);
  return shapedWorld(world, next, watchedPgo(next));
}

// One empty list for every settled world: a new one each time is a new object for the explorer's hashing memo.
const noPartitions: readonly string[] = [];

/** The environment settles: nodes come back, DCS partitions heal. */
export function pgoSettle(world: PgoWorld): PgoWorld {
  const cluster = clusterSettle(world.cluster, world.now);
  if (world.partitions.length === 0 && cluster === world.cluster) {
    // Nothing to settle (no partition, every node up): the world itself when processes and watches are in line with it.
    const synced = notePgoWatch(syncReachability(syncProcesses(world)));
    return synced === world ? world : shapedWorld(world, synced);
  }
  let clock = world.clock;
  for (const node of world.partitions) clock = clockCancel(clock, `dcs/heal/${node}`);
  const settled = { ...world, clock, partitions: noPartitions, cluster };
  const synced = syncReachability(syncProcesses(settled));
  return shapedWorld(world, synced, watchedPgo(synced));
}
