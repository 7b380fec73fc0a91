/**
 * Patroni's distributed configuration store (DCS) as plain data: the keys a Patroni cluster keeps
 * under its scope (P:`patroni/dcs/__init__.py`: `initialize`, `leader`, `failover`, `sync`,
 * `status`, `history`, `members/`) and the leader lock's rules on Kubernetes
 * (P:`patroni/dcs/kubernetes.py` `attempt_to_acquire_leader`, `update_leader`).
 *
 * Kubernetes does not expire the lock: each member treats it as absent once the record has not been
 * renewed for `ttl` seconds. We measure from `renewedTick`, the earliest instant any member could
 * have seen the record, which is the conservative choice for split-brain checks (a member that saw
 * it later would wait longer). Acquiring is a compare-and-set: one member wins a race, the rest see
 * it held.
 */
import { assert } from '../../sim/assert.ts';
import { checkLimit } from '../../sim/limits.ts';
import type { Tick } from '../../sim/ticks.ts';

/** The leader lock (annotations `leader`, `acquireTime`, `renewTime`, `ttl`, `transitions`). */
export interface LeaderLock {
  readonly holder: string;
  readonly acquiredTick: Tick;
  readonly renewedTick: Tick;
  readonly ttlTicks: Tick;
}

/** The `failover` key written by `POST /switchover` or `POST /failover` (P:`patroni/api.py`). */
export interface FailoverKey {
  readonly leader: string | null;
  readonly candidate: string | null;
  /** Null for an immediate request; otherwise the tick it is scheduled for. */
  readonly scheduledAtTick: Tick | null;
  readonly action: 'switchover' | 'failover';
}

/** The `/sync` key of synchronous mode: the last leader and its synchronous standby. */
export interface SyncKey {
  readonly leader: string;
  readonly syncStandby: string | null;
}

/** One timeline switch in `history`: the timeline that ended and the LSN where it ended. */
export interface TimelineSwitch {
  readonly timeline: number;
  readonly switchLsn: number;
}

/** What a member publishes with `touch_member` (on Kubernetes: the pod annotation `status`). */
export interface MemberRecord {
  readonly name: string;
  /** PostgresqlState string as published, e.g. `running`, `creating replica`. */
  readonly state: string;
  readonly role: string;
  readonly walLsn: number;
  readonly timeline: number;
  readonly nofailover: boolean;
  readonly failoverPriority: number;
  /** The REST API answers (the member's process is alive and its pod network is up). */
  readonly apiReachable: boolean;
  /** Replication state of a replica: streaming from the leader, or null when it is not. */
  readonly streaming: boolean;
}

/** The whole DCS of one Patroni scope. */
export interface Dcs {
  readonly scope: string;
  /** The cluster system identifier, written once by the bootstrapping member. */
  readonly initialize: string | null;
  readonly leader: LeaderLock | null;
  /** `transitions` on the leader object: +1 each time the lock changes owner. */
  readonly transitions: number;
  /** `/status` `optime`: the leader's last LSN, written with every lock update. */
  readonly leaderLsn: number;
  readonly history: readonly TimelineSwitch[];
  readonly failover: FailoverKey | null;
  readonly sync: SyncKey | null;
  /** Sorted by name; a member disappears with its pod. */
  readonly members: readonly MemberRecord[];
}

/** Members a scope may hold; more means a leak in the host. */
export const dcsMembersMax = 64;
/** Timeline switches kept in `history`. */
export const dcsHistoryLengthMax = 256;

export function dcsCreate(scope: string): Dcs {
  assert(scope.length > 0, 'a DCS needs a scope');
  return { scope, initialize: null, leader: null, transitions: 0, leaderLsn: 0, history: [], failover: null, sync: null, members: [] };
}

/** True when `lock` has not been renewed for `ttl` ticks: every member treats it as absent. */
export function lockExpired(lock: LeaderLock, now: Tick): boolean {
  return now - lock.renewedTick >= lock.ttlTicks;
}

/** The member holding a live leader lock, or null (no key, or an expired one). */
export function dcsLeader(dcs: Dcs, now: Tick): string | null {
  if (dcs.leader === null || lockExpired(dcs.leader, now)) return null;
  return dcs.leader.holder;
}

/**
 * `attempt_to_acquire_leader`: a compare-and-set that succeeds only while the lock is absent or
 * expired. Returns null when the race is lost (HTTP 409 upstream).
 */
