/**
 * The explorer's canonical key for a Longhorn world (Model.fingerprint). The default key
 * (sim/explore/fingerprint.ts) keeps every number that is not a `…Tick`, so the absolute stamps
 * this model writes (`lastHealthyAt` is rewritten to `now` by every volume pass that sees an RW
 * replica, `failedAt`, `lastDegradedAt`, `publishedAt`, …), the controller-error repeat counts and
 * `rejoinAtTick: 0` (made relative: a new value every tick) make every loop a new state: the
 * explorer never closes a cycle and never gives a verdict.
 *
 * This key replaces each such number by exactly what the transitions, guards and properties read
 * of it, so two worlds with the same key have the same enabled actions (same labels, same order),
 * the same property values, and successors with the same keys (the abstraction is a bisimulation):
 *
 * - Timers, Events: as in the default key (timers due relative to now, in firing order; the Events
 *   log is only written, and read by explanations).
 * - `healthyAt`: only whether it is set is read (`healthyAt ?? now` keeps a set value) → set / null.
 * - `lastHealthyAt`, `lastFailedAt`, `Volume.remountRequestedAt`: only null-ness and equality with
 *   `now` are read (markReplicaHealthy skips the write when `lastHealthyAt === now`; upsert compares
 *   the old value with a new `now`) → null / 'now' / 'past'.
 * - `failedAt`: read as an age against `staleReplicaTimeout` (cleanup deletes at age ≥ T and
 *   requeues after T − age before that) and as differences between replicas of one volume within
 *   `AutoSalvageTimeLimit` (auto-salvage). Per volume the failed replicas' ages are sorted; the
 *   youngest age and every gap to the next one are clamped at D = max(T, L) + 1. Any comparison that
 *   involves a clamped part is then decided (age ≥ D > T, difference ≥ D > L), and every other
 *   comparison is exact; time passing, a new failure (age 0) and a failure cleared keep the clamped
 *   form a function of itself. The key holds each replica's age rebuilt from the clamped parts.
 * - `Volume.lastDegradedAt`: read as `now < lastDegradedAt + wait` and the requeue delay before
 *   that → age clamped at the wait interval. `publishedAt`: read as `now − publishedAt < 30` and the
 *   delay before that (`?? now` when null) → null or age clamped at {@link publishWaitTicks}.
 * - `upgrade.rejoinAtTick`: read only while the step is `replaced`, as `now ≥ rejoinAtTick` →
 *   ticks left (≥ 0) then, left out otherwise.
 * - Controller errors: `count` is read only by the backoff, which is capped from
 *   {@link errorCountSaturated} failures on → clamped there; `lastTick` is read by no transition
 *   (reports only) → left out.
 * - `seen.lastReplicaLost`: a text with the tick; the safety property reads whether it is set.
 *
 * Kept as they are: names and the counters that make new names (`replicaCounter`, `podCounter`,
 * `diskCounter`): names order the arrays, the work queue and the actions, so the key does not
 * rename objects (the bounded fault budget keeps the number of new objects bounded).
 */
import { canonicalFingerprint, type FingerprintRules } from '../../sim/explore.ts';
import { canonicalHashTree, hashHex, type Hash64, type HashTree } from '../../sim/explore/hash.ts';
import type { ControllerError } from '../../sim/model.ts';
import type { Tick } from '../../sim/ticks.ts';
import { publishWaitTicks } from './kube.ts';
import { autoSalvageTimeLimitTicks } from './settings.ts';
import { backoffTicks } from './world-ops.ts';
import type { LonghornWorld, Replica, Upgrade, Volume } from './world.ts';

/** Repeat count from which the error backoff no longer grows (the cap is reached). */
export const errorCountSaturated = errorCountWhereBackoffCaps();

function errorCountWhereBackoffCaps(): number {
  let count = 1;
  while (backoffTicks(count + 1) !== backoffTicks(count)) count++;
  return count;
}

/** Absolute ticks are already abstracted below; only the clock (structural) is made relative. */
const rules: FingerprintRules = { relative: /(?!)/, dropped: /^now$/ };

type Stamp = 'now' | 'past' | null;

function stampOf(value: Tick | null, now: Tick): Stamp {
  return value === null ? null : value === now ? 'now' : 'past';
}

