/**
 * The KubeBlocks world: the substrate cluster (`src/sim/cluster`) plus the KubeBlocks objects,
 * the controllers' work queue, their timers and the errors they keep hitting. Plain JSON data.
 *
 * How a controller runs (DESIGN.md §1, controller-runtime semantics):
 * - a work item `<controller>/<key>` is *dirty* when something it watches changed; only dirty
 *   items (and items whose requeue timer fired) are offered as `reconcile …` actions, so a quiet
 *   world offers none;
 * - `reconcile(view, key)` reads the world and returns writes (or an error, which requeues with
 *   exponential backoff and is recorded in `errors`); the host applies the writes one at a time
 *   with {@link applyWrite}, and each write marks the work items that watch it dirty.
 *
 * Extending it (OpsRequest, Backup/Restore, …): keep your objects in `ext` under your own key,
 * add {@link KbController}s (your work items are `<yourController>/<key>`), mark them dirty from
 * your writes with `{ kind: 'enqueue' }`, and watch KubeBlocks objects with `watches` (see
 * `kubeblocks-model.ts`).
 */
import { assert } from '../../sim/assert.ts';
import { clockCancel, clockSchedule, type Clock } from '../../sim/clock.ts';
import type { KubeEventInput } from '../../sim/events.ts';
import { checkLimit } from '../../sim/limits.ts';
import type { ControllerError } from '../../sim/model.ts';
import type { Tick } from '../../sim/ticks.ts';
import { clusterCreatePod, clusterDeletePod, clusterEnsurePvc, objectKey, recordEvent, type Cluster, type PodInput } from '../../sim/cluster/index.ts';
import { writePod } from '../../sim/cluster/store.ts';
import type { Cluster as KbCluster, Component, InstanceSet } from './kubeblocks-objects.ts';
import { shapedComponent, shapedInstanceSet, shapedKbClusterObject } from './shapes.ts';

/** The namespace every KubeBlocks object of the model lives in. */
export const kubeblocksNamespace = 'default';

/** The KubeBlocks API objects, keyed by name (names are never numeric-looking). */
export interface KubeBlocksObjects {
  readonly clusters: Readonly<Record<string, KbCluster>>;
  readonly components: Readonly<Record<string, Component>>;
  readonly instanceSets: Readonly<Record<string, InstanceSet>>;
}

/** What a timer does when it fires: wake a work item, or deliver an event to an object's machine. */
export type KbTimerPayload =
  | { readonly kind: 'requeue'; readonly item: string }
  | { readonly kind: 'machine'; readonly objectKind: 'InstanceSet'; readonly name: string; readonly event: { readonly type: string } };

/** One kbagent role-probe report not yet handled by the InstanceSet controller (§2.8). */
export interface RoleProbeReport {
  readonly pod: string;
  /** The pod incarnation the probe ran in (`opsim.io/uid` annotation). */
  readonly podUid: string;
  /** 0 on success, -1 once the failure threshold is hit. */
  readonly code: number;
  readonly output: string;
  /**
   * The Event's `eventTime` as the handler reads it (`roleEventVersion`: microseconds): here the
   * order in which kbagent sent its reports, every node's clock in step.
   */
  readonly version: number;
  /**
   * Its place in the Event controller's work queue (controllers/k8score/event_controller.go; a
   * client-go workqueue hands items out first in, first out): the smallest is handled next. Reports
   * re-listed by a controller restart share place 0, their order among themselves not guaranteed.
   */
  readonly queued: number;
}

export interface KubeBlocksWorld<X = unknown> {
  readonly now: Tick;
  /** The simulated Kubernetes substrate: nodes, pods, PVCs, registry, Events log. */
  readonly k8s: Cluster;
  readonly kb: KubeBlocksObjects;
  /** Requeue and machine timers of the KubeBlocks controllers. */
  readonly clock: Clock<KbTimerPayload>;
  /** Dirty work items `<controller>/<key>`, sorted, unique. */
  readonly queue: readonly string[];
  /** Consecutive failures per work item (for the backoff), reset on success. */
  readonly failures: Readonly<Record<string, number>>;
  readonly errors: readonly ControllerError[];
  /** Notable controller log lines (`instances are not aligned`), latest per work item. */
  readonly logs: Readonly<Record<string, string>>;
  /** kbagent role-probe reports waiting for the role event handler, keyed by pod name. */
  readonly roleProbes: Readonly<Record<string, RoleProbeReport>>;
  /**
   * Coverage marks: interesting branches a run went through (`pod restarted during creation`),
   * sorted, unique; `sometimes` properties read them so a vacuous suite fails.
   */
  readonly marks: readonly string[];
  /** The database engine's own state (Patroni's leader lock …), owned by the engine behaviour. */
  readonly engine: Readonly<Record<string, unknown>>;
  /** Extensions' state, each under its own key. */
  readonly ext: X;
}

