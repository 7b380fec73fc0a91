/**
 * 64-bit state hashes for the explorer, computed from the world's structure instead of from its
 * canonical text. The rules are those of {@link canonicalFingerprint} (fingerprint.ts): timers and
 * `…Tick` fields relative to now, `now` and repeat counts and Event rows left out, record keys in
 * any order. Two worlds with the same canonical text get the same hash; two with different texts
 * get different hashes unless the hash collides (see below).
 *
 * Why: building the text (string concatenation, JSON.stringify of every leaf) and then hashing a
 * string of several kilobytes per state was most of the explorer's own time. Here each subtree's
 * hash is cached by object identity (worlds share structure, so a successor re-hashes only the
 * spine that changed), and a record's hash is a sum of per-field terms, so no key sorting is
 * needed: the sum does not depend on the order of the keys, and each term mixes the key's hash
 * with the value's, so swapping values between keys changes the sum.
 *
 * Collisions: a hash is two 32-bit lanes, each a murmur3-style mix with its own constants and
 * seeds, finished with murmur3's avalanche. Treating the pair as a random 64-bit value, the chance
 * that any two of n distinct states collide is about n²/2⁶⁵: 3·10⁻⁸ at a million states, 3·10⁻⁶
 * at ten million. A collision would merge two states (the explorer stores hashes, not worlds), so
 * it could hide a state, never invent a path: every reported path is replayed from the initial
 * world by its labels and its end is re-checked on the real world (path.ts). The hash is not
 * keyed and is not meant to resist inputs crafted to collide.
 */
import type { Tick } from '../ticks.ts';
import type { FingerprintRules } from './fingerprint.ts';
import { defaultFingerprintRules, isClock, isEventRow } from './fingerprint.ts';

/** A 64-bit hash as two unsigned 32-bit lanes. */
export interface Hash64 {
  hi: number;
  lo: number;
}

// Type tags keep values of different kinds apart (1, "1", true and [1] hash differently).
const tagNull = 0x6e756c6c;
const tagTrue = 0x74727565;
const tagFalse = 0x66616c73;
const tagInteger = 0x696e7433;
const tagFloat = 0x666c6f61;
const tagString = 0x73747269;
const tagArray = 0x61727261;
const tagRecord = 0x7265636f;
const tagClock = 0x636c6f63;

export function stepHi(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  hash ^= k;
  hash = (hash << 13) | (hash >>> 19);
  return (Math.imul(hash, 5) + 0xe6546b64) | 0;
}

export function stepLo(hash: number, word: number): number {
  let k = Math.imul(word, 0x85ebca77);
  k = (k << 17) | (k >>> 15);
  k = Math.imul(k, 0xc2b2ae3d);
  hash ^= k;
  hash = (hash << 11) | (hash >>> 21);
  return (Math.imul(hash, 9) + 0x27d4eb2f) | 0;
}