/** Each failed replica's age rebuilt from the clamped youngest age and clamped gaps (see the header). */
function failedAges(replicas: readonly Replica[], volume: Volume | undefined, now: Tick): Map<string, number> {
  const failed = replicas.filter((replica) => replica.failedAt !== null).map((replica) => ({ name: replica.name, age: now - (replica.failedAt as Tick) }));
  const ages = new Map<string, number>();
  if (failed.length === 0) return ages;
  const clamp = Math.max(volume?.staleReplicaTimeoutTicks ?? 0, autoSalvageTimeLimitTicks) + 1;
  failed.sort((left, right) => left.age - right.age || (left.name < right.name ? -1 : 1));
  let canonical = 0;
  let previous = 0;
  for (const [index, entry] of failed.entries()) {
    canonical += Math.min(clamp, index === 0 ? entry.age : entry.age - previous);
    previous = entry.age;
    ages.set(entry.name, canonical);
  }
  return ages;
}

/** The abstract world: the world's fields in its own order, the abstracted ones replaced. */
type AbstractWorld = { readonly [K in keyof LonghornWorld]: unknown };

interface AbstractReplica {
  readonly healthyAt: boolean;
  readonly lastHealthyAt: Stamp;
  readonly failedAt: number | null;
  readonly lastFailedAt: Stamp;
}

interface AbstractVolume {
  readonly publishedAt: number | null;
  readonly lastDegradedAt: number | null;
  readonly remountRequestedAt: Stamp;
}

interface AbstractUpgrade {
  readonly ticksToRejoin: number | null;
}

/**
 * What {@link longhornHashInto} keeps of a world for hashing the worlds derived from it: the
 * world, its abstract copy and the copy's hash tree. A successor shares most objects with the
 * world it came from; where an object is the same (===) and its abstracted values are too, the
 * abstract copy is the same object as well, so the hash tree (hash.ts) reuses its hash by one
 * identity comparison instead of a WeakMap lookup per object.
 */
export interface LonghornHashMemo {
  readonly world: LonghornWorld;
  readonly abstract: AbstractWorld;
  readonly tree: HashTree | null;
}

/** The index of `item` in `before` at `index` or one over (an item inserted or removed before it), else -1. */
function priorIndex<T>(before: readonly T[], index: number, item: T): number {
  if (before[index] === item) return index;
  if (before[index + 1] === item) return index + 1;
  if (index > 0 && before[index - 1] === item) return index - 1;
  return -1;
}

/**
 * The abstract copies of `items`. `make` builds one, or returns `prior` (the copy of the same object
 * in the world a step came from) when its abstracted values are the new ones; when every copy is a
 * prior one at its place, the prior array itself.
 */
function abstractItems<T, C>(items: readonly T[], before: readonly T[] | null, beforeCopies: readonly C[] | null, make: (item: T, prior: C | undefined) => C): readonly C[] {
  const copies = new Array<C>(items.length);
  let reused = before !== null && before.length === items.length;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as T;
    const at = before === null ? -1 : priorIndex(before, index, item);
    const prior = at >= 0 ? (beforeCopies as readonly C[])[at] : undefined;
    const copy = make(item, prior);
    copies[index] = copy;
    if (copy !== prior || at !== index) reused = false;
  }
  return reused ? (beforeCopies as readonly C[]) : copies;
}

function abstractReplica(replica: Replica, age: number | undefined, now: Tick, prior: AbstractReplica | undefined): AbstractReplica {
  const lastHealthyAt = stampOf(replica.lastHealthyAt, now);
  const failedAt = age ?? null;
  const lastFailedAt = stampOf(replica.lastFailedAt, now);
  if (prior !== undefined && prior.lastHealthyAt === lastHealthyAt && prior.failedAt === failedAt && prior.lastFailedAt === lastFailedAt) return prior;
  return { ...replica, healthyAt: replica.healthyAt !== null, lastHealthyAt, failedAt, lastFailedAt };
}

function abstractVolume(volume: Volume, wait: number, now: Tick, prior: AbstractVolume | undefined): AbstractVolume {
  const publishedAt = volume.publishedAt === null ? null : Math.min(publishWaitTicks, now - volume.publishedAt);
  const lastDegradedAt = volume.lastDegradedAt === null ? null : Math.min(wait, now - volume.lastDegradedAt);
  const remountRequestedAt = stampOf(volume.remountRequestedAt, now);
  if (prior !== undefined && prior.publishedAt === publishedAt && prior.lastDegradedAt === lastDegradedAt && prior.remountRequestedAt === remountRequestedAt) return prior;
  return { ...volume, publishedAt, lastDegradedAt, remountRequestedAt };
}

function abstractErrors(errors: readonly ControllerError[]): unknown {
  return errors.map((error) => ({ controller: error.controller, key: error.key, message: error.message, count: Math.min(error.count, errorCountSaturated) }));
}