/** A write a reconcile returns; applied one at a time by {@link applyWrite}. */
export type KbWrite =
  | { readonly kind: 'cluster.put'; readonly cluster: KbCluster }
  | { readonly kind: 'component.put'; readonly component: Component }
  | { readonly kind: 'instanceset.put'; readonly instanceSet: InstanceSet }
  | { readonly kind: 'pod.create'; readonly pod: PodInput; readonly claims: readonly { readonly name: string; readonly storageMiB: number }[] }
  | { readonly kind: 'pod.delete'; readonly name: string }
  | { readonly kind: 'pod.labels'; readonly name: string; readonly set: Readonly<Record<string, string>>; readonly remove: readonly string[]; readonly annotate?: Readonly<Record<string, string>> }
  | { readonly kind: 'event'; readonly event: KubeEventInput }
  | { readonly kind: 'log'; readonly item: string; readonly line: string | null }
  | { readonly kind: 'roleProbe.handled'; readonly pod: string }
  | { readonly kind: 'timer.schedule'; readonly id: string; readonly delayTicks: Tick; readonly payload: KbTimerPayload }
  | { readonly kind: 'timer.cancel'; readonly id: string }
  | { readonly kind: 'enqueue'; readonly item: string };

/** Dirty work items at most; a model that needs more has a watch loop. */
export const workQueueLengthMax = 1_000;
/** Distinct controller errors kept (the oldest is dropped past it, like a log). */
export const controllerErrorsMax = 64;

/** The work item of `controller` for `key`. */
export function workItem(controller: string, key: string): string {
  // Asked several times per step for the same few items (the pod watch, the writes' wakes): one
  // string per item, kept, rather than a new concatenation each time that `includes` must flatten.
  let byKey = workItems.get(controller);
  if (byKey === undefined) {
    byKey = new Map();
    workItems.set(controller, byKey);
  }
  let item = byKey.get(key);
  if (item === undefined) {
    item = `${controller}/${key}`;
    if (byKey.size >= workItemsPerControllerMax) byKey.clear();
    byKey.set(key, item);
  }
  return item;
}

const workItems = new Map<string, Map<string, string>>();
/** Work items kept per controller; past it that controller's are cleared (the same strings either way). */
export const workItemsPerControllerMax = 10_000;

/** Splits a work item into controller and key. */
export function splitWorkItem(item: string): { controller: string; key: string } {
  const slash = item.indexOf('/');
  assert(slash > 0, `work item ${item} must be controller/key`);
  return { controller: item.slice(0, slash), key: item.slice(slash + 1) };
}

/** `queue` with `item` inserted at its sorted place; the same array when it is there already. */
function queueWith(queue: readonly string[], item: string): readonly string[] {
  if (queue.includes(item)) return queue;
  // The limit's text is built only when it is crossed (this runs on most steps).
  if (queue.length + 1 > workQueueLengthMax) checkLimit('workQueueLengthMax', queue.length + 1, workQueueLengthMax, `enqueue ${item}`);
  // Inserted at its place: the same order as sorting (code units), without re-sorting; one copy
  // (filled by hand: splice also makes an array of the removed entries).
  let at = 0;
  while (at < queue.length && (queue[at] as string) < item) at++;
  const next = new Array<string>(queue.length + 1);
  for (let index = 0; index < at; index++) next[index] = queue[index] as string;
  next[at] = item;
  for (let index = at; index < queue.length; index++) next[index + 1] = queue[index] as string;
  return next;
}

/** Marks `item` dirty (idempotent; the queue stays sorted). */
export function enqueue<W extends KubeBlocksWorld>(world: W, item: string): W {
  const queue = queueWith(world.queue, item);
  return queue === world.queue ? world : { ...world, queue };
}

