/**
 * The order in which role-probe Events reach the handler (role-event.ts).
 *
 * Upstream the Event reconciler (controllers/k8score/event_controller.go) runs on a
 * controller-runtime work queue, which hands Events out first in, first out. Two pods' reports are
 * handled out of order only when:
 * - the handler fails: its pod update hits a conflict ("the object has been modified"), the
 *   reconcile returns the error and controller-runtime re-adds the Event after a per-item
 *   exponential backoff, behind the Events queued meanwhile ({@link podUpdateConflictFault});
 * - the controller restarts: the informer re-lists the Events not yet marked handled, in no
 *   guaranteed order (pkg/controller/instanceset/pod_role_event_handler.go `Handle`: "event order
 *   is crucial in role probing, but it's not guaranteed when controller restarted";
 *   {@link operatorRestartFault}).
 *
 * The model keeps each pending report's place in `RoleProbeReport.queued`: only the reports at the
 * head (the smallest place; several after a restart) are offered to the handler.
 */
import { assert, unreachable } from '../../sim/assert.ts';
import { exponentialBackoffTicks } from '../../sim/backoff.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { ExtensionAction, KubeBlocksExtension } from './kubeblocks-runtime.ts';
import { applyWrite, dequeue, enqueue, recordControllerError, workItem, type KubeBlocksWorld, type RoleProbeReport } from './kubeblocks-world.ts';

/** The role handler's controller name (work items `instanceset-role/<pod>`). */
export const roleEventControllerName = 'instanceset-role';
const itemPrefix = `${roleEventControllerName}/`;

/** The largest queue place among pending reports (0 when none). */
export function roleEventQueueTail(reports: KubeBlocksWorld['roleProbes']): number {
  let tail = 0;
  for (const pod in reports) tail = Math.max(tail, (reports[pod] as RoleProbeReport).queued);
  return tail;
}

// Asked for every role item of the queue on every step, of worlds that mostly share their reports
// and queue: the last answer is kept with the two (immutable) objects it read.
let lastHead: { readonly roleProbes: KubeBlocksWorld['roleProbes']; readonly queue: KubeBlocksWorld['queue']; readonly head: number | null } | null = null;

function headPlace(world: KubeBlocksWorld): number | null {
  const last = lastHead;
  if (last !== null && last.roleProbes === world.roleProbes && last.queue === world.queue) return last.head;
  const head = headPlacePlain(world);
  lastHead = { roleProbes: world.roleProbes, queue: world.queue, head };
  return head;
}

/** The smallest queue place among reports whose work item is in the queue (not backing off), or null (exported for its test). */
export function headPlacePlain(world: KubeBlocksWorld): number | null {
  let head: number | null = null;
  for (const pod in world.roleProbes) {
    if (!world.queue.includes(itemPrefix + pod)) continue;
    const place = (world.roleProbes[pod] as RoleProbeReport).queued;
    if (head === null || place < head) head = place;
  }
  return head;
}

/**
 * True when `item` may be reconciled now: any item of another controller; a role item only when
 * its report is at the head of the Event queue (an item without a report is a no-op, offered).
 */
export function roleEventItemReady(world: KubeBlocksWorld, item: string): boolean {
  if (!item.startsWith(itemPrefix)) return true;
  const report = world.roleProbes[podOfItem(item)];
  return report === undefined || report.queued === headPlace(world);
}

// The pod of a role work item, kept per item (items recur step after step); past the limit the map is cleared.
const podsOfItems = new Map<string, string>();
const podsOfItemsMax = 10_000;

function podOfItem(item: string): string {
  let pod = podsOfItems.get(item);
  if (pod === undefined) {
    pod = item.slice(itemPrefix.length);
    if (podsOfItems.size >= podsOfItemsMax) podsOfItems.clear();
    podsOfItems.set(item, pod);
  }
  return pod;
}

/** Pods whose report is at the head of the Event queue, sorted. */
export function roleEventHead(world: KubeBlocksWorld): string[] {
  return Object.keys(world.roleProbes).filter((pod) => world.queue.includes(itemPrefix + pod) && roleEventItemReady(world, itemPrefix + pod)).sort();
}

/** The role event faults: `pod.update-conflict` and `operator.restart`. */
export type RoleEventFaultKind = 'pod.update-conflict' | 'operator.restart';

interface RoleEventFaultAction extends ExtensionAction {
  readonly kind: 'fault';
  readonly owner: 'role-event-queue';
  readonly op: RoleEventFaultKind;
  readonly pod: string | null;
}

// The apiserver's conflict message (k8s.io/apimachinery errors.NewConflict).
function conflictMessage(pod: string): string {
  return `Operation cannot be fulfilled on pods "${pod}": the object has been modified; please apply your changes to the latest version and try again`;
}