export function avalanche(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** Hashes a string's UTF-16 code units, two per word. */
export function stringHashInto(text: string, out: Hash64): void {
  let hi = stepHi(tagString, text.length);
  let lo = stepLo(tagString ^ 0x9e3779b9, text.length);
  const pairs = text.length & ~1;
  for (let index = 0; index < pairs; index += 2) {
    const word = text.charCodeAt(index) | (text.charCodeAt(index + 1) << 16);
    hi = stepHi(hi, word);
    lo = stepLo(lo, word);
  }
  if (pairs !== text.length) {
    hi = stepHi(hi, text.charCodeAt(pairs));
    lo = stepLo(lo, text.charCodeAt(pairs));
  }
  out.hi = avalanche(hi);
  out.lo = avalanche(lo);
}

const floatView = new Float64Array(1);
const floatWords = new Uint32Array(floatView.buffer);

// JSON writes -0 as 0 and non-finite numbers as null: so does the hash.
function numberHashInto(value: number, out: Hash64): void {
  if ((value | 0) === value) {
    out.hi = avalanche(stepHi(tagInteger, value));
    out.lo = avalanche(stepLo(tagInteger, value));
  } else if (Number.isFinite(value)) {
    floatView[0] = value;
    out.hi = avalanche(stepHi(stepHi(tagFloat, floatWords[0] as number), floatWords[1] as number));
    out.lo = avalanche(stepLo(stepLo(tagFloat, floatWords[0] as number), floatWords[1] as number));
  } else {
    out.hi = tagNull;
    out.lo = ~tagNull >>> 0;
  }
}

type KeyRule = 'relative' | 'dropped' | 'kept';

interface KeyInfo {
  readonly rule: KeyRule;
  readonly hi: number;
  readonly lo: number;
}

/** The cached hash of one object (array or record), valid for `now` (null: for any now). */
interface Entry {
  readonly hi: number;
  readonly lo: number;
  readonly now: Tick | null;
  /** Shaped like a Kubernetes Event row: left out of arrays (history, not state). */
  readonly eventRow: boolean;
}

const scratch: Hash64 = { hi: 0, lo: 0 };

class StructuralHasher {
  private readonly cache = new WeakMap<object, Entry>();
  private readonly keys = new Map<string, KeyInfo>();

  constructor(private readonly rules: FingerprintRules) {}

  /** Hashes `value` into `out`; returns whether the hash depends on now. */
  hashInto(value: unknown, now: Tick, out: Hash64): boolean {
    if (typeof value === 'object' && value !== null) {
      const entry = this.entryOf(value, now);
      out.hi = entry.hi;
      out.lo = entry.lo;
      return entry.now !== null;
    }
    if (typeof value === 'number') numberHashInto(value, out);
    else if (typeof value === 'string') stringHashInto(value, out);
    else if (value === true || value === false) {
      out.hi = value ? tagTrue : tagFalse;
      out.lo = value ? ~tagTrue >>> 0 : ~tagFalse >>> 0;
    } else {
      // null, and undefined inside an array (JSON writes null); records skip undefined fields.
      out.hi = tagNull;
      out.lo = ~tagNull >>> 0;
    }
    return false;
  }

  private key(key: string): KeyInfo {
    let info = this.keys.get(key);
    if (info === undefined) {
      const rule: KeyRule = this.rules.relative.test(key) ? 'relative' : this.rules.dropped.test(key) ? 'dropped' : 'kept';
      stringHashInto(key, scratch);
      info = { rule, hi: scratch.hi, lo: scratch.lo };
      this.keys.set(key, info);
    }
    return info;
  }

  private entryOf(value: object, now: Tick): Entry {
    const cached = this.cache.get(value);
    if (cached !== undefined && (cached.now === null || cached.now === now)) return cached;
    const made = Array.isArray(value) ? this.ofArray(value, now) : this.ofRecord(value as Record<string, unknown>, now);
    this.cache.set(value, made);
    return made;
  }

  private ofArray(items: readonly unknown[], now: Tick): Entry {
    let hi = tagArray;
    let lo = ~tagArray;
    let count = 0;
    let dependsOnNow = false;
    const child: Hash64 = { hi: 0, lo: 0 };
    for (const item of items) {
      if (typeof item === 'object' && item !== null) {
        const entry = this.entryOf(item, now);
        if (entry.eventRow) continue;
        child.hi = entry.hi;
        child.lo = entry.lo;
        if (entry.now !== null) dependsOnNow = true;
      } else {
        this.hashInto(item, now, child);
      }
      hi = stepLo(stepHi(hi, child.hi), child.lo);
      lo = stepHi(stepLo(lo, child.lo), child.hi);
      count++;
    }
    return { hi: avalanche(stepHi(hi, count)), lo: avalanche(stepLo(lo, count)), now: dependsOnNow ? now : null, eventRow: false };
  }

  private ofRecord(record: Record<string, unknown>, now: Tick): Entry {
    if (isClock(record)) return this.ofClock(record, now);
    // A record's hash is the sum of one term per field: independent of key order, no sorting.
    let sumHi = 0;
    let sumLo = 0;
    let count = 0;
    let dependsOnNow = false;
    const child: Hash64 = { hi: 0, lo: 0 };
    for (const name of Object.keys(record)) {
      const field = record[name];
      if (field === undefined) continue;
      const key = this.key(name);
      if (key.rule === 'dropped') continue;
      if (key.rule === 'relative' && typeof field === 'number') {
        numberHashInto(field - now, child);
        dependsOnNow = true;
      } else if (this.hashInto(field, now, child)) {
        dependsOnNow = true;
      }
      sumHi = (sumHi + avalanche(stepHi(stepHi(key.hi, child.hi), child.lo))) | 0;
      sumLo = (sumLo + avalanche(stepLo(stepLo(key.lo, child.lo), child.hi))) | 0;
      count++;
    }
    return {
      hi: avalanche(stepHi(stepHi(tagRecord, count), sumHi)),
      lo: avalanche(stepLo(stepLo(~tagRecord, count), sumLo)),
      now: dependsOnNow ? now : null,
      eventRow: isEventRow(record),
    };
  }

  // A clock keeps only its timers, in firing order, each due relative to now.
  private ofClock(record: Record<string, unknown>, now: Tick): Entry {
    const timers = record['timers'] as readonly { id: string; dueTick: Tick; payload: unknown }[];
    let hi = tagClock;
    let lo = ~tagClock;
    const child: Hash64 = { hi: 0, lo: 0 };
    for (const timer of timers) {
      stringHashInto(timer.id, child);
      hi = stepHi(stepHi(hi, child.hi), child.lo);
      lo = stepLo(stepLo(lo, child.lo), child.hi);
      numberHashInto(timer.dueTick - now, child);
      hi = stepHi(stepHi(hi, child.hi), child.lo);
      lo = stepLo(stepLo(lo, child.lo), child.hi);
      this.hashInto(timer.payload, now, child);
      hi = stepHi(stepHi(hi, child.hi), child.lo);
      lo = stepLo(stepLo(lo, child.lo), child.hi);
    }
    return { hi: avalanche(stepHi(hi, timers.length)), lo: avalanche(stepLo(lo, timers.length)), now, eventRow: false };
  }
}

const hashers = new WeakMap<FingerprintRules, StructuralHasher>();

/** The 64-bit hash of a world's canonical form at virtual time `now` (same rules as its text), into `out`. */
export function canonicalHashInto(world: unknown, now: Tick, out: Hash64, rules: FingerprintRules = defaultFingerprintRules): void {
  let hasher = hashers.get(rules);
  if (hasher === undefined) {
    hasher = new StructuralHasher(rules);
    hashers.set(rules, hasher);
  }
  hasher.hashInto(world, now, out);
}

/** 16 hex digits of a 64-bit hash. */
export function hashHex(hash: Hash64): string {
  return (hash.hi >>> 0).toString(16).padStart(8, '0') + (hash.lo >>> 0).toString(16).padStart(8, '0');
}

/**
 * The canonical key of a world as 16 hex digits: equal exactly when {@link canonicalFingerprint}'s
 * texts are equal (up to the 64-bit collision chance above), at a fraction of the cost. A model's
 * own `fingerprint` can return this instead of the text.
 */
export function canonicalHash(world: unknown, now: Tick, rules: FingerprintRules = defaultFingerprintRules): string {
  const out: Hash64 = { hi: 0, lo: 0 };
  canonicalHashInto(world, now, out, rules);
  return hashHex(out);
}
