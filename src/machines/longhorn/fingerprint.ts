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
import { avalanche, hashHex, stepHi, stepLo, stringHashInto, treeHasher, type Hash64, type HashTree } from '../../sim/explore/hash.ts';
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

/** The abstracted parts of a world (the other fields are the world's own). */
interface AbstractParts {
  readonly volumes: readonly AbstractVolume[];
  readonly replicas: readonly AbstractReplica[];
  readonly upgrade: AbstractUpgrade;
  readonly errors: unknown;
  readonly seen: unknown;
}

/** The abstract world's fields in the world's own order (every world is built in it, see updateWorld). */
const worldKeys = [
  'profile',
  'settings',
  'clock',
  'nodes',
  'lhNodes',
  'processes',
  'volumes',
  'engines',
  'replicas',
  'workloads',
  'pods',
  'upgrade',
  'dirty',
  'events',
  'errors',
  'diskCounter',
  'rebuildTicks',
  'imStartTicks',
  'provisionTicks',
  'seen',
] as const satisfies readonly (keyof LonghornWorld)[];

/** Writes the abstract world's field values into `into`, in {@link worldKeys} order. */
function abstractValuesInto(world: LonghornWorld, parts: AbstractParts, into: unknown[]): void {
  into[0] = world.profile;
  into[1] = world.settings;
  into[2] = world.clock;
  into[3] = world.nodes;
  into[4] = world.lhNodes;
  into[5] = world.processes;
  into[6] = parts.volumes;
  into[7] = world.engines;
  into[8] = parts.replicas;
  into[9] = world.workloads;
  into[10] = world.pods;
  into[11] = parts.upgrade;
  into[12] = world.dirty;
  into[13] = world.events;
  into[14] = parts.errors;
  into[15] = world.diskCounter;
  into[16] = world.rebuildTicks;
  into[17] = world.imStartTicks;
  into[18] = world.provisionTicks;
  into[19] = parts.seen;
}

/**
 * What {@link longhornHashInto} keeps of a world for hashing the worlds derived from it: the
 * world, its abstract parts and each abstract field's value, hash and hash tree. A successor shares
 * most objects with the world it came from; where an object is the same (===) and its abstracted
 * values are too, the abstract copy is the same object as well, so its field hash is reused after
 * one identity comparison, and a changed field re-hashes only its changed objects (the hash tree,
 * hash.ts), instead of a WeakMap lookup per object.
 */
export interface LonghornHashMemo {
  readonly world: LonghornWorld;
  readonly parts: AbstractParts;
  readonly now: Tick;
  /** The hash tree of each abstract field's value (null for a primitive), in {@link worldKeys} order. */
  readonly trees: readonly (HashTree | null)[];
}

/** The index of `item` in `before` at `index` or one over (an item inserted or removed before it), else -1. */
function priorIndex<T>(before: readonly T[], index: number, item: T): number {
  // Bounds checked first: a read past the end of an array takes V8's slow path.
  if (index < before.length && before[index] === item) return index;
  if (index + 1 < before.length && before[index + 1] === item) return index + 1;
  if (index > 0 && index - 1 < before.length && before[index - 1] === item) return index - 1;
  return -1;
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

/**
 * The abstract copies of the replicas: a copy of the same replica (at its place or one over in the
 * world a step came from) with the same abstracted values is the prior copy itself, and when every
 * copy is the prior one at its place, the result is the prior array itself.
 */
function abstractReplicas(world: LonghornWorld, now: Tick, previous: LonghornHashMemo | null): readonly AbstractReplica[] {
  const items = world.replicas;
  const before = previous?.world.replicas;
  // Ages read the volumes too (their stale timeout, whether the volume exists), but only when a replica failed.
  if (before === items && previous !== null && previous.now === now && (previous.world.volumes === world.volumes || !items.some((replica) => replica.failedAt !== null))) return previous.parts.replicas;
  const ages = replicaAges(world, now);
  const copies = new Array<AbstractReplica>(items.length);
  let reused = before !== undefined && before.length === items.length;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as Replica;
    const at = before === undefined ? -1 : priorIndex(before, index, item);
    const prior = at >= 0 ? (previous as LonghornHashMemo).parts.replicas[at] : undefined;
    const copy = abstractReplica(item, ages?.get(item.name), now, prior);
    copies[index] = copy;
    if (copy !== prior || at !== index) reused = false;
  }
  return reused ? (previous as LonghornHashMemo).parts.replicas : copies;
}

/** The abstract copies of the volumes, reused as {@link abstractReplicas} does. */
function abstractVolumes(world: LonghornWorld, now: Tick, previous: LonghornHashMemo | null): readonly AbstractVolume[] {
  const items = world.volumes;
  const before = previous?.world.volumes;
  const wait = world.settings['replica-replenishment-wait-interval'];
  if (before === items && previous !== null && previous.now === now && previous.world.settings === world.settings) return previous.parts.volumes;
  const copies = new Array<AbstractVolume>(items.length);
  let reused = before !== undefined && before.length === items.length && previous?.world.settings === world.settings;
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as Volume;
    const at = before === undefined || previous?.world.settings !== world.settings ? -1 : priorIndex(before, index, item);
    const prior = at >= 0 ? (previous as LonghornHashMemo).parts.volumes[at] : undefined;
    const copy = abstractVolume(item, wait, now, prior);
    copies[index] = copy;
    if (copy !== prior || at !== index) reused = false;
  }
  return reused ? (previous as LonghornHashMemo).parts.volumes : copies;
}

