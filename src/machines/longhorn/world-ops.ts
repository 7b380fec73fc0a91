/**
 * Small pure helpers over a {@link LonghornWorld}: find, replace and remove objects by name while
 * keeping every other object's identity, mark controller keys dirty, record Events and errors.
 */
import { assert } from '../../sim/assert.ts';
import { clockCancel, clockSchedule } from '../../sim/clock.ts';
import { eventsRecord, type KubeEventType } from '../../sim/events.ts';
import { checkLimit } from '../../sim/limits.ts';
import type { ControllerError } from '../../sim/model.ts';
import type { Engine, LonghornWorld, Replica, Volume } from './world.ts';
import { exponentialBackoffTicks } from '../../sim/backoff.ts';

interface Named {
  readonly name: string;
}

/** Controller errors kept per world (distinct controller/key pairs). */
export const controllerErrorsMax = 512;
/** Dirty controller keys at once. */
export const dirtyKeysMax = 1024;

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

export function byName<T extends Named>(items: readonly T[], name: string): T | undefined {
  return items.find((item) => item.name === name);
}

export function mustByName<T extends Named>(items: readonly T[], name: string, what: string): T {
  const item = byName(items, name);
  assert(item !== undefined, `${what} ${name} does not exist`);
  return item;
}

/** True when both objects have the same keys with identical (===) values. */
export function shallowEqual(left: object, right: object): boolean {
  if (left === right) return true;
  const leftEntries = Object.entries(left);
  if (leftEntries.length !== Object.keys(right).length) return false;
  const rightRecord = right as Record<string, unknown>;
  return leftEntries.every(([key, value]) => rightRecord[key] === value);
}

/**
 * Replaces (or inserts, keeping name order) the object with `item.name`. A replacement equal
 * field by field to the existing object is no change: the array keeps its identity, so a
 * controller that writes what is already there does not wake its watchers.
 */
export function upsert<T extends Named>(items: readonly T[], item: T): readonly T[] {
  const index = items.findIndex((existing) => existing.name === item.name);
  if (index >= 0) {
    if (shallowEqual(items[index] as T, item)) return items;
    return items.slice(0, index).concat([item], items.slice(index + 1));
  }
  const at = items.findIndex((existing) => existing.name > item.name);
  return at < 0 ? items.concat([item]) : items.slice(0, at).concat([item], items.slice(at));
}

export function removeByName<T extends Named>(items: readonly T[], name: string): readonly T[] {
  return items.some((item) => item.name === name) ? items.filter((item) => item.name !== name) : items;
}

/** Marks controller keys dirty (kept sorted and unique: the work queue). */
export function markDirty(world: LonghornWorld, ...keys: readonly string[]): LonghornWorld {
  let dirty = world.dirty;
  for (const key of keys) {
    if (dirty.includes(key)) continue;
    const at = dirty.findIndex((existing) => existing > key);
    dirty = at < 0 ? dirty.concat([key]) : dirty.slice(0, at).concat([key], dirty.slice(at));
  }
  if (dirty === world.dirty) return world;
  checkLimit('dirtyKeysMax', dirty.length, dirtyKeysMax, 'the controllers fell behind');
  return { ...world, dirty };
}

export function clearDirty(world: LonghornWorld, key: string): LonghornWorld {
  return world.dirty.includes(key) ? { ...world, dirty: world.dirty.filter((existing) => existing !== key) } : world;
}

export function recordEvent(
  world: LonghornWorld,
  type: KubeEventType,
  involvedObject: string,
  reason: string,
  message: string,
  source = 'longhorn-manager',
): LonghornWorld {
  return { ...world, events: eventsRecord(world.events, { type, reason, message, involvedObject, source }, world.clock.now) };
}

/** Requeue delay after a reconcile error (controller-runtime's rate limiter, capped). */
export function backoffTicks(count: number): number {
  // 5 × 2^count for the count-th failure (count ≥ 1), capped at 300.
  return exponentialBackoffTicks(count, 10, 300);
}

