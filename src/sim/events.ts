/**
 * The Kubernetes Events log of a world. Events are deduplicated as upstream's EventCorrelator
 * does for identical events: the same involved object, type, reason and message bump `count` and
 * `lastTick` instead of adding a row (k8s.io/client-go/tools/record/events_cache.go).
 */
import { assert } from './assert.ts';
import type { Tick } from './ticks.ts';

export type KubeEventType = 'Normal' | 'Warning';

/** One row of the Events log, as `kubectl get events` shows it. */
export interface KubeEvent {
  readonly type: KubeEventType;
  readonly reason: string;
  readonly message: string;
  /** `Kind/name`, e.g. `Pod/pg-postgresql-0`. */
  readonly involvedObject: string;
  /** The component that reported it (`default-scheduler`, `instanceset-controller`, …). */
  readonly source: string;
  readonly count: number;
  readonly firstTick: Tick;
  readonly lastTick: Tick;
}

/** Rows kept in the log; the oldest row is dropped past it, as the API server's TTL would. */
export const eventsLogLengthMax = 256;

/** An event to record; `count`, `firstTick` and `lastTick` are filled in by {@link eventsRecord}. */
export type KubeEventInput = Omit<KubeEvent, 'count' | 'firstTick' | 'lastTick'>;

/** Records an event at `now`, deduplicating an identical existing row. Pure. */
export function eventsRecord(log: readonly KubeEvent[], input: KubeEventInput, now: Tick): readonly KubeEvent[] {
  assert(input.reason.length > 0, 'an event needs a reason');
  // The message is built only when the check fails (this runs for every event of every run).
  if (!input.involvedObject.includes('/')) assert(false, `involvedObject ${input.involvedObject} must be Kind/name`);
  const index = identicalRow(log, input);
  if (index >= 0) {
    const row = log[index] as KubeEvent;
    // The row moves to the end with its count bumped: one copy, the rows after it shifted down.
    const next = new Array<KubeEvent>(log.length);
    for (let at = 0; at < index; at++) next[at] = log[at] as KubeEvent;
    for (let at = index + 1; at < log.length; at++) next[at - 1] = log[at] as KubeEvent;
    next[log.length - 1] = bumpedRow(row, now);
    return next;
  }
  const fresh = freshRow(input, now);
  // Past the limit the oldest rows are dropped: copy only the rows that stay.
  const kept = Math.min(log.length, eventsLogLengthMax - 1);
  const next = new Array<KubeEvent>(kept + 1);
  for (let at = 0; at < kept; at++) next[at] = log[log.length - kept + at] as KubeEvent;
  next[kept] = fresh;
  return next;
}

// Row objects are built by spreading inputs of many shapes, which V8 then copies on its slow path
// (a tenth of a KubeBlocks step went there). When the object's own keys are exactly the canonical
// ones in the canonical order, an object literal with those keys in that order is the same JSON
// and the same key order; anything else still takes the spread.
const inputKeys = ['type', 'reason', 'message', 'involvedObject', 'source'];
const rowKeys = [...inputKeys, 'count', 'firstTick', 'lastTick'];

function hasKeysInOrder(value: object, keys: readonly string[]): boolean {
  let position = 0;
  for (const key in value) {
    if (key !== keys[position]) return false;
    position++;
  }
  return position === keys.length;
}

/** Exactly `{ ...input, count: 1, firstTick: now, lastTick: now }`. */
export function freshRow(input: KubeEventInput, now: Tick): KubeEvent {
  if (!hasKeysInOrder(input, inputKeys)) return { ...input, count: 1, firstTick: now, lastTick: now };
  return { type: input.type, reason: input.reason, message: input.message, involvedObject: input.involvedObject, source: input.source, count: 1, firstTick: now, lastTick: now };
}

/** Exactly `{ ...row, count: row.count + 1, lastTick: now }`. */
export function bumpedRow(row: KubeEvent, now: Tick): KubeEvent {
  if (!hasKeysInOrder(row, rowKeys)) return { ...row, count: row.count + 1, lastTick: now };
  return { type: row.type, reason: row.reason, message: row.message, involvedObject: row.involvedObject, source: row.source, count: row.count + 1, firstTick: row.firstTick, lastTick: now };
}

// The latest row identical to `input`, or -1. Reason, type and source are mostly literal
// constants (compared by pointer), so they are asked first; the result is the same in any order.
function identicalRow(log: readonly KubeEvent[], input: KubeEventInput): number {
  for (let index = log.length - 1; index >= 0; index--) {
    const row = log[index] as KubeEvent;
    if (row.reason === input.reason && row.type === input.type && row.source === input.source && row.involvedObject === input.involvedObject && row.message === input.message) return index;
  }
  return -1;
}

/** The rows about `involvedObject` (`Kind/name`), oldest first. */
export function eventsAbout(log: readonly KubeEvent[], involvedObject: string): readonly KubeEvent[] {
  return log.filter((row) => row.involvedObject === involvedObject);
}
