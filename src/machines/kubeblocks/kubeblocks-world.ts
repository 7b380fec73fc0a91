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
  return `${controller}/${key}`;
}

/** Splits a work item into controller and key. */
export function splitWorkItem(item: string): { controller: string; key: string } {
  const slash = item.indexOf('/');
  assert(slash > 0, `work item ${item} must be controller/key`);
  return { controller: item.slice(0, slash), key: item.slice(slash + 1) };
}

/** Marks `item` dirty (idempotent; the queue stays sorted). */
export function enqueue<W extends KubeBlocksWorld>(world: W, item: string): W {
  if (world.queue.includes(item)) return world;
  checkLimit('workQueueLengthMax', world.queue.length + 1, workQueueLengthMax, `enqueue ${item}`);
  // Inserted at its place: the same order as sorting (code units), without re-sorting.
  let at = 0;
  while (at < world.queue.length && (world.queue[at] as string) < item) at++;
  // One copy with the item spliced in (not three arrays from slices and spreads).
  const queue = world.queue.slice();
  queue.splice(at, 0, item);
  return { ...world, queue };
}

/** Removes `item` from the dirty set (the reconcile is about to run). */
export function dequeue<W extends KubeBlocksWorld>(world: W, item: string): W {
  const at = world.queue.indexOf(item);
  if (at < 0) return world;
  const queue = world.queue.slice();
  queue.splice(at, 1);
  return { ...world, queue };
}

function withObject<T>(record: Readonly<Record<string, T>>, name: string, value: T): Readonly<Record<string, T>> {
  return { ...record, [name]: value };
}

// Watches: who is woken by a write (controller-runtime Owns/Watches). Status writes wake owners;
// spec writes (a new generation) also wake the object's own controller.
function afterKbWrite<W extends KubeBlocksWorld>(world: W, write: KbWrite, before: KubeBlocksObjects): W {
  switch (write.kind) {
    case 'cluster.put': {
      const old = before.clusters[write.cluster.name];
      return old === undefined || old.generation !== write.cluster.generation ? enqueue(world, workItem('cluster', write.cluster.name)) : world;
    }
    case 'component.put': {
      const old = before.components[write.component.name];
      const next = enqueue(world, workItem('cluster', write.component.clusterName));
      return old === undefined || old.generation !== write.component.generation ? enqueue(next, workItem('component', write.component.name)) : next;
    }
    case 'instanceset.put': {
      const old = before.instanceSets[write.instanceSet.name];
      const next = enqueue(world, workItem('component', write.instanceSet.componentName));
      return old === undefined || old.generation !== write.instanceSet.generation ? enqueue(next, workItem('instanceset', write.instanceSet.name)) : next;
    }
    default:
      return world;
  }
}

/** Applies one write at `world.now`. Pod writes wake their InstanceSet through the pod watch of the model. */
export function applyWrite<W extends KubeBlocksWorld>(world: W, write: KbWrite): W {
  const now = world.now;
  switch (write.kind) {
    case 'cluster.put':
      return afterKbWrite({ ...world, kb: { ...world.kb, clusters: withObject(world.kb.clusters, write.cluster.name, write.cluster) } }, write, world.kb);
    case 'component.put':
      return afterKbWrite({ ...world, kb: { ...world.kb, components: withObject(world.kb.components, write.component.name, write.component) } }, write, world.kb);
    case 'instanceset.put':
      return afterKbWrite({ ...world, kb: { ...world.kb, instanceSets: withObject(world.kb.instanceSets, write.instanceSet.name, write.instanceSet) } }, write, world.kb);
    case 'pod.create': {
      let k8s = world.k8s;
      for (const claim of write.claims) k8s = clusterEnsurePvc(k8s, kubeblocksNamespace, claim.name, claim.storageMiB, write.pod.labels ?? {}, now);
      return { ...world, k8s: clusterCreatePod(k8s, write.pod, now) };
    }
    case 'pod.delete':
      return { ...world, k8s: clusterDeletePod(world.k8s, kubeblocksNamespace, write.name, now) };
    case 'pod.labels': {
      const key = objectKey(kubeblocksNamespace, write.name);
      const pod = world.k8s.pods[key];
      assert(pod !== undefined, `pod ${key} does not exist`);
      const labels: Record<string, string> = { ...pod.labels, ...write.set };
      for (const removed of write.remove) delete labels[removed];
      const relabelled = Object.keys(write.set).length > 0 || write.remove.length > 0;
      // An annotation-only write keeps the labels object, so the substrate's label index is untouched.
      const annotations = write.annotate === undefined ? pod.annotations : { ...pod.annotations, ...write.annotate };
      return { ...world, k8s: writePod(world.k8s, key, { ...pod, labels: relabelled ? labels : pod.labels, annotations }) };
    }
    case 'event':
      return { ...world, k8s: recordEvent(world.k8s, write.event, now) };
    case 'log': {
      if (write.line === null) {
        if (!(write.item in world.logs)) return world;
        const logs = { ...world.logs };
        delete logs[write.item];
        return { ...world, logs };
      }
      return world.logs[write.item] === write.line ? world : { ...world, logs: { ...world.logs, [write.item]: write.line } };
    }
    case 'roleProbe.handled': {
      const roleProbes = { ...world.roleProbes };
      delete roleProbes[write.pod];
      return { ...world, roleProbes };
    }
    case 'timer.schedule':
      return { ...world, clock: clockSchedule(world.clock, write.id, write.delayTicks, write.payload) };
    case 'timer.cancel':
      return { ...world, clock: clockCancel(world.clock, write.id) };
    case 'enqueue':
      return enqueue(world, write.item);
    default: {
      const never: never = write;
      throw new Error(`unknown write ${JSON.stringify(never)}`);
    }
  }
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