/** Removes `item` from the dirty set (the reconcile is about to run). */
export function dequeue<W extends KubeBlocksWorld>(world: W, item: string): W {
  const at = world.queue.indexOf(item);
  if (at < 0) return world;
  // Copied by hand without `item` (splice also makes an array of the removed entry).
  const queue = new Array<string>(world.queue.length - 1);
  for (let index = 0; index < at; index++) queue[index] = world.queue[index] as string;
  for (let index = at + 1; index < world.queue.length; index++) queue[index - 1] = world.queue[index] as string;
  return { ...world, queue };
}

function withObject<T>(record: Readonly<Record<string, T>>, name: string, value: T): Readonly<Record<string, T>> {
  return { ...record, [name]: value };
}

/**
 * The fields writes change, gathered while a reconcile's writes are applied one after another, so
 * that the world is copied once per reconcile rather than once or twice per write (issue 11).
 */
interface WorldDraft {
  kb: KubeBlocksObjects;
  k8s: Cluster;
  queue: readonly string[];
  logs: Readonly<Record<string, string>>;
  roleProbes: Readonly<Record<string, RoleProbeReport>>;
  clock: Clock<KbTimerPayload>;
}

function draftOf(world: KubeBlocksWorld): WorldDraft {
  return { kb: world.kb, k8s: world.k8s, queue: world.queue, logs: world.logs, roleProbes: world.roleProbes, clock: world.clock };
}

// The world with the draft's changed fields; the same world when none changed. Assigning a field
// the world has keeps its place in the key order, as a spread with that field did.
function worldFrom<W extends KubeBlocksWorld>(world: W, draft: WorldDraft): W {
  if (draft.kb === world.kb && draft.k8s === world.k8s && draft.queue === world.queue && draft.logs === world.logs && draft.roleProbes === world.roleProbes && draft.clock === world.clock) return world;
  const next: { -readonly [K in keyof W]: W[K] } = { ...world };
  if (draft.kb !== world.kb) next.kb = draft.kb;
  if (draft.k8s !== world.k8s) next.k8s = draft.k8s;
  if (draft.queue !== world.queue) next.queue = draft.queue;
  if (draft.logs !== world.logs) next.logs = draft.logs;
  if (draft.roleProbes !== world.roleProbes) next.roleProbes = draft.roleProbes;
  if (draft.clock !== world.clock) next.clock = draft.clock;
  return next;
}

// Watches: who is woken by a write (controller-runtime Owns/Watches). Status writes wake owners;
// spec writes (a new generation) also wake the object's own controller.
function wakeAfterKbWrite(draft: WorldDraft, write: KbWrite, before: KubeBlocksObjects): void {
  switch (write.kind) {
    case 'cluster.put': {
      const old = before.clusters[write.cluster.name];
      if (old === undefined || old.generation !== write.cluster.generation) draft.queue = queueWith(draft.queue, workItem('cluster', write.cluster.name));
      return;
    }
    case 'component.put': {
      const old = before.components[write.component.name];
      draft.queue = queueWith(draft.queue, workItem('cluster', write.component.clusterName));
      if (old === undefined || old.generation !== write.component.generation) draft.queue = queueWith(draft.queue, workItem('component', write.component.name));
      return;
    }
    case 'instanceset.put': {
      const old = before.instanceSets[write.instanceSet.name];
      draft.queue = queueWith(draft.queue, workItem('component', write.instanceSet.componentName));
      if (old === undefined || old.generation !== write.instanceSet.generation) draft.queue = queueWith(draft.queue, workItem('instanceset', write.instanceSet.name));
      return;
    }
    default:
      return;
  }
}

/** Applies one write to the draft at `now`, exactly as {@link applyWrite} does to a world. */
// The object a put stores: the one already stored when the put repeats it, else the put's object in the one shape of its kind (shapes.ts).
function stored<T>(current: T | undefined, next: T, shaped: (object: T) => T): T {
  return next === current ? next : shaped(next);
}