/** A reconcile that returned an error: counted, and requeued with backoff. */
export function recordError(world: LonghornWorld, controller: string, key: string, message: string): LonghornWorld {
  const index = world.errors.findIndex((error) => error.controller === controller && error.key === key);
  const previous = index >= 0 ? world.errors[index] : undefined;
  const count = previous !== undefined && previous.message === message ? previous.count + 1 : 1;
  const error: ControllerError = { controller, key, message, count, lastTick: world.clock.now };
  const errors = index >= 0 ? world.errors.slice(0, index).concat([error], world.errors.slice(index + 1)) : world.errors.concat([error]);
  checkLimit('controllerErrorsMax', errors.length, controllerErrorsMax, `error in ${controller} ${key}`);
  return requeueAfter({ ...world, errors }, key, backoffTicks(count));
}

/** A successful reconcile forgets the key's error. */
export function clearError(world: LonghornWorld, key: string): LonghornWorld {
  return world.errors.some((error) => error.key === key) ? { ...world, errors: world.errors.filter((error) => error.key !== key) } : world;
}

export function requeueAfter(world: LonghornWorld, key: string, delayTicks: number): LonghornWorld {
  return { ...world, clock: clockSchedule(world.clock, `requeue ${key}`, delayTicks, { kind: 'requeue', key }) };
}

export function cancelRequeue(world: LonghornWorld, key: string): LonghornWorld {
  const clock = clockCancel(world.clock, `requeue ${key}`);
  return clock === world.clock ? world : { ...world, clock };
}

export function putReplica(world: LonghornWorld, replica: Replica): LonghornWorld {
  const replicas = upsert(world.replicas, replica);
  return replicas === world.replicas ? world : markDirty({ ...world, replicas }, `Replica/${replica.name}`, `Volume/${replica.volumeName}`);
}

export function putEngine(world: LonghornWorld, engine: Engine): LonghornWorld {
  const engines = upsert(world.engines, engine);
  return engines === world.engines ? world : markDirty({ ...world, engines }, `Engine/${engine.name}`, `Volume/${engine.volumeName}`);
}

/**
 * A volume write wakes the CSI attacher, the kubelets of its pods and the volume controller itself
 * (its informer sees its own status update, as upstream's does); a write that changes nothing wakes
 * no one.
 */
export function putVolume(world: LonghornWorld, volume: Volume): LonghornWorld {
  const existing = byName(world.volumes, volume.name);
  // A pass may walk the machine through states and back (degraded, then unknown on close): the
  // same state as before is no change.
  const machine = existing !== undefined && existing.machine !== volume.machine && sameJson(existing.machine, volume.machine) ? existing.machine : volume.machine;
  const volumes = upsert(world.volumes, machine === volume.machine ? volume : { ...volume, machine });
  if (volumes === world.volumes) return world;
  const pods = world.pods.filter((pod) => pod.volumeName === volume.name).map((pod) => `Pod/${pod.name}`);
  return markDirty({ ...world, volumes }, `Volume/${volume.name}`, `VolumeAttachment/${volume.name}`, ...pods);
}

export function replicasOf(world: LonghornWorld, volumeName: string): readonly Replica[] {
  return world.replicas.filter((replica) => replica.volumeName === volumeName);
}

export function engineOf(world: LonghornWorld, volumeName: string): Engine | undefined {
  return world.engines.find((engine) => engine.volumeName === volumeName);
}

/** Marks every controller key that watches a node (its replicas, engines, volumes, pods). */
export function markNodeWatchers(world: LonghornWorld, node: string): LonghornWorld {
  const keys = [`Node/${node}`, `InstanceManager/${node}`];
  for (const replica of world.replicas) if (replica.nodeID === node) keys.push(`Replica/${replica.name}`, `Volume/${replica.volumeName}`);
  for (const engine of world.engines) keys.push(`Engine/${engine.name}`, `Volume/${engine.volumeName}`);
  for (const pod of world.pods) keys.push(`Pod/${pod.name}`);
  return markDirty(world, ...keys);
}
