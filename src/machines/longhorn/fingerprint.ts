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
import { isClock, isEventRow } from '../../sim/explore/fingerprint.ts';
import { avalanche, canonicalHashTree, hashHex, stepHi, stepLo, type Hash64 } from '../../sim/explore/hash.ts';
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

type Part = string | number | boolean | null;

interface Memo {
  readonly a: Part;
  readonly b: Part;
  readonly c: Part;
  readonly out: unknown;
}

/**
 * The abstracted copy of `item` for the values `a`, `b`, `c` of its dynamic fields, kept per
 * object: the same object with the same values gives the very same copy, so the hashes kept per
 * object (below) keep working for the objects a step did not touch.
 */
function memo<T extends object>(cache: WeakMap<T, Memo>, item: T, a: Part, b: Part, c: Part, make: () => unknown): unknown {
  const hit = cache.get(item);
  if (hit !== undefined && hit.a === a && hit.b === b && hit.c === c) return hit.out;
  const out = make();
  cache.set(item, { a, b, c, out });
  return out;
}

/** The same array of copies when every copy is the same as last time for this array. */
function memoArray<T extends object>(cache: WeakMap<readonly T[], readonly unknown[]>, items: readonly T[], copies: readonly unknown[]): readonly unknown[] {
  const hit = cache.get(items);
  if (hit !== undefined && hit.length === copies.length && hit.every((copy, index) => copy === copies[index])) return hit;
  cache.set(items, copies);
  return copies;
}

const replicaCopies = new WeakMap<Replica, Memo>();
const replicaArrays = new WeakMap<readonly Replica[], readonly unknown[]>();
const volumeCopies = new WeakMap<Volume, Memo>();
const volumeArrays = new WeakMap<readonly Volume[], readonly unknown[]>();
const errorCopies = new WeakMap<readonly ControllerError[], Memo>();
const upgradeCopies = new WeakMap<Upgrade, Memo>();
const seenCopies = new WeakMap<LonghornWorld['seen'], Memo>();

function abstractReplica(replica: Replica, age: number | undefined, now: Tick): unknown {
  const lastHealthyAt = stampOf(replica.lastHealthyAt, now);
  const lastFailedAt = stampOf(replica.lastFailedAt, now);
  const failedAt = age ?? null;
  return memo(replicaCopies, replica, lastHealthyAt, lastFailedAt, failedAt, () => ({ ...replica, healthyAt: replica.healthyAt !== null, lastHealthyAt, failedAt, lastFailedAt }));
}

function abstractVolume(volume: Volume, wait: number, now: Tick): unknown {
  const publishedAt = volume.publishedAt === null ? null : Math.min(publishWaitTicks, now - volume.publishedAt);
  const lastDegradedAt = volume.lastDegradedAt === null ? null : Math.min(wait, now - volume.lastDegradedAt);
  const remountRequestedAt = stampOf(volume.remountRequestedAt, now);
  return memo(volumeCopies, volume, publishedAt, lastDegradedAt, remountRequestedAt, () => ({ ...volume, publishedAt, lastDegradedAt, remountRequestedAt }));
}

function abstractErrors(errors: readonly ControllerError[]): unknown {
  return memo(errorCopies, errors, null, null, null, () =>
    errors.map((error) => ({ controller: error.controller, key: error.key, message: error.message, count: Math.min(error.count, errorCountSaturated) })),
  );
}

function abstractUpgrade(upgrade: Upgrade, now: Tick): unknown {
  const ticksToRejoin = upgrade.step === 'replaced' ? Math.max(0, upgrade.rejoinAtTick - now) : null;
  return memo(upgradeCopies, upgrade, ticksToRejoin, null, null, () => ({ done: upgrade.done, current: upgrade.current, step: upgrade.step, ticksToRejoin }));
}

/** The abstracted world the key is the canonical text of. */
export function longhornAbstractWorld(world: LonghornWorld): unknown {
  const now = world.clock.now;
  const ages = new Map<string, number>();
  const anyFailed = world.replicas.some((replica) => replica.failedAt !== null);
  for (const volume of anyFailed ? world.volumes : []) {
    for (const [name, age] of failedAges(world.replicas.filter((replica) => replica.volumeName === volume.name), volume, now)) ages.set(name, age);
  }
  const orphans = anyFailed ? world.replicas.filter((replica) => replica.failedAt !== null && !world.volumes.some((volume) => volume.name === replica.volumeName)) : [];
  for (const [name, age] of failedAges(orphans, undefined, now)) ages.set(name, age);
  const wait = world.settings['replica-replenishment-wait-interval'];
  return {
    ...world,
    replicas: memoArray(replicaArrays, world.replicas, world.replicas.map((replica) => abstractReplica(replica, ages.get(replica.name), now))),
    volumes: memoArray(volumeArrays, world.volumes, world.volumes.map((volume) => abstractVolume(volume, wait, now))),
    errors: abstractErrors(world.errors),
    upgrade: abstractUpgrade(world.upgrade, now),
    seen: memo(seenCopies, world.seen, null, null, null, () => ({ ...world.seen, lastReplicaLost: world.seen.lastReplicaLost !== null })),
  };
}