export function dcsAcquire(dcs: Dcs, member: string, now: Tick, ttlTicks: Tick, lsn: number): Dcs | null {
  assert(ttlTicks > 0, `ttl ${ttlTicks} must be positive`);
  if (dcsLeader(dcs, now) !== null) return null;
  const changedOwner = dcs.leader?.holder !== member;
  return {
    ...dcs,
    leader: { holder: member, acquiredTick: now, renewedTick: now, ttlTicks },
    transitions: changedOwner ? dcs.transitions + 1 : dcs.transitions,
    leaderLsn: Math.max(dcs.leaderLsn, lsn),
  };
}

/**
 * `update_leader`: renews the lock and writes `/status` with the last LSN. Fails (null) when
 * someone else holds the record; an expired record still owned by `member` renews, as the
 * resourceVersion check upstream only fails when another member wrote it.
 */
export function dcsRenew(dcs: Dcs, member: string, now: Tick, lsn: number): Dcs | null {
  if (dcs.leader === null || dcs.leader.holder !== member) return null;
  // Written out in dcsCreate's key order (and the lock's as dcsAcquire makes it): one object shape on the HA loop's hottest write.
  const lock = dcs.leader;
  const leader: LeaderLock = { holder: lock.holder, acquiredTick: lock.acquiredTick, renewedTick: now, ttlTicks: lock.ttlTicks };
  return { scope: dcs.scope, initialize: dcs.initialize, leader, transitions: dcs.transitions, leaderLsn: lsn, history: dcs.history, failover: dcs.failover, sync: dcs.sync, members: dcs.members };
}

/** Deletes the leader key if `member` owns it (graceful shutdown, `demote('graceful'|'immediate')`). */
export function dcsRelease(dcs: Dcs, member: string): Dcs {
  if (dcs.leader === null || dcs.leader.holder !== member) return dcs;
  return { ...dcs, leader: null };
}

/** The cluster timeline: one past the last switch in `history`, 1 before any switch. */
export function dcsTimeline(dcs: Dcs): number {
  const last = dcs.history[dcs.history.length - 1];
  return last === undefined ? 1 : last.timeline + 1;
}

/** Appends a timeline switch (a promotion ended `timeline` at `switchLsn`). */
export function dcsRecordPromotion(dcs: Dcs, timeline: number, switchLsn: number): Dcs {
  assert(timeline >= 1, `timeline ${timeline} must be positive`);
  checkLimit('dcsHistoryLengthMax', dcs.history.length + 1, dcsHistoryLengthMax, `promotion from timeline ${timeline}`);
  return { ...dcs, history: dcs.history.concat([{ timeline, switchLsn }]) };
}

/** Where `timeline` ended, or null when it is the current one. */
export function dcsSwitchLsn(dcs: Dcs, timeline: number): number | null {
  return dcs.history.find((entry) => entry.timeline === timeline)?.switchLsn ?? null;
}

/** Publishes (or replaces) a member record; keeps the list sorted by name. */
export function dcsTouchMember(dcs: Dcs, record: MemberRecord): Dcs {
  const existing = dcs.members.find((member) => member.name === record.name);
  if (existing !== undefined && dcsSameRecord(existing, record)) return dcs;
  const others = dcs.members.filter((member) => member.name !== record.name);
  checkLimit('dcsMembersMax', others.length + 1, dcsMembersMax, `member ${record.name}`);
  const members = others.concat([record]).sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  return { ...dcs, members };
}

/** `{ ...dcs, members }` in dcsCreate's key order (one object shape: see `dcsRenew`). */
export function dcsWithMembers(dcs: Dcs, members: readonly MemberRecord[]): Dcs {
  return { scope: dcs.scope, initialize: dcs.initialize, leader: dcs.leader, transitions: dcs.transitions, leaderLsn: dcs.leaderLsn, history: dcs.history, failover: dcs.failover, sync: dcs.sync, members };
}

/** Removes a member record (its pod was deleted). */
export function dcsRemoveMember(dcs: Dcs, name: string): Dcs {
  if (!dcs.members.some((member) => member.name === name)) return dcs;
  return { ...dcs, members: dcs.members.filter((member) => member.name !== name) };
}

export function dcsMember(dcs: Dcs, name: string): MemberRecord | undefined {
  return dcs.members.find((member) => member.name === name);
}

/** True when two records of the same member publish the same status. */
export function dcsSameRecord(left: MemberRecord, right: MemberRecord): boolean {
  return (
    left.state === right.state &&
    left.role === right.role &&
    left.walLsn === right.walLsn &&
    left.timeline === right.timeline &&
    left.nofailover === right.nofailover &&
    left.failoverPriority === right.failoverPriority &&
    left.apiReachable === right.apiReachable &&
    left.streaming === right.streaming
  );
}