/** The handler's pod update for `pod`'s report conflicts: the Event is requeued with backoff. */
function updateConflict(world: KubeBlocksWorld, pod: string, backoffTicksMax: Tick): KubeBlocksWorld {
  const item = workItem(roleEventControllerName, pod);
  assert(world.roleProbes[pod] !== undefined && world.queue.includes(item), `no queued role event for ${pod}`);
  const failures = (world.failures[item] ?? 0) + 1;
  let next = recordControllerError({ ...dequeue(world, item), failures: { ...world.failures, [item]: failures } }, roleEventControllerName, pod, conflictMessage(pod));
  const delayTicks = exponentialBackoffTicks(failures, 1, backoffTicksMax);
  next = applyWrite(next, { kind: 'timer.schedule', id: `requeue/${item}`, delayTicks, payload: { kind: 'requeue', item } });
  return next;
}

/** A controller restart: pending Events re-listed at one place (any order), in-memory backoffs lost. */
function restart(world: KubeBlocksWorld): KubeBlocksWorld {
  const roleProbes: Record<string, RoleProbeReport> = {};
  let next = world;
  for (const pod of Object.keys(world.roleProbes).sort()) {
    roleProbes[pod] = { ...(world.roleProbes[pod] as RoleProbeReport), queued: 0 };
    const item = workItem(roleEventControllerName, pod);
    next = applyWrite(next, { kind: 'timer.cancel', id: `requeue/${item}` });
    next = enqueue(next, item);
  }
  const failures = Object.fromEntries(Object.entries(next.failures).filter(([item]) => !item.startsWith(itemPrefix)));
  return { ...next, roleProbes, failures };
}

/**
 * The role-event-queue extension: the two moves above as `fault` actions the swarm may take, and
 * the re-add of a requeued Event at the tail once its backoff fired.
 */
export function roleEventQueueExtension<W extends KubeBlocksWorld>(faults: readonly RoleEventFaultKind[], backoffTicksMax: Tick = 60): KubeBlocksExtension<W> {
  let lastActions: { readonly roleProbes: KubeBlocksWorld['roleProbes']; readonly queue: KubeBlocksWorld['queue']; readonly actions: readonly RoleEventFaultAction[] } | null = null;
  return {
    name: 'role-event-queue',
    // Only faults: not asked for on the steps where the swarm takes none.
    environmentOnly: true,
    actions(world) {
      // A pure function of the reports and the queue (the fault kinds are fixed): the last list is
      // handed out again while both are the same objects (the runtime copies its entries).
      if (lastActions !== null && lastActions.roleProbes === world.roleProbes && lastActions.queue === world.queue) return lastActions.actions;
      const out: RoleEventFaultAction[] = [];
      if (faults.includes('pod.update-conflict')) {
        for (const pod of roleEventHead(world)) out.push({ kind: 'fault', owner: 'role-event-queue', op: 'pod.update-conflict', pod, label: `fault pod.update-conflict ${pod} (role event requeued)` });
      }
      // A restart only reorders when two or more Events are pending.
      if (faults.includes('operator.restart') && Object.keys(world.roleProbes).length >= 2) {
        out.push({ kind: 'fault', owner: 'role-event-queue', op: 'operator.restart', pod: null, label: 'fault operator.restart (events re-listed)' });
      }
      lastActions = { roleProbes: world.roleProbes, queue: world.queue, actions: out };
      return out;
    },
    apply(world, action) {
      const fault = action as RoleEventFaultAction;
      switch (fault.op) {
        case 'pod.update-conflict':
          assert(fault.pod !== null, 'a conflict names its pod');
          return updateConflict(world, fault.pod, backoffTicksMax) as W;
        case 'operator.restart':
          return restart(world) as W;
        default:
          return unreachable(fault.op);
      }
    },
    // A requeued Event re-enters the queue behind every pending one when its backoff fires.
    afterApply(before, after) {
      // With the same queue no item can have entered it (the loop below would skip every report).
      if (after.queue === before.queue) return after;
      let roleProbes: Record<string, RoleProbeReport> | null = null;
      for (const pod in after.roleProbes) {
        const item = itemPrefix + pod;
        const report = after.roleProbes[pod] as RoleProbeReport;
        if (report !== before.roleProbes[pod] || before.queue.includes(item) || !after.queue.includes(item)) continue;
        roleProbes ??= { ...after.roleProbes };
        roleProbes[pod] = { ...report, queued: roleEventQueueTail(roleProbes) + 1 };
      }
      return roleProbes === null ? after : { ...after, roleProbes };
    },
  };
}