// The hash of each object of an abstract world that does not depend on now (all but the clock), by
// identity: worlds and their abstract copies share every object a step did not touch.
const objectHashes = new WeakMap<object, Hash64>();
const clockHashes = new WeakMap<object, { readonly now: Tick; readonly hash: Hash64 }>();

/** Folds `part` into the running hash `into` (order matters: a list's parts in order). */
function fold(into: Hash64, part: Hash64): void {
  into.hi = stepHi(stepHi(into.hi, part.hi), part.lo);
  into.lo = stepLo(stepLo(into.lo, part.lo), part.hi);
}

function finish(into: Hash64, count: number): Hash64 {
  return { hi: avalanche(stepHi(into.hi, count)), lo: avalanche(stepLo(into.lo, count)) };
}

const primitive: Hash64 = { hi: 0, lo: 0 };

/** The canonical hash of one value: kept per object; a primitive's is computed (into a scratch). */
function valueHash(value: unknown): Hash64 {
  if (typeof value !== 'object' || value === null) {
    canonicalHashTree(value, 0, primitive, null, rules);
    return primitive;
  }
  let hash = objectHashes.get(value);
  if (hash === undefined) {
    const out: Hash64 = { hi: 0, lo: 0 };
    canonicalHashTree(value, 0, out, null, rules);
    hash = out;
    objectHashes.set(value, hash);
  }
  return hash;
}

// Seeds that keep a list of parts apart from a single value of the same hash.
const listSeed = 0x6c697374;
const worldSeed = 0x776f726c;

/**
 * The hash of one field of the abstract world. An array's folds its items' hashes in order, Event
 * rows left out as the canonical text leaves them out, so a new array re-hashes only its new items;
 * the clock's (timers relative to now) is kept per clock and now; a record's is its canonical hash,
 * kept per object.
 */
function fieldHash(value: unknown, now: Tick): Hash64 {
  if (typeof value !== 'object' || value === null) return valueHash(value);
  if (Array.isArray(value)) {
    let hash = objectHashes.get(value);
    if (hash === undefined) {
      const into: Hash64 = { hi: listSeed, lo: ~listSeed };
      let count = 0;
      for (const item of value) {
        if (isEventRow(item)) continue;
        fold(into, valueHash(item));
        count++;
      }
      hash = finish(into, count);
      objectHashes.set(value, hash);
    }
    return hash;
  }
  if (!isClock(value as Record<string, unknown>)) return valueHash(value);
  const known = clockHashes.get(value);
  if (known !== undefined && known.now === now) return known.hash;
  const hash: Hash64 = { hi: 0, lo: 0 };
  canonicalHashTree(value, now, hash, null, rules);
  clockHashes.set(value, { now, hash });
  return hash;
}

/**
 * The explorer's key for a Longhorn world (see the header for what is abstracted and why): a 64-bit
 * hash of {@link longhornAbstractWorld}, made of the hashes of its fields in the world's own key
 * order (every world is built by updateWorld, so the order is the same), each an item-by-item or
 * canonical hash ({@link canonicalHash}) kept per object. Equal exactly when the canonical texts of
 * the abstract worlds are equal, up to the chance that two of n states collide (about n²/2⁶⁵: the
 * explorer hashes a text key to 64 bits as well). A step changes a few objects, so a state costs a
 * lookup per field and a hash of what is new, where the text was built and hashed whole.
 */
export function longhornFingerprint(world: LonghornWorld): string {
  const now = world.clock.now;
  const abstract = longhornAbstractWorld(world) as Record<string, unknown>;
  const into: Hash64 = { hi: worldSeed, lo: ~worldSeed };
  let count = 0;
  for (const key in abstract) {
    const value = abstract[key];
    if (value === undefined) continue;
    fold(into, fieldHash(value, now));
    count++;
  }
  return hashHex(finish(into, count));
}

/** The canonical text the key stands for (the tests check that both split worlds alike). */
export function longhornFingerprintText(world: LonghornWorld): string {
  return canonicalFingerprint(longhornAbstractWorld(world), world.clock.now, rules);
}
