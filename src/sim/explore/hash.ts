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
import { Table } from '../cluster/table.ts';
import type { Tick } from '../ticks.ts';
import type { FingerprintRules } from './fingerprint.ts';
import { defaultFingerprintRules, isClock, isEventRow } from './fingerprint.ts';

/** A 64-bit hash as two unsigned 32-bit lanes. */
export interface Hash64 {
  hi: number;
  lo: number;
}

// Type tags keep values of different kinds apart (1, "1", true and [1] hash differently).
// Type tags folded into each value's hash (ASCII of the type's name), shared with models that hash
// their own worlds (the PGO key) so that both write the same hash for the same value.
export const tagNull = 0x6e756c6c;
export const tagTrue = 0x74727565;
export const tagFalse = 0x66616c73;
export const tagInteger = 0x696e7433;
export const tagFloat = 0x666c6f61;
const tagString = 0x73747269;
export const tagArray = 0x61727261;
export const tagRecord = 0x7265636f;
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
export function numberHashInto(value: number, out: Hash64): void {
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

/**
 * The hash of one object (array or record) of a world, kept as a tree beside the world so that a
 * successor, which shares most objects with the world it came from, re-hashes only what changed:
 * an object identical (===) to the one at the same place in the previous tree reuses its hash.
 * This costs one identity comparison per unchanged object, where a WeakMap cache costs a hash
 * lookup per object and an insertion per new one (measured: most of the hashing time).
 */
export interface HashTree {
  readonly value: object;
  readonly hi: number;
  readonly lo: number;
  /** The now this hash was made for; null when it does not depend on now. */
  readonly now: Tick | null;
  /** Shaped like a Kubernetes Event row: left out of arrays (history, not state); hash not computed. */
  readonly eventRow: boolean;
  /** Records: their field names, in `Object.keys` order (children are per field), and the keys' rules; null for arrays and clocks. */
  readonly shape: Shape | null;
  /** The trees of object-valued fields or items (null for primitives and skipped fields). */
  readonly children: readonly (HashTree | null)[];
  /** Records whose hash depends on now: what it takes to hash the same record at another now; else null. */
  readonly moved: NowParts | null;
}

/**
 * The part of a record's hash that does not depend on now (the sum of those fields' terms), and
 * which fields do (relative ticks, and objects whose hash depends on now), by index in its shape.
 * When time moves and nothing else changed, the record is hashed again from these: only its
 * now-dependent fields are read and re-mixed (a time step used to re-read every field of every
 * record that holds a stamp, most of the hashing of such a step).
 */
interface NowParts {
  readonly fixedHi: number;
  readonly fixedLo: number;
  readonly count: number;
  readonly fields: readonly number[];
}

const scratch: Hash64 = { hi: 0, lo: 0 };
/** Strings whose hashes a hasher keeps at most (the cache is emptied when full). */
const stringHashesMax = 65_536;
const noChildren: readonly (HashTree | null)[] = [];
/** A record's field names (`Object.keys` order) and what is known of each: shared by the records of one shape. */
interface Shape {
  readonly keys: readonly string[];
  readonly infos: readonly KeyInfo[];
}

function usable(tree: HashTree | null | undefined, value: object, now: Tick): tree is HashTree {
  return tree !== null && tree !== undefined && tree.value === value && !tree.eventRow && (tree.now === null || tree.now === now);
}

function recordTree(record: object, shape: Shape, sumHi: number, sumLo: number, count: number, now: Tick | null, children: readonly (HashTree | null)[] | null, moved: NowParts | null): HashTree {
  return {
    value: record,
    hi: avalanche(stepHi(stepHi(tagRecord, count), sumHi)),
    lo: avalanche(stepLo(stepLo(~tagRecord, count), sumLo)),
    now,
    eventRow: false,
    shape,
    children: children ?? noChildren,
    moved,
  };
}

function nowParts(fixedHi: number, fixedLo: number, count: number, fields: number[] | null): NowParts | null {
  return fields === null ? null : { fixedHi, fixedLo, count, fields };
}

class StructuralHasher {
  private readonly keys = new Map<string, KeyInfo>();
  private readonly strings = new Map<string, Hash64>();
  // Scratch for one field's or item's hash: written and read with no hashing in between.
  private readonly child: Hash64 = { hi: 0, lo: 0 };
  // Set by fieldInto for a primitive field: whether it was made relative to now.
  private relative = false;

  constructor(private readonly rules: FingerprintRules) {}

  /** The tree of an object, reusing `previous` (the tree of the object at the same place before) where it can. */
  tree(value: object, now: Tick, previous: HashTree | null | undefined): HashTree {
    if (usable(previous, value, now)) return previous;
    if (Array.isArray(value)) return this.ofArray(value, now, previous);
    if (value instanceof Table) return this.ofTable(value, now, previous);
    const record = value as Record<string, unknown>;
    return isClock(record) ? this.ofClock(record, now) : this.ofRecord(record, now, previous);
  }

  /** Hashes a primitive into `out`. */
  primitive(value: unknown, out: Hash64): void {
    if (typeof value === 'number') numberHashInto(value, out);
    else if (typeof value === 'string') this.stringInto(value, out);
    else if (value === true || value === false) {
      out.hi = value ? tagTrue : tagFalse;
      out.lo = value ? ~tagTrue >>> 0 : ~tagFalse >>> 0;
    } else {
      // null, and undefined inside an array (JSON writes null); records skip undefined fields.
      out.hi = tagNull;
      out.lo = ~tagNull >>> 0;
    }
  }

  /**
   * A string's hash, kept: most strings of a world (names, messages, images) recur in every world,
   * and hashing a message code unit by code unit costs more than a lookup. Bounded, as a message
   * may carry a tick.
   */
  private stringInto(text: string, out: Hash64): void {
    let hash = this.strings.get(text);
    if (hash === undefined) {
      if (this.strings.size >= stringHashesMax) this.strings.clear();
      hash = { hi: 0, lo: 0 };
      stringHashInto(text, hash);
      this.strings.set(text, hash);
    }
    out.hi = hash.hi;
    out.lo = hash.lo;
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

  private ofArray(items: readonly unknown[], now: Tick, previous: HashTree | null | undefined): HashTree {
    const before = previous !== null && previous !== undefined && previous.shape === null ? previous.children : noChildren;
    // Allocated at the first object item: an array of primitives (names, keys) keeps none.
    let children: (HashTree | null)[] | null = null;
    let hi = tagArray;
    let lo = ~tagArray;
    let count = 0;
    let dependsOnNow = false;
    const child: Hash64 = { hi: 0, lo: 0 };
    for (let index = 0; index < items.length; index++) {
      const item = items[index];
      if (typeof item === 'object' && item !== null) {
        children ??= new Array<HashTree | null>(items.length).fill(null);
        // The same place, or one over (an item inserted or removed before this one).
        // Bounds checked first: a read past either end of an array takes V8's slow path.
        let prior = index < before.length ? before[index] : undefined;
        if (prior?.value !== item) {
          const next = index + 1 < before.length ? before[index + 1] : undefined;
          const last = index > 0 && index - 1 < before.length ? before[index - 1] : undefined;
          if (next?.value === item) prior = next;
          else if (last?.value === item) prior = last;
        }
        if (prior?.value === item && prior.eventRow) {
          children[index] = prior;
          continue;
        }
        if (!Array.isArray(item) && isEventRow(item)) {
          children[index] = { value: item, hi: 0, lo: 0, now: null, eventRow: true, shape: null, children: noChildren, moved: null };
          continue;
        }
        const tree = this.tree(item, now, prior);
        children[index] = tree;
        child.hi = tree.hi;
        child.lo = tree.lo;
        if (tree.now !== null) dependsOnNow = true;
      } else {
        this.primitive(item, child);
      }
      hi = stepLo(stepHi(hi, child.hi), child.lo);
      lo = stepHi(stepLo(lo, child.lo), child.hi);
      count++;
    }
    return { value: items, hi: avalanche(stepHi(hi, count)), lo: avalanche(stepLo(lo, count)), now: dependsOnNow ? now : null, eventRow: false, shape: null, children: children ?? noChildren, moved: null };
  }

  private shapeOfKeys(keys: readonly string[]): Shape {
    const infos = new Array<KeyInfo>(keys.length);
    for (let index = 0; index < keys.length; index++) infos[index] = this.key(keys[index] as string);
    return { keys, infos };
  }

  /**
   * The hash of one field's value into `this.child`, by the key's rule: undefined when the field
   * is left out, the value's tree when it is an object, else null (`this.relative` then says
   * whether the value was made relative to now). The caller reads `this.child` before hashing anything else.
   */
  private fieldInto(key: KeyInfo, field: unknown, now: Tick, prior: HashTree | null | undefined): HashTree | null | undefined {
    if (field === undefined || key.rule === 'dropped') return undefined;
    this.relative = false;
    if (key.rule === 'relative' && typeof field === 'number') {
      numberHashInto(field - now, this.child);
      this.relative = true;
      return null;
    }
    if (typeof field === 'object' && field !== null) {
      const tree = this.tree(field, now, prior);
      this.child.hi = tree.hi;
      this.child.lo = tree.lo;
      return tree;
    }
    this.primitive(field, this.child);
    return null;
  }

  /**
   * A record's hash is the sum of one term per field: independent of key order, no sorting. The
   * fields are read in one for-in pass while they match the prior's shape (no key list or value
   * list made, and V8 loads each value through the enumeration cache); a record of another shape
   * is read again by its own key list.
   */
  private ofRecord(record: Record<string, unknown>, now: Tick, previous: HashTree | null | undefined): HashTree {
    // The same record at another now (tree() reuses it at the same now).
    if (previous !== null && previous !== undefined && previous.value === record && previous.moved !== null) return this.movedRecord(record, now, previous, previous.moved);
    const priorShape = previous?.shape ?? null;
    // The prior's children are per field (at the same index when the shape is the same); none for an array or clock.
    const before = priorShape !== null ? (previous as HashTree).children : noChildren;
    const child = this.child;
    // Allocated at the first object-valued field: leaf records (the most common new ones) need none.
    let children: (HashTree | null)[] | null = null;
    let sumHi = 0;
    let sumLo = 0;
    let fixedHi = 0;
    let fixedLo = 0;
    let count = 0;
    let nowFields: number[] | null = null;
    if (priorShape !== null) {
      const { keys, infos } = priorShape;
      let index = 0;
      let matched = true;
      for (const name in record) {
        if (index >= keys.length || keys[index] !== name) {
          matched = false;
          break;
        }
        const key = infos[index] as KeyInfo;
        const tree = this.fieldInto(key, record[name], now, index < before.length ? before[index] : null);
        if (tree !== undefined) {
          if (tree !== null) {
            children ??= new Array<HashTree | null>(keys.length).fill(null);
            children[index] = tree;
          }
          const termHi = avalanche(stepHi(stepHi(key.hi, child.hi), child.lo));
          const termLo = avalanche(stepLo(stepLo(key.lo, child.lo), child.hi));
          sumHi = (sumHi + termHi) | 0;
          sumLo = (sumLo + termLo) | 0;
          if (tree !== null ? tree.now !== null : this.relative) (nowFields ??= []).push(index);
          else {
            fixedHi = (fixedHi + termHi) | 0;
            fixedLo = (fixedLo + termLo) | 0;
          }
          count++;
        }
        index++;
      }
      if (matched && index === keys.length) return recordTree(record, priorShape, sumHi, sumLo, count, nowFields === null ? null : now, children, nowParts(fixedHi, fixedLo, count, nowFields));
      children = null;
      sumHi = 0;
      sumLo = 0;
      fixedHi = 0;
      fixedLo = 0;
      count = 0;
      nowFields = null;
    }
    const shape = this.shapeOfKeys(Object.keys(record));
    const { keys, infos } = shape;
    for (let index = 0; index < keys.length; index++) {
      const name = keys[index] as string;
      const key = infos[index] as KeyInfo;
      const prior = before.length > 0 ? before[(priorShape as Shape).keys.indexOf(name)] : null;
      const tree = this.fieldInto(key, record[name], now, prior);
      if (tree === undefined) continue;
      if (tree !== null) {
        children ??= new Array<HashTree | null>(keys.length).fill(null);
        children[index] = tree;
      }
      const termHi = avalanche(stepHi(stepHi(key.hi, child.hi), child.lo));
      const termLo = avalanche(stepLo(stepLo(key.lo, child.lo), child.hi));
      sumHi = (sumHi + termHi) | 0;
      sumLo = (sumLo + termLo) | 0;
      if (tree !== null ? tree.now !== null : this.relative) (nowFields ??= []).push(index);
      else {
        fixedHi = (fixedHi + termHi) | 0;
        fixedLo = (fixedLo + termLo) | 0;
      }
      count++;
    }
    return recordTree(record, shape, sumHi, sumLo, count, nowFields === null ? null : now, children, nowParts(fixedHi, fixedLo, count, nowFields));
  }

  /** `record`, hashed before as `previous` at another now: its fixed terms kept, its now-dependent fields hashed again. */
  private movedRecord(record: Record<string, unknown>, now: Tick, previous: HashTree, parts: NowParts, values: readonly unknown[] | null = null): HashTree {
    const { keys, infos } = previous.shape as Shape;
    const child = this.child;
    let children = previous.children;
    let copied = false;
    let sumHi = parts.fixedHi;
    let sumLo = parts.fixedLo;
    for (const index of parts.fields) {
      const key = infos[index] as KeyInfo;
      const field = values === null ? record[keys[index] as string] : values[index];
      const tree = this.fieldInto(key, field, now, children[index]);
      if (tree !== null && tree !== undefined) {
        if (!copied) {
          children = children.slice();
          copied = true;
        }
        (children as (HashTree | null)[])[index] = tree;
      }
      sumHi = (sumHi + avalanche(stepHi(stepHi(key.hi, child.hi), child.lo))) | 0;
      sumLo = (sumLo + avalanche(stepLo(stepLo(key.lo, child.lo), child.hi))) | 0;
    }
    return recordTree(record, previous.shape as Shape, sumHi, sumLo, parts.count, now, children, parts);
  }

  /**
   * A {@link Table} hashes exactly as the plain record it stands for (its `toJSON`), so replacing a
   * record by a table moves no state hash. Its keys array is shared by every version with the same
   * key set: that array is the shape, and while it is the prior's, each value's prior tree is at
   * the same position: a pod write re-hashes one pod and reuses the rest by identity.
   * A table is never taken for a clock (its keys are `namespace/name`).
   */
  private ofTable(table: Table<unknown>, now: Tick, previous: HashTree | null | undefined): HashTree {
    const values = table.values();
    if (previous !== null && previous !== undefined && previous.value === table && previous.moved !== null) return this.movedRecord(table as never, now, previous, previous.moved, values);
    const keys = table.keys();
    const priorShape = previous?.shape ?? null;
    const sameKeys = priorShape !== null && priorShape.keys === keys;
    const shape = sameKeys ? priorShape : this.shapeOfKeys(keys);
    const before = priorShape !== null ? (previous as HashTree).children : noChildren;
    // Keys changed (a pod created or deleted): find each value's prior tree by the prior table's positions.
    const priorTable = !sameKeys && previous?.value instanceof Table ? previous.value : null;
    const child = this.child;
    let children: (HashTree | null)[] | null = null;
    let sumHi = 0;
    let sumLo = 0;
    let fixedHi = 0;
    let fixedLo = 0;
    let count = 0;
    let nowFields: number[] | null = null;
    for (let index = 0; index < keys.length; index++) {
      const key = shape.infos[index] as KeyInfo;
      const at = sameKeys ? index : priorTable !== null ? priorTable.indexOf(keys[index] as string) : -1;
      const tree = this.fieldInto(key, values[index], now, at >= 0 && at < before.length ? before[at] : null);
      if (tree === undefined) continue;
      if (tree !== null) {
        children ??= new Array<HashTree | null>(keys.length).fill(null);
        children[index] = tree;
      }
      const termHi = avalanche(stepHi(stepHi(key.hi, child.hi), child.lo));
      const termLo = avalanche(stepLo(stepLo(key.lo, child.lo), child.hi));
      sumHi = (sumHi + termHi) | 0;
      sumLo = (sumLo + termLo) | 0;
      if (tree !== null ? tree.now !== null : this.relative) (nowFields ??= []).push(index);
      else {
        fixedHi = (fixedHi + termHi) | 0;
        fixedLo = (fixedLo + termLo) | 0;
      }
      count++;
    }
    return recordTree(table, shape, sumHi, sumLo, count, nowFields === null ? null : now, children, nowParts(fixedHi, fixedLo, count, nowFields));
  }

  // A clock keeps only its timers, in firing order, each due relative to now.
  private ofClock(record: Record<string, unknown>, now: Tick): HashTree {
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
      const payload = timer.payload;
      if (typeof payload === 'object' && payload !== null) {
        const tree = this.tree(payload, now, null);
        child.hi = tree.hi;
        child.lo = tree.lo;
      } else {
        this.primitive(payload, child);
      }
      hi = stepHi(stepHi(hi, child.hi), child.lo);
      lo = stepLo(stepLo(lo, child.lo), child.hi);
    }
    return { value: record, hi: avalanche(stepHi(hi, timers.length)), lo: avalanche(stepLo(lo, timers.length)), now, eventRow: false, shape: null, children: noChildren, moved: null };
  }
}

const hashers = new WeakMap<FingerprintRules, StructuralHasher>();

/** The structural hasher behind {@link canonicalHashTree}, for a caller that hashes a world field by field. */
export interface TreeHasher {
  /** The tree of an object, reusing `previous` (the tree of the object at the same place before) where it can. */
  tree(value: object, now: Tick, previous: HashTree | null | undefined): HashTree;
  /** Hashes a primitive into `out`. */
  primitive(value: unknown, out: Hash64): void;
}

/** The hasher for `rules` (one per rules object): the same hashes as {@link canonicalHashTree}. */
export function treeHasher(rules: FingerprintRules): TreeHasher {
  return hasherOf(rules);
}

function hasherOf(rules: FingerprintRules): StructuralHasher {
  let hasher = hashers.get(rules);
  if (hasher === undefined) {
    hasher = new StructuralHasher(rules);
    hashers.set(rules, hasher);
  }
  return hasher;
}

/**
 * Hashes a world's canonical form at virtual time `now` (same rules as its text) into `out`, and
 * returns its hash tree (null for a primitive world). Pass the tree of a world it was derived from
 * as `previous` to re-hash only what changed.
 */
export function canonicalHashTree(world: unknown, now: Tick, out: Hash64, previous: HashTree | null, rules: FingerprintRules = defaultFingerprintRules): HashTree | null {
  const hasher = hasherOf(rules);
  if (typeof world !== 'object' || world === null) {
    hasher.primitive(world, out);
    return null;
  }
  const tree = hasher.tree(world, now, previous);
  out.hi = tree.hi;
  out.lo = tree.lo;
  return tree;
}

/** 16 hex digits of a 64-bit hash. */
export function hashHex(hash: Hash64): string {
  return (hash.hi >>> 0).toString(16).padStart(8, '0') + (hash.lo >>> 0).toString(16).padStart(8, '0');
}

// The tree of the last world hashed by canonicalHash, per rules: consecutive calls (the successors
// of one state, in a search) share most of their objects, so it serves as the previous tree.
const lastTrees = new WeakMap<FingerprintRules, HashTree | null>();

/**
 * The canonical key of a world as 16 hex digits: equal exactly when {@link canonicalFingerprint}'s
 * texts are equal (up to the 64-bit collision chance above), at a fraction of the cost. A model's
 * own `fingerprint` can return this instead of the text.
 */
export function canonicalHash(world: unknown, now: Tick, rules: FingerprintRules = defaultFingerprintRules): string {
  const out: Hash64 = { hi: 0, lo: 0 };
  lastTrees.set(rules, canonicalHashTree(world, now, out, lastTrees.get(rules) ?? null, rules));
  return hashHex(out);
}
