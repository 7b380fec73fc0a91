/**
 * The restore extension's work queue, with controller-runtime semantics: a work item
 * (`<controller>/<key>`) is offered only while dirty or when its RequeueAfter timer is due; an
 * error requeues with per-item exponential backoff and is recorded in the world's controller errors.
 */
import { checkLimit } from '../../sim/limits.ts';
import type { Tick } from '../../sim/ticks.ts';
import { recordControllerError } from '../kubeblocks/kubeblocks-world.ts';
import { restoreQueueLengthMax, type RestoreState, type RestoreWorld } from './restore-objects.ts';
import { exponentialBackoffTicks } from '../../sim/backoff.ts';

/** The longest backoff after repeated errors, in ticks. */
export const restoreBackoffTicksMax = 60;

/**
 * `state` in the one V8 shape of its kind, keys in `restoreStateCreate`'s order: the state is
 * replaced by spreads at many sites, each of which would give it a map of its own (23 in a warm
 * swarm) and make every read of it megamorphic (see kubeblocks/shapes.ts).
 */
export function shapedRestoreState(state: RestoreState): RestoreState {
  return {
    timing: state.timing,
    backups: state.backups,
    opsRequests: state.opsRequests,
    restores: state.restores,
    clusterAnnotations: state.clusterAnnotations,
    dirty: state.dirty,
    requeues: state.requeues,
    failures: state.failures,
    deletedClusters: state.deletedClusters,
  };
}

export function withRestore(world: RestoreWorld, restore: RestoreState): RestoreWorld {
  // The extension state is `{ restore }` alone (RestoreWorld), built in one shape too.
  return restore === world.ext.restore ? world : { ...world, ext: { restore: shapedRestoreState(restore) } };
}

/** Marks `item` dirty (idempotent, sorted). */
export function restoreMarkDirty(world: RestoreWorld, item: string): RestoreWorld {
  const state = world.ext.restore;
  if (state.dirty.includes(item)) return world;
  checkLimit('restoreQueueLengthMax', state.dirty.length + 1, restoreQueueLengthMax, `mark ${item}`);
  return withRestore(world, { ...state, dirty: [...state.dirty, item].sort() });
}

/** Takes `item` off the dirty list (its reconcile is about to run). */
export function restoreTake(world: RestoreWorld, item: string): RestoreWorld {
  const state = world.ext.restore;
  if (!state.dirty.includes(item)) return world;
  return withRestore(world, { ...state, dirty: state.dirty.filter((queued) => queued !== item) });
}

/** RequeueAfter: `item` becomes dirty again at `now + delayTicks` (an earlier timer for it is replaced). */
export function restoreRequeueAfter(world: RestoreWorld, item: string, delayTicks: Tick): RestoreWorld {
  const state = world.ext.restore;
  const dueTick = world.now + Math.max(1, delayTicks);
  const requeues = [...state.requeues.filter((entry) => entry.item !== item), { item, dueTick }].sort((left, right) => left.dueTick - right.dueTick || left.item.localeCompare(right.item));
  return withRestore(world, { ...state, requeues });
}

/** The first RequeueAfter timer due at `now`, if any. */
export function restoreDueRequeue(world: RestoreWorld): { readonly item: string; readonly dueTick: Tick } | undefined {
  return world.ext.restore.requeues.find((entry) => entry.dueTick <= world.now);
}

/** Fires the RequeueAfter timer of `item`. */
export function restoreFireRequeue(world: RestoreWorld, item: string): RestoreWorld {
  const state = world.ext.restore;
  return restoreMarkDirty(withRestore(world, { ...state, requeues: state.requeues.filter((entry) => entry.item !== item) }), item);
}

/** The earliest future RequeueAfter tick, or null. */
export function restoreNextDueTick(world: RestoreWorld): Tick | null {
  const future = world.ext.restore.requeues.filter((entry) => entry.dueTick > world.now);
  return future.length === 0 ? null : Math.min(...future.map((entry) => entry.dueTick));
}

/** A reconcile of `item` returned `message`: record it and requeue with backoff. */
export function restoreFailed(world: RestoreWorld, controller: string, key: string, message: string): RestoreWorld {
  const item = `${controller}/${key}`;
  const failures = (world.ext.restore.failures[item] ?? 0) + 1;
  const recorded = recordControllerError(world, controller, key, message);
  const next = withRestore(recorded, { ...recorded.ext.restore, failures: { ...recorded.ext.restore.failures, [item]: failures } });
  return restoreRequeueAfter(next, item, exponentialBackoffTicks(failures, 1, restoreBackoffTicksMax));
}

/** A reconcile of `item` succeeded: reset its backoff. */
export function restoreSucceeded(world: RestoreWorld, item: string): RestoreWorld {
  const state = world.ext.restore;
  if (!(item in state.failures)) return world;
  const failures = { ...state.failures };
  delete failures[item];
  return withRestore(world, { ...state, failures });
}