function writeInto(draft: WorldDraft, write: KbWrite, now: Tick): void {
  const before = draft.kb;
  switch (write.kind) {
    case 'cluster.put':
      draft.kb = { ...before, clusters: withObject(before.clusters, write.cluster.name, stored(before.clusters[write.cluster.name], write.cluster, shapedKbClusterObject)) };
      return wakeAfterKbWrite(draft, write, before);
    case 'component.put':
      draft.kb = { ...before, components: withObject(before.components, write.component.name, stored(before.components[write.component.name], write.component, shapedComponent)) };
      return wakeAfterKbWrite(draft, write, before);
    case 'instanceset.put':
      draft.kb = { ...before, instanceSets: withObject(before.instanceSets, write.instanceSet.name, stored(before.instanceSets[write.instanceSet.name], write.instanceSet, shapedInstanceSet)) };
      return wakeAfterKbWrite(draft, write, before);
    case 'pod.create': {
      let k8s = draft.k8s;
      for (const claim of write.claims) k8s = clusterEnsurePvc(k8s, kubeblocksNamespace, claim.name, claim.storageMiB, write.pod.labels ?? {}, now);
      draft.k8s = clusterCreatePod(k8s, write.pod, now);
      return;
    }
    case 'pod.delete':
      draft.k8s = clusterDeletePod(draft.k8s, kubeblocksNamespace, write.name, now);
      return;
    case 'pod.labels':
      draft.k8s = relabelled(draft.k8s, write);
      return;
    case 'event':
      draft.k8s = recordEvent(draft.k8s, write.event, now);
      return;
    case 'log':
      draft.logs = withLog(draft.logs, write.item, write.line);
      return;
    case 'roleProbe.handled': {
      const roleProbes = { ...draft.roleProbes };
      delete roleProbes[write.pod];
      draft.roleProbes = roleProbes;
      return;
    }
    case 'timer.schedule':
      draft.clock = clockSchedule(draft.clock, write.id, write.delayTicks, write.payload);
      return;
    case 'timer.cancel':
      draft.clock = clockCancel(draft.clock, write.id);
      return;
    case 'enqueue':
      draft.queue = queueWith(draft.queue, write.item);
      return;
    default: {
      const never: never = write;
      throw new Error(`unknown write ${JSON.stringify(never)}`);
    }
  }
}

function relabelled(k8s: Cluster, write: Extract<KbWrite, { kind: 'pod.labels' }>): Cluster {
  const key = objectKey(kubeblocksNamespace, write.name);
  const pod = k8s.pods.get(key);
  assert(pod !== undefined, `pod ${key} does not exist`);
  const labels: Record<string, string> = { ...pod.labels, ...write.set };
  for (const removed of write.remove) delete labels[removed];
  const changed = Object.keys(write.set).length > 0 || write.remove.length > 0;
  // An annotation-only write keeps the labels object, so the substrate's label index is untouched.
  const annotations = write.annotate === undefined ? pod.annotations : { ...pod.annotations, ...write.annotate };
  return writePod(k8s, key, { ...pod, labels: changed ? labels : pod.labels, annotations });
}

function withLog(logs: Readonly<Record<string, string>>, item: string, line: string | null): Readonly<Record<string, string>> {
  if (line === null) {
    if (!(item in logs)) return logs;
    const rest = { ...logs };
    delete rest[item];
    return rest;
  }
  return logs[item] === line ? logs : { ...logs, [item]: line };
}

/** Applies one write at `world.now`. Pod writes wake their InstanceSet through the pod watch of the model. */
export function applyWrite<W extends KubeBlocksWorld>(world: W, write: KbWrite): W {
  const draft = draftOf(world);
  writeInto(draft, write, world.now);
  return worldFrom(world, draft);
}

/** Applies `writes` one at a time at `world.now`: the world {@link applyWrite} would give after the last, copied once. */
export function applyWrites<W extends KubeBlocksWorld>(world: W, writes: readonly KbWrite[]): W {
  if (writes.length === 0) return world;
  const draft = draftOf(world);
  for (const write of writes) writeInto(draft, write, world.now);
  return worldFrom(world, draft);
}

/** Adds coverage mark `mark` (idempotent). */
export function withMark<W extends KubeBlocksWorld>(world: W, mark: string): W {
  return world.marks.includes(mark) ? world : { ...world, marks: [...world.marks, mark].sort() };
}

/** Records a reconcile error (deduplicated by controller, key and message, like a log with counts). */
export function recordControllerError<W extends KubeBlocksWorld>(world: W, controller: string, key: string, message: string): W {
  const index = world.errors.findIndex((error) => error.controller === controller && error.key === key && error.message === message);
  if (index >= 0) {
    const error = world.errors[index] as ControllerError;
    const bumped = { ...error, count: error.count + 1, lastTick: world.now };
    return { ...world, errors: [...world.errors.slice(0, index), ...world.errors.slice(index + 1), bumped] };
  }
  const errors = [...world.errors, { controller, key, message, count: 1, lastTick: world.now }];
  return { ...world, errors: errors.length > controllerErrorsMax ? errors.slice(errors.length - controllerErrorsMax) : errors };
}