function abstractErrors(errors: readonly ControllerError[]): unknown {
  return errors.map((error) => ({ controller: error.controller, key: error.key, message: error.message, count: Math.min(error.count, errorCountSaturated) }));
}

function abstractUpgrade(upgrade: Upgrade, now: Tick, previous: LonghornHashMemo | null): AbstractUpgrade {
  const ticksToRejoin = upgrade.step === 'replaced' ? Math.max(0, upgrade.rejoinAtTick - now) : null;
  if (previous !== null && previous.world.upgrade === upgrade && previous.parts.upgrade.ticksToRejoin === ticksToRejoin) return previous.parts.upgrade;
  return { done: upgrade.done, current: upgrade.current, step: upgrade.step, ticksToRejoin } as AbstractUpgrade;
}

/** Each failed replica's abstract age (see the header), by name; null when none failed. */
function replicaAges(world: LonghornWorld, now: Tick): Map<string, number> | null {
  if (!world.replicas.some((replica) => replica.failedAt !== null)) return null;
  const ages = new Map<string, number>();
  for (const volume of world.volumes) {
    for (const [name, age] of failedAges(world.replicas.filter((replica) => replica.volumeName === volume.name), volume, now)) ages.set(name, age);
  }
  const orphans = world.replicas.filter((replica) => replica.failedAt !== null && !world.volumes.some((volume) => volume.name === replica.volumeName));
  for (const [name, age] of failedAges(orphans, undefined, now)) ages.set(name, age);
  return ages;
}

/** The abstracted parts of `world`, reusing those of `previous` (a world it was derived from) where nothing they read changed. */
function abstractParts(world: LonghornWorld, previous: LonghornHashMemo | null): AbstractParts {
  const now = world.clock.now;
  return {
    volumes: abstractVolumes(world, now, previous),
    replicas: abstractReplicas(world, now, previous),
    upgrade: abstractUpgrade(world.upgrade, now, previous),
    errors: previous !== null && previous.world.errors === world.errors ? previous.parts.errors : abstractErrors(world.errors),
    seen: previous !== null && previous.world.seen === world.seen ? previous.parts.seen : { ...world.seen, lastReplicaLost: world.seen.lastReplicaLost !== null },
  };
}

/** The abstracted world the key is the canonical text of. */
export function longhornAbstractWorld(world: LonghornWorld): unknown {
  const values = new Array<unknown>(worldKeys.length);
  abstractValuesInto(world, abstractParts(world, null), values);
  const abstract: Record<string, unknown> = {};
  worldKeys.forEach((key, index) => (abstract[key] = values[index]));
  return abstract;
}

/** The hash of each field name, mixed with its value's (the fields are always in {@link worldKeys} order). */
const keyHashes: readonly Hash64[] = worldKeys.map((key) => {
  const hash: Hash64 = { hi: 0, lo: 0 };
  stringHashInto(key, hash);
  return hash;
});
const worldSeed = 0x776f726c;
const scratch: Hash64 = { hi: 0, lo: 0 };
const hasher = treeHasher(rules);
/** The field values of the world being hashed (scratch: filled and read by one call). */
const values = new Array<unknown>(worldKeys.length).fill(null);

/**
 * Hashes the canonical form of {@link longhornAbstractWorld} into `out` and returns the memo to
 * pass as `previous` for the worlds derived from this one. Each field's value is hashed
 * structurally (hash.ts: equal exactly when the canonical texts are equal, up to the chance that
 * two of n states collide, about n²/2⁶⁵), and the field hashes are folded in their fixed order.
 * With a memo, a field whose abstract value is the prior one (and, if its hash depends on now,
 * at the same now) keeps its hash tree, and a changed one re-hashes only its changed objects; the
 * result is the same as without one (tested).
 */
export function longhornHashInto(world: LonghornWorld, out: Hash64, previous: LonghornHashMemo | null): LonghornHashMemo {
  const now = world.clock.now;
  const parts = abstractParts(world, previous);
  abstractValuesInto(world, parts, values);
  const trees = new Array<HashTree | null>(values.length);
  let hi = worldSeed;
  let lo = ~worldSeed;
  for (let index = 0; index < values.length; index++) {
    const value = values[index];
    let fieldHi: number;
    let fieldLo: number;
    if (typeof value === 'object' && value !== null) {
      const prior = previous === null ? null : (previous.trees[index] as HashTree | null);
      // The prior field's tree when its value is the same object and its hash does not depend on a changed now.
      const tree = prior !== null && prior.value === value && (prior.now === null || prior.now === now) ? prior : hasher.tree(value, now, prior);
      trees[index] = tree;
      fieldHi = tree.hi;
      fieldLo = tree.lo;
    } else {
      trees[index] = null;
      hasher.primitive(value, scratch);
      fieldHi = scratch.hi;
      fieldLo = scratch.lo;
    }
    const key = keyHashes[index] as Hash64;
    hi = stepHi(stepHi(stepHi(hi, key.hi), fieldHi), fieldLo);
    lo = stepLo(stepLo(stepLo(lo, key.lo), fieldLo), fieldHi);
  }
  out.hi = avalanche(stepHi(hi, values.length));
  out.lo = avalanche(stepLo(lo, values.length));
  return { world, parts, now, trees };
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