function abstractUpgrade(upgrade: Upgrade, now: Tick): AbstractUpgrade {
  const ticksToRejoin = upgrade.step === 'replaced' ? Math.max(0, upgrade.rejoinAtTick - now) : null;
  return { done: upgrade.done, current: upgrade.current, step: upgrade.step, ticksToRejoin } as AbstractUpgrade;
}

/** Each failed replica's abstract age (see the header), by name; empty when none failed. */
function replicaAges(world: LonghornWorld, now: Tick): Map<string, number> {
  const ages = new Map<string, number>();
  if (!world.replicas.some((replica) => replica.failedAt !== null)) return ages;
  for (const volume of world.volumes) {
    for (const [name, age] of failedAges(world.replicas.filter((replica) => replica.volumeName === volume.name), volume, now)) ages.set(name, age);
  }
  const orphans = world.replicas.filter((replica) => replica.failedAt !== null && !world.volumes.some((volume) => volume.name === replica.volumeName));
  for (const [name, age] of failedAges(orphans, undefined, now)) ages.set(name, age);
  return ages;
}

/**
 * The abstracted world the key is the canonical text of, built as one literal in the world's field
 * order; with `previous` (the memo of a world this one was derived from) it reuses the prior
 * abstract copies of the objects that did not change.
 */
function abstractWorld(world: LonghornWorld, previous: LonghornHashMemo | null): AbstractWorld {
  const now = world.clock.now;
  const before = previous?.world ?? null;
  const prior = previous?.abstract ?? null;
  const ages = replicaAges(world, now);
  const wait = world.settings['replica-replenishment-wait-interval'];
  const upgrade = abstractUpgrade(world.upgrade, now);
  const priorUpgrade = prior?.upgrade as AbstractUpgrade | undefined;
  return {
    profile: world.profile,
    settings: world.settings,
    clock: world.clock,
    nodes: world.nodes,
    lhNodes: world.lhNodes,
    processes: world.processes,
    volumes: abstractItems(world.volumes, before?.volumes ?? null, (prior?.volumes ?? null) as readonly AbstractVolume[] | null, (volume, copy) => abstractVolume(volume, wait, now, copy)),
    engines: world.engines,
    replicas: abstractItems(world.replicas, before?.replicas ?? null, (prior?.replicas ?? null) as readonly AbstractReplica[] | null, (replica, copy) => abstractReplica(replica, ages.get(replica.name), now, copy)),
    workloads: world.workloads,
    pods: world.pods,
    upgrade: before?.upgrade === world.upgrade && priorUpgrade?.ticksToRejoin === upgrade.ticksToRejoin ? priorUpgrade : upgrade,
    dirty: world.dirty,
    events: world.events,
    errors: before?.errors === world.errors ? prior?.errors : abstractErrors(world.errors),
    diskCounter: world.diskCounter,
    rebuildTicks: world.rebuildTicks,
    imStartTicks: world.imStartTicks,
    provisionTicks: world.provisionTicks,
    seen: before?.seen === world.seen ? prior?.seen : { ...world.seen, lastReplicaLost: world.seen.lastReplicaLost !== null },
  };
}

/** The abstracted world the key is the canonical text of. */
export function longhornAbstractWorld(world: LonghornWorld): unknown {
  return abstractWorld(world, null);
}

/**
 * Hashes the canonical form of {@link longhornAbstractWorld} into `out` (the structural hash of
 * hash.ts: equal exactly when the canonical texts are equal, up to the chance that two of n states
 * collide, about n²/2⁶⁵) and returns the memo to pass as `previous` for the worlds derived from
 * this one. With a memo only the objects a step changed are abstracted and hashed again; the
 * result is the same as without one (tested).
 */
export function longhornHashInto(world: LonghornWorld, out: Hash64, previous: LonghornHashMemo | null): LonghornHashMemo {
  const abstract = abstractWorld(world, previous);
  const tree = canonicalHashTree(abstract, world.clock.now, out, previous?.tree ?? null, rules);
  return { world, abstract, tree };
}

/** The explorer's key for a Longhorn world (see the header): {@link longhornHashInto} as 16 hex digits. */
export function longhornFingerprint(world: LonghornWorld): string {
  const out: Hash64 = { hi: 0, lo: 0 };
  longhornHashInto(world, out, null);
  return hashHex(out);
}

/** The canonical text the key stands for (the tests check that both split worlds alike). */
export function longhornFingerprintText(world: LonghornWorld): string {
  return canonicalFingerprint(longhornAbstractWorld(world), world.clock.now, rules);
}
