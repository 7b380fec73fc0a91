/**
 * Canonical state keys for the explorer: the same world reached by different paths must give the
 * same key, and absolute time must not appear in it, or every tick would be a new state and no
 * cycle (livelock) could ever close.
 *
 * The default is the world's JSON with sorted keys, where
 * - a {@link Clock} (`{ now, sequence, timers }`) keeps only its timers, each due *relative to now*
 *   and in firing order (so a requeue timer re-armed after a full loop is the same state again);
 * - a number under a key ending in `Tick` (a deadline like `startDueTick`, or a stamp like
 *   `creationTick`, `lastTransitionTick`) is made relative to now, so a rule such as "failed after
 *   10 s" still sees the same age; a field named `now` (absolute time) is left out;
 * - history no transition reads is left out: the Kubernetes Events log (rows shaped like a
 *   {@link KubeEvent}; a log that only differs in what was said would keep a looping world from
 *   ever closing its cycle) and repeat counters (`count`, e.g. of controller errors).
 * Write counters (`resourceVersion`, `generation`) stay: controllers compare them to what they last
 * saw. A model whose loops bump such counters (or whose transitions read Events or counts) should
 * supply its own `fingerprint`, or the explorer will report its limit instead of closing the loop.
 *
 * The search itself never builds this text for the default key: it hashes the same canonical form
 * from the world's structure (hash.ts), which gives equal hashes exactly for equal texts. The text
 * is what a model's own fingerprint may build on; {@link canonicalHash} (hash.ts) is the same key
 * as 16 hex digits at a fraction of the cost, and is the better return value for a fingerprint.
 */
import { Table } from '../cluster/table.ts';
import type { KubeEvent } from '../events.ts';
import type { Tick } from '../ticks.ts';
import type { Hash64 } from './hash.ts';

export interface FingerprintRules {
  /** Keys whose numbers are absolute ticks (deadlines, stamps): made relative to now. */
  readonly relative: RegExp;
  /** Keys that are history, not state: left out. Checked after `relative`. */
  readonly dropped: RegExp;
}

export const defaultFingerprintRules: FingerprintRules = {
  relative: /Tick$/,
  dropped: /^now$|^count$/,
};

export function isClock(value: Record<string, unknown>): boolean {
  return typeof value['now'] === 'number' && typeof value['sequence'] === 'number' && Array.isArray(value['timers']);
}

export function isEventRow(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // The string fields of a KubeEvent; a plain condition (no closure) because hashing calls this per new array item.
  const record = value as Record<keyof KubeEvent, unknown>;
  return typeof record.involvedObject === 'string' && typeof record.reason === 'string' && typeof record.message === 'string' && typeof record.source === 'string' && typeof record.type === 'string';
}

type KeyRule = 'relative' | 'dropped' | 'kept';

/** The canonical text of a subtree, and the `now` it was made for (null: it does not depend on now). */
interface Canonical {
  readonly text: string;
  readonly now: Tick | null;
}

/**
 * Worlds share structure, so most subtrees of a successor are the very objects of its parent:
 * their canonical text is cached by identity (per rules), and only the changed spine is redone.
 */
class Canonicalizer {
  private readonly cache = new WeakMap<object, Canonical>();
  private readonly keyRules = new Map<string, KeyRule>();

  constructor(private readonly rules: FingerprintRules) {}

  text(value: unknown, now: Tick): string {
    return this.of(value, now).text;
  }

  private rule(key: string): KeyRule {
    let rule = this.keyRules.get(key);
    if (rule === undefined) {
      rule = this.rules.relative.test(key) ? 'relative' : this.rules.dropped.test(key) ? 'dropped' : 'kept';
      this.keyRules.set(key, rule);
    }
    return rule;
  }

  private of(value: unknown, now: Tick): Canonical {
    if (typeof value !== 'object' || value === null) return { text: value === undefined ? 'null' : JSON.stringify(value), now: null };
    const cached = this.cache.get(value);
    if (cached !== undefined && (cached.now === null || cached.now === now)) return cached;
    // A table's text is that of the record it stands for (cached by the table itself).
    const made = Array.isArray(value) ? this.ofArray(value, now) : this.ofRecord(value instanceof Table ? value.toJSON() : (value as Record<string, unknown>), now);
    this.cache.set(value, made);
    return made;
  }

  private ofArray(value: readonly unknown[], now: Tick): Canonical {
    const parts: string[] = [];
    let dependsOnNow = false;
    for (const item of value) {
      if (isEventRow(item)) continue;
      const part = this.of(item, now);
      if (part.now !== null) dependsOnNow = true;
      parts.push(part.text);
    }
    return { text: `[${parts.join(',')}]`, now: dependsOnNow ? now : null };
  }

  private ofRecord(record: Record<string, unknown>, now: Tick): Canonical {
    if (isClock(record)) {
      const timers = record['timers'] as readonly { id: string; dueTick: Tick; payload: unknown }[];
      const parts = timers.map((timer) => `[${JSON.stringify(timer.id)},${timer.dueTick - now},${this.of(timer.payload, now).text}]`);
      return { text: `{"timers":[${parts.join(',')}]}`, now };
    }
    const parts: string[] = [];
    let dependsOnNow = false;
    for (const key of Object.keys(record).sort()) {
      const field = record[key];
      if (field === undefined) continue;
      const rule = this.rule(key);
      if (rule === 'dropped') continue;
      if (rule === 'relative' && typeof field === 'number') {
        parts.push(`${JSON.stringify(key)}:${field - now}`);
        dependsOnNow = true;
        continue;
      }
      const part = this.of(field, now);
      if (part.now !== null) dependsOnNow = true;
      parts.push(`${JSON.stringify(key)}:${part.text}`);
    }
    return { text: `{${parts.join(',')}}`, now: dependsOnNow ? now : null };
  }
}

const canonicalizers = new WeakMap<FingerprintRules, Canonicalizer>();

/** The default canonical key of a world at virtual time `now`. */
export function canonicalFingerprint(world: unknown, now: Tick, rules: FingerprintRules = defaultFingerprintRules): string {
  let canonicalizer = canonicalizers.get(rules);
  if (canonicalizer === undefined) {
    canonicalizer = new Canonicalizer(rules);
    canonicalizers.set(rules, canonicalizer);
  }
  return canonicalizer.text(world, now);
}

/**
 * A 64-bit hash of a key, as two lanes (two independent 32-bit FNV-1a-style mixes). The explorer
 * stores hashes, not keys: with n states the chance of any collision is about n²/2⁶⁵.
 */
export function textHashInto(text: string, out: Hash64): void {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 0x01000193);
    h2 = Math.imul(h2 ^ code, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0x27d4eb2f);
  h2 ^= h2 >>> 15;
  out.hi = h1 >>> 0;
  out.lo = h2 >>> 0;
}

/** {@link textHashInto} as 16 hex digits. */
export function hashKey(text: string): string {
  const out: Hash64 = { hi: 0, lo: 0 };
  textHashInto(text, out);
  return out.hi.toString(16).padStart(8, '0') + out.lo.toString(16).padStart(8, '0');
}
