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
  assert(input.involvedObject.includes('/'), `involvedObject ${input.involvedObject} must be Kind/name`);
  for (let index = log.length - 1; index >= 0; index--) {
    const row = log[index] as KubeEvent;
    if (
      row.involvedObject === input.involvedObject &&
      row.reason === input.reason &&
      row.message === input.message &&
      row.type === input.type &&
      row.source === input.source
    ) {
      const bumped: KubeEvent = { ...row, count: row.count + 1, lastTick: now };
      return log.slice(0, index).concat(log.slice(index + 1), [bumped]);
    }
  }
  const fresh: KubeEvent = { ...input, count: 1, firstTick: now, lastTick: now };
  const next = log.concat([fresh]);
  return next.length > eventsLogLengthMax ? next.slice(next.length - eventsLogLengthMax) : next;
}

/** The rows about `involvedObject` (`Kind/name`), oldest first. */
export function eventsAbout(log: readonly KubeEvent[], involvedObject: string): readonly KubeEvent[] {
  return log.filter((row) => row.involvedObject === involvedObject);
}
