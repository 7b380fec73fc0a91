/**
 * Canonical state keys for the explorer: the same world reached by different paths must give the
 * same key, and absolute time must not appear in it, or every tick would be a new state and no
 * cycle (livelock) could ever close.
 *
 * The default is the world's JSON with sorted keys, where
 * - a {@link Clock} (`{ now, sequence, timers }`) keeps only its timers, each due *relative to now*
 *   and in firing order (so a requeue timer re-armed after a full loop is the same state again);
 * - a number under a key ending in `DueTick` (a deadline the model keeps itself) is made relative
 *   to now;
 * - history is dropped: the Kubernetes Events log (rows shaped like a {@link KubeEvent}; no
 *   controller reads Events, and a log that only differs in what was said would keep a looping
 *   world from ever closing its cycle), other tick stamps (keys ending in `Tick`:
 *   `lastTransitionTick`, `startedTick`), repeat counters (`count`, e.g. of controller errors) and
 *   write counters (`resourceVersion`).
 * A model whose transitions read any of those must supply its own `fingerprint`.
 */
import type { KubeEvent } from '../events.ts';
import type { Tick } from '../ticks.ts';

export interface FingerprintRules {
  /** Keys whose numbers are absolute deadlines: made relative to now. */
  readonly relative: RegExp;
  /** Keys that are history, not state: left out. Checked after `relative`. */
  readonly dropped: RegExp;
}

export const defaultFingerprintRules: FingerprintRules = {
  relative: /DueTick$/,
  dropped: /Tick$|^count$|^resourceVersion$/,
};

function isClock(value: Record<string, unknown>): boolean {
  return typeof value['now'] === 'number' && typeof value['sequence'] === 'number' && Array.isArray(value['timers']);
}

function isEventRow(value: Record<string, unknown>): boolean {
  const fields: readonly (keyof KubeEvent)[] = ['involvedObject', 'reason', 'message', 'source', 'type'];
  return fields.every((field) => typeof value[field] === 'string');
}

function canonical(value: unknown, now: Tick, rules: FingerprintRules): unknown {
  if (Array.isArray(value)) {
    const kept = value.filter((item) => typeof item !== 'object' || item === null || Array.isArray(item) || !isEventRow(item as Record<string, unknown>));
    return kept.map((item) => canonical(item, now, rules));
  }
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  if (isClock(record)) {
    const timers = record['timers'] as readonly { id: string; dueTick: Tick; payload: unknown }[];
    return { timers: timers.map((timer) => [timer.id, timer.dueTick - now, canonical(timer.payload, now, rules)]) };
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    if (rules.relative.test(key) && typeof field === 'number') out[key] = field - now;
    else if (!rules.dropped.test(key)) out[key] = canonical(field, now, rules);
  }
  return out;
}

/** The default canonical key of a world at virtual time `now`. */
export function canonicalFingerprint(world: unknown, now: Tick, rules: FingerprintRules = defaultFingerprintRules): string {
  return JSON.stringify(canonical(world, now, rules));
}

/**
 * A 64-bit hash of a key, as 16 hex digits (two independent 32-bit FNV-1a-style mixes). The
 * explorer stores hashes, not keys: with n states the chance of any collision is about n²/2⁶⁵.
 */
export function hashKey(text: string): string {
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
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}
