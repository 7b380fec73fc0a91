/**
 * The Patroni members of one scope and their DCS, as plain data, with the host functions that
 * perform HA-loop decisions: DCS writes (renew, acquire, release, failover key), PostgreSQL events
 * to each member's machine, timeline bumps on promotion, pg_rewind, and WAL that advances on the
 * primary and streams to replicas. Pure: every function returns a new cluster.
 */
import type { EventObject } from 'xstate';
import { assert, unreachable } from '../../sim/assert.ts';
import { machineInit, machineStep, type HostEffect, type MachineState } from '../../sim/machine-host.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { Dcs, MemberRecord } from '../patroni-dcs/dcs.ts';
import { dcsAcquire, dcsCreate, dcsLeader, dcsRecordPromotion, dcsRelease, dcsRenew, dcsSwitchLsn, dcsTimeline, dcsTouchMember, dcsWithMembers } from '../patroni-dcs/dcs.ts';
import { haDecide, hasDiverged, type HaDecision } from './ha-loop.ts';
import type { PatroniConfig } from './patroni-config.ts';
import { patroniMemberMachine, type PatroniMemberContext, type PatroniMemberInput, type PostgresqlState } from './patroni-member.machine.ts';
import type { PatroniMemberEvent } from './patroni-member.events.ts';

/** One Patroni member (one pod) with the data directory it runs on. */
export interface PatroniMember {
  readonly name: string;
  readonly pg: MachineState<PatroniMemberContext>;
  readonly hasData: boolean;
  readonly walLsn: number;
  readonly timeline: number;
  readonly nofailover: boolean;
  readonly failoverPriority: number;
  readonly releasedLeaderKeyTick: Tick | null;
  /** Receiving WAL from the leader. */
  readonly streaming: boolean;
  /** pg_rewind failed; without `remove_data_directory_on_rewind_failure` it runs but never streams. */
  readonly rewindFailed: boolean;
  /** The process (and its node) is up. */
  readonly alive: boolean;
  /** The member can reach the DCS (the Kubernetes API). */
  readonly dcsReachable: boolean;
  /** Other members reach its REST API and its replication connections (false while its node is isolated). */
  readonly restReachable: boolean;
  /** Tick the current DCS retry began (the cycle blocks for `retry_timeout`), or null. */
  readonly dcsRetrySinceTick: Tick | null;
  /** Until when this member believes it holds the leader key (its last acquire or renewal + ttl), or null. */
  readonly leaseUntilTick: Tick | null;
  readonly lastMessage: string;
}

export interface PatroniCluster {
  readonly config: PatroniConfig;
  readonly dcs: Dcs;
  readonly members: readonly PatroniMember[];
  /** Whether a pg_rewind in this world succeeds (data checksums or wal_log_hints present). */
  readonly rewindSucceeds: boolean;
}

/** Durations of PostgreSQL operations, in ticks. */
export interface PgDurations {
  readonly startTicks: number;
  readonly stopTicks: number;
  readonly cloneTicks: number;
  readonly initdbTicks: number;
}

/** The result of a host step: the next cluster and the machine timers to schedule or cancel. */
export interface PatroniStep {
  readonly cluster: PatroniCluster;
  readonly effects: readonly { readonly member: string; readonly effect: HostEffect }[];
  readonly message: string | null;
}

export function patroniClusterCreate(scope: string, config: PatroniConfig, rewindSucceeds: boolean): PatroniCluster {
  return { config, dcs: dcsCreate(scope), members: [], rewindSucceeds };
}

export function pgState(member: PatroniMember): PostgresqlState {
  return member.pg.value as PostgresqlState;
}

/** True when the member accepts writes as primary: alive, postgres running, role primary. */
export function acceptsWrites(member: PatroniMember): boolean {
  return member.alive && pgState(member) === 'running' && member.pg.context.role === 'primary';
}

export function memberByName(cluster: PatroniCluster, name: string): PatroniMember {
  const member = cluster.members.find((candidate) => candidate.name === name);
  assert(member !== undefined, `no patroni member ${name}`);
  return member;
}

// The machine's first snapshot depends only on its input (machineInit is pure), so it is made once per input.
const initialPgCache = new Map<string, MachineState<PatroniMemberContext>>();
/** Distinct inputs kept; a run draws a handful. */
const initialPgCacheMax = 256;

function initialPg(durations: PgDurations, hasData: boolean): MachineState<PatroniMemberContext> {
  const key = `${durations.startTicks},${durations.stopTicks},${durations.cloneTicks},${durations.initdbTicks},${hasData}`;
  let pg = initialPgCache.get(key);
  if (pg === undefined) {
    const input: PatroniMemberInput = { startTicks: durations.startTicks, stopTicks: durations.stopTicks, cloneTicks: durations.cloneTicks, initdbTicks: durations.initdbTicks, hasData };
    pg = machineInit<PatroniMemberContext>(patroniMemberMachine, input).state;
    if (initialPgCache.size >= initialPgCacheMax) initialPgCache.clear();
    initialPgCache.set(key, pg);
  }
  return pg;
}

/** A new member process on a pod, over a data directory that may already hold a cluster. */
export function patroniMemberCreate(name: string, durations: PgDurations, data: { hasData: boolean; walLsn: number; timeline: number }, dcsReachable: boolean): PatroniMember {
  const pg = initialPg(durations, data.hasData);
  return {
    name, pg, hasData: data.hasData, walLsn: data.walLsn, timeline: data.timeline, nofailover: false, failoverPriority: 1,
    releasedLeaderKeyTick: null, streaming: false, rewindFailed: false, alive: true, dcsReachable, restReachable: dcsReachable, dcsRetrySinceTick: null, leaseUntilTick: null, lastMessage: 'starting',
  };
}

/**
 * `{ ...cluster, dcs, members }` written out in the key order of {@link patroniClusterCreate}: one
 * object shape for every cluster a step makes (spread results get a V8 map per site, and the reads
 * and spreads that meet many maps turn megamorphic and several times slower).
 */
function clusterOf(cluster: PatroniCluster, dcs: Dcs, members: readonly PatroniMember[]): PatroniCluster {
  return { config: cluster.config, dcs, members, rewindSucceeds: cluster.rewindSucceeds };
}

// Copies the members only when one is really replaced: an unchanged member keeps the cluster as it is.
function replaceMember(cluster: PatroniCluster, member: PatroniMember): PatroniCluster {
  const members = cluster.members;
  let replaced: PatroniMember[] | null = null;
  for (let index = 0; index < members.length; index++) {
    const existing = members[index] as PatroniMember;
    if (existing.name !== member.name || existing === member) continue;
    replaced ??= members.slice();
    replaced[index] = member;
  }
  return replaced === null ? cluster : clusterOf(cluster, cluster.dcs, replaced);
}

/** Adds or replaces a member (a pod started). */
export function patroniUpsertMember(cluster: PatroniCluster, member: PatroniMember): PatroniCluster {
  const others = cluster.members.filter((existing) => existing.name !== member.name);
  const members = others.concat([member]).sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
  return refreshRecords(clusterOf(cluster, cluster.dcs, members));
}

/** Removes a member (its pod is gone): its DCS record (a pod annotation on Kubernetes) goes with it. */
export function patroniRemoveMember(cluster: PatroniCluster, name: string): PatroniCluster {
  return refreshRecords(clusterOf(cluster, cluster.dcs, cluster.members.filter((member) => member.name !== name)));
}

/** Sends a PostgreSQL event to a member's machine. */
export function patroniSend(cluster: PatroniCluster, name: string, event: PatroniMemberEvent | EventObject): PatroniStep {
  const member = memberByName(cluster, name);
  const step = machineStep<PatroniMemberContext>(patroniMemberMachine, member.pg, event);
  if (!step.changed) return { cluster, effects: [], message: null };
  let next: PatroniMember = { ...member, pg: step.state };
  if (pgState(next) === 'running' && step.state.context.role === 'primary' && !member.hasData) next = { ...next, hasData: true };
  if (pgState(member) === 'creating replica' && pgState(next) === 'stopped') next = { ...next, hasData: true, walLsn: cluster.dcs.leaderLsn, timeline: dcsTimeline(cluster.dcs) };
  if (pgState(next) !== 'running') next = { ...next, streaming: false };
  return { cluster: refreshRecords(replaceMember(cluster, next)), effects: step.effects.map((effect) => ({ member: name, effect })), message: null };
}

/** The record a member's REST API and `touch_member` publish. */
export function memberRecord(member: PatroniMember): MemberRecord {
  return {
    name: member.name, state: pgState(member), role: member.pg.context.role, walLsn: member.walLsn, timeline: member.timeline,
    nofailover: member.nofailover, failoverPriority: member.failoverPriority, apiReachable: member.alive && member.restReachable, streaming: member.streaming,
  };
}

/** `dcsSameRecord(record, memberRecord(member))` without building the record (asked for every member on every step). */
export function recordMatches(record: MemberRecord, member: PatroniMember): boolean {
  return (
    record.state === member.pg.value &&
    record.role === member.pg.context.role &&
    record.walLsn === member.walLsn &&
    record.timeline === member.timeline &&
    record.nofailover === member.nofailover &&
    record.failoverPriority === member.failoverPriority &&
    record.apiReachable === (member.alive && member.restReachable) &&
    record.streaming === member.streaming
  );
}

function refreshRecords(cluster: PatroniCluster): PatroniCluster {
  const members = cluster.members;
  const records = cluster.dcs.members;
  // Fast path (almost every call): one record per member, same names in the same (sorted) order;
  // only records whose member changed are replaced. Same result as the general path below.
  if (members.length === records.length && members.every((member, index) => (records[index] as MemberRecord).name === member.name)) {
    let changed: MemberRecord[] | null = null;
    for (let index = 0; index < members.length; index++) {
      const member = members[index] as PatroniMember;
      if (recordMatches(records[index] as MemberRecord, member)) continue;
      changed ??= records.slice();
      changed[index] = memberRecord(member);
    }
    return changed === null ? cluster : clusterOf(cluster, dcsWithMembers(cluster.dcs, changed), members);
  }
  let dcs: Dcs = { ...cluster.dcs, members: cluster.dcs.members.filter((record) => cluster.members.some((member) => member.name === record.name)) };
  for (const member of cluster.members) dcs = dcsTouchMember(dcs, memberRecord(member));
  return dcs.members.length === cluster.dcs.members.length && dcs.members.every((record, index) => record === cluster.dcs.members[index]) ? cluster : { ...cluster, dcs };
}

/**
 * One HA-loop iteration of `name` at `now`. A member that cannot reach the DCS blocks for
 * `retry_timeout` before handling the error (P:`patroni/dcs/kubernetes.py` retries), so a cut-off
 * primary demotes `loop_wait + retry_timeout` after its last renewal at the latest.
 */
export function patroniHaCycle(cluster: PatroniCluster, name: string, now: Tick): PatroniStep & { readonly nextCycleTicks: number } {
  const member = memberByName(cluster, name);
  assert(member.alive, `member ${name} runs an HA cycle while its process is down`);
  const config = cluster.config;
  if (!member.dcsReachable && member.dcsRetrySinceTick === null) {
    const retrying = replaceMember(cluster, { ...member, dcsRetrySinceTick: now, lastMessage: 'retrying DCS request' });
    return { cluster: retrying, effects: [], message: null, nextCycleTicks: config.retryTimeout };
  }
  const cleared = member.dcsRetrySinceTick === null ? member : { ...member, dcsRetrySinceTick: null };
  const base = replaceMember(cluster, cleared);
  const decision = haDecide({
    now, config, dcs: cleared.dcsReachable ? base.dcs : null,
    self: {
      name, walLsn: cleared.walLsn, timeline: cleared.timeline, nofailover: cleared.nofailover, failoverPriority: cleared.failoverPriority,
      starting: pgState(cleared) === 'starting', releasedLeaderKeyTick: cleared.releasedLeaderKeyTick,
      pgState: pgState(cleared), role: cleared.pg.context.role, hasData: cleared.hasData, rewindFailed: cleared.rewindFailed,
    },
  });
  const performed = perform(base, name, decision, now);
  const after = memberByName(performed.cluster, name);
  const message = performed.message ?? decision.message;
  // A steady member logs the same line cycle after cycle: the member is then left as it is.
  const noted = after.lastMessage === message ? performed.cluster : replaceMember(performed.cluster, { ...after, lastMessage: message });
  return { cluster: refreshRecords(noted), effects: performed.effects, message, nextCycleTicks: config.loopWait };
}

function perform(cluster: PatroniCluster, name: string, decision: HaDecision, now: Tick): PatroniStep {
  switch (decision.kind) {
    case 'dcs-error':
      return decision.demote ? demote(cluster, name, now, false) : { cluster, effects: [], message: null };
    case 'long-action':
      return { cluster: decision.renew ? renewOrKeep(cluster, name, now) : cluster, effects: [], message: null };
    case 'bootstrap': {
      const acquired = dcsAcquire(cluster.dcs, name, now, cluster.config.ttl, 0);
      if (acquired === null) return { cluster, effects: [], message: 'waiting for leader to bootstrap' };
      const leased = replaceMember(cluster, { ...memberByName(cluster, name), leaseUntilTick: now + cluster.config.ttl });
      return patroniSend({ ...leased, dcs: { ...acquired, initialize: `sysid-${cluster.dcs.scope}` } }, name, { type: 'pg.initdb' });
    }
    case 'clone':
      return patroniSend(cluster, name, { type: 'pg.clone' });
    case 'wait':
      return { cluster, effects: [], message: null };
    case 'start':
      return start(decision.renew ? renewOrKeep(cluster, name, now) : cluster, name, decision.as, decision.rewindFrom);
    case 'acquire':
      return acquire(cluster, name, now);
    case 'follow':
      return decision.demote ? demote(cluster, name, now, false) : { cluster, effects: [], message: null };
    case 'lead':
      return lead(cluster, name, decision, now);
    case 'rewind':
      return rewindRunning(cluster, name);
    default:
      return unreachable(decision, 'HA decision');
  }
}

/** `update_lock` alone (long actions, a starting instance, `recover`): `/sync` is left as it is. */
function renewOrKeep(cluster: PatroniCluster, name: string, now: Tick): PatroniCluster {
  const member = memberByName(cluster, name);
  const renewed = dcsRenew(cluster.dcs, name, now, member.walLsn);
  if (renewed === null) return cluster;
  return replaceMember(clusterOf(cluster, renewed, cluster.members), { ...member, leaseUntilTick: now + cluster.config.ttl });
}

/**
 * `process_sync_replication` on a running primary (P:`patroni/ha.py` `_process_multisync_replication`,
 * P:`patroni/postgresql/sync.py` `SyncHandler.current_state`): `/sync` keeps only standbys that
 * still stream (`sync_common = voters & allow_promote`: "Updating synchronous privilege temporarily
 * from ['x'] to []"); the current standby is preferred while it streams; a new one is written
 * ("Synchronous standby status assigned to [...]") only once it caught up with the primary
 * (`sync_state == 'sync'` and `lsn >= _primary_flush_lsn`), members without nofailover first; in
 * non-strict mode nobody is named when no standby qualifies.
 */
function processSyncReplication(cluster: PatroniCluster, dcs: Dcs, leader: string): Dcs {
  if (cluster.config.synchronousMode !== 'on') return dcs;
  const primary = memberByName(cluster, leader);
  const streams = (member: PatroniMember) => member.name !== leader && member.alive && member.streaming && pgState(member) === 'running';
  const current = dcs.sync !== null && dcs.sync.leader === leader ? dcs.sync.syncStandby : null;
  const kept = current !== null && cluster.members.some((member) => member.name === current && streams(member)) ? current : null;
  const caughtUp = cluster.members.filter((member) => streams(member) && member.walLsn >= primary.walLsn);
  const preferred = caughtUp.find((member) => !member.nofailover) ?? caughtUp[0];
  const syncStandby = kept ?? preferred?.name ?? null;
  if (dcs.sync !== null && dcs.sync.leader === leader && dcs.sync.syncStandby === syncStandby) return dcs;
  return { ...dcs, sync: { leader, syncStandby } };
}

/**
 * `process_sync_replication_prepromote` (P:`patroni/ha.py`): before promoting, the new leader
 * writes itself as the only authority in `/sync` and picks a standby in a later cycle.
 */
function prepromoteSync(cluster: PatroniCluster, dcs: Dcs, leader: string): Dcs {
  if (cluster.config.synchronousMode !== 'on') return dcs;
  if (dcs.sync !== null && dcs.sync.leader === leader && dcs.sync.syncStandby === null) return dcs;
  return { ...dcs, sync: { leader, syncStandby: null } };
}

function start(cluster: PatroniCluster, name: string, as: 'primary' | 'replica', rewindFrom: string | null): PatroniStep {
  let next = cluster;
  if (rewindFrom !== null) {
    const member = memberByName(cluster, name);
    // P:`patroni/postgresql/rewind.py`: success rewinds to where our timeline ended on the leader's
    // history; failure leaves the data as is and Patroni still starts it as a replica.
    const switchLsn = dcsSwitchLsn(cluster.dcs, member.timeline);
    next = cluster.rewindSucceeds
      ? replaceMember(cluster, { ...member, walLsn: switchLsn ?? member.walLsn, timeline: dcsTimeline(cluster.dcs), rewindFailed: false })
      : replaceMember(cluster, { ...member, rewindFailed: true });
  }
  return patroniSend(next, name, { type: 'pg.start', role: as });
}

/** Stops a running diverged replica and rewinds its data; it starts following on the next cycle. */
function rewindRunning(cluster: PatroniCluster, name: string): PatroniStep {
  const member = memberByName(cluster, name);
  const switchLsn = dcsSwitchLsn(cluster.dcs, member.timeline);
  const rewound = cluster.rewindSucceeds
    ? { ...member, walLsn: switchLsn ?? member.walLsn, timeline: dcsTimeline(cluster.dcs), rewindFailed: false, streaming: false }
    : { ...member, rewindFailed: true, streaming: false };
  if (!cluster.rewindSucceeds) return { cluster: replaceMember(cluster, rewound), effects: [], message: null };
  return patroniSend(replaceMember(cluster, rewound), name, { type: 'pg.stop' });
}

/** A primary's clean shutdown sends every WAL record to its streaming replicas first. */
export function patroniFlushToReplicas(cluster: PatroniCluster, name: string): PatroniCluster {
  const leader = memberByName(cluster, name);
  if (leader.pg.context.role !== 'primary') return cluster;
  const members = cluster.members.map((member) => (member.name !== name && member.streaming && member.timeline === leader.timeline ? { ...member, walLsn: leader.walLsn } : member));
  return refreshRecords({ ...cluster, members });
}

function acquire(cluster: PatroniCluster, name: string, now: Tick): PatroniStep {
  const member = memberByName(cluster, name);
  const acquired = dcsAcquire(cluster.dcs, name, now, cluster.config.ttl, member.walLsn);
  if (acquired === null) return { cluster, effects: [], message: 'following new leader after trying and failing to obtain lock' };
  // P:`patroni/ha.py`: the new leader cleans up the failover key after acquiring the lock.
  const cleaned = { ...acquired, failover: null };
  const primary = member.pg.context.role === 'primary';
  const dcs = !primary ? prepromoteSync(cluster, cleaned, name) : acceptsWrites(member) ? processSyncReplication(cluster, cleaned, name) : cleaned;
  const leased = replaceMember(clusterOf(cluster, dcs, cluster.members), { ...member, leaseUntilTick: now + cluster.config.ttl });
  if (primary) return { cluster: leased, effects: [], message: null };
  return promote(leased, name);
}

/**
 * `pg_ctl promote`: a running standby becomes primary and the timeline is bumped once, the old one
 * ending at our WAL position. A standby still starting is promoted by a later HA loop
 * (`enforce_primary_role` while holding the lock), not twice.
 */
function promote(cluster: PatroniCluster, name: string): PatroniStep {
  const member = memberByName(cluster, name);
  const role = member.pg.context.role;
  if (pgState(member) !== 'running' || (role !== 'replica' && role !== 'demoted')) return { cluster, effects: [], message: null };
  const timeline = Math.max(member.timeline, dcsTimeline(cluster.dcs));
  const hasEntry = dcsSwitchLsn(cluster.dcs, timeline) !== null;
  const dcs = hasEntry ? cluster.dcs : dcsRecordPromotion(cluster.dcs, timeline, member.walLsn);
  const promoted = replaceMember(clusterOf(cluster, dcs, cluster.members), { ...member, timeline: dcsTimeline(dcs), streaming: false, rewindFailed: false, releasedLeaderKeyTick: null });
  return patroniSend(promoted, name, { type: 'pg.promote' });
}

/**
 * `Ha.demote`: `offline`/`immediate-nolock` keep the key (`release` false); `graceful` releases it
 * after a clean shutdown in which streaming replicas receive every WAL record.
 */
function demote(cluster: PatroniCluster, name: string, now: Tick, graceful: boolean): PatroniStep {
  let next = cluster;
  if (graceful) {
    const leader = memberByName(cluster, name);
    next = { ...next, dcs: dcsRelease(next.dcs, name), members: next.members.map((member) => (member.streaming && member.timeline === leader.timeline ? { ...member, walLsn: leader.walLsn } : member)) };
    next = replaceMember(next, { ...memberByName(next, name), releasedLeaderKeyTick: now });
  }
  next = replaceMember(next, { ...memberByName(next, name), leaseUntilTick: null });
  return patroniSend(next, name, { type: 'pg.demote' });
}

function lead(cluster: PatroniCluster, name: string, decision: HaDecision & { kind: 'lead' }, now: Tick): PatroniStep {
  const member = memberByName(cluster, name);
  const renewed = dcsRenew(cluster.dcs, name, now, member.walLsn);
  if (renewed === null) {
    const demoted = demote(cluster, name, now, false);
    return { ...demoted, message: 'demoted self because failed to update leader lock in DCS' };
  }
  const dcs = decision.followUp === 'promote' ? prepromoteSync(cluster, renewed, name) : processSyncReplication(cluster, renewed, name);
  const next = replaceMember(clusterOf(cluster, dcs, cluster.members), { ...member, leaseUntilTick: now + cluster.config.ttl });
  switch (decision.followUp) {
    case 'none':
      return { cluster: next, effects: [], message: null };
    case 'promote':
      return promote(next, name);
    case 'delete-failover-key':
      return { cluster: { ...next, dcs: { ...next.dcs, failover: null } }, effects: [], message: null };
    case 'switchover-demote':
      return demote(next, name, now, true);
    default:
      return unreachable(decision.followUp, 'leader follow-up');
  }
}

/**
 * WAL between two ticks: the primary that accepts writes advances by `writeBytesPerTick`; a running
 * replica on the leader's history streams toward it at `catchUpBytesPerTick`.
 */
export function patroniAdvanceWal(cluster: PatroniCluster, elapsedTicks: number, writeBytesPerTick: number, catchUpBytesPerTick: number, now: Tick): PatroniCluster {
  if (elapsedTicks <= 0) return cluster;
  const leaderName = dcsLeader(cluster.dcs, now);
  const members = cluster.members;
  const written = (member: PatroniMember): PatroniMember => (acceptsWrites(member) ? { ...member, walLsn: member.walLsn + writeBytesPerTick * elapsedTicks } : member);
  // One pass: the primary (the leader accepting writes) is written first, as every replica streams toward it.
  const primaryIndex = members.findIndex((member) => member.name === leaderName && acceptsWrites(member));
  const primary = primaryIndex < 0 ? undefined : written(members[primaryIndex] as PatroniMember);
  let streamed: PatroniMember[] | null = null;
  for (let index = 0; index < members.length; index++) {
    const before = members[index] as PatroniMember;
    const after = stream(cluster.dcs, index === primaryIndex ? (primary as PatroniMember) : written(before), primary, elapsedTicks, catchUpBytesPerTick);
    if (after === before) continue;
    streamed ??= members.slice();
    streamed[index] = after;
  }
  return streamed === null ? cluster : refreshRecords(clusterOf(cluster, cluster.dcs, streamed));
}

function stream(dcs: Dcs, member: PatroniMember, primary: PatroniMember | undefined, elapsedTicks: number, catchUpBytesPerTick: number): PatroniMember {
  const canStream = primary !== undefined && primary.name !== member.name && member.alive && member.restReachable && primary.restReachable && pgState(member) === 'running' && member.pg.context.role !== 'primary' && !member.rewindFailed && !hasDiverged(dcs, member.timeline, member.walLsn);
  if (!canStream) return member.streaming ? { ...member, streaming: false } : member;
  const walLsn = Math.min(primary.walLsn, member.walLsn + catchUpBytesPerTick * elapsedTicks);
  if (member.streaming && walLsn === member.walLsn && member.timeline === primary.timeline) return member;
  return { ...member, streaming: true, walLsn, timeline: primary.timeline };
}

/** True while the member, alive, believes it holds the leader key. */
export function believesLeader(member: PatroniMember, now: Tick): boolean {
  return member.alive && member.leaseUntilTick !== null && now < member.leaseUntilTick;
}

/**
 * An independent restatement of the promotion rules (P:`patroni/ha.py` `is_healthiest_node`,
 * `manual_failover_process_no_leader`), checked where upstream applies them: at the leader race,
 * i.e. when `name`, not primary, acquires the leader key out of `before` (the promotion itself may
 * follow cycles later, once PostgreSQL runs). A failover key present at the race makes it manual:
 * no lag check; in synchronous mode a switchover (key with a leader) still admits only `/sync`
 * members, a failover to a candidate only the candidate. Returns why the race broke the rules, or null.
 */
export function promotionAudit(before: PatroniCluster, name: string): string | null {
  const member = memberByName(before, name);
  const config = before.config;
  const failover = before.dcs.failover;
  const manual = failover !== null;
  if (member.nofailover) return `${name} was promoted although tagged nofailover`;
  const lag = before.dcs.leaderLsn - member.walLsn;
  if (!manual && lag > config.maximumLagOnFailover) return `${name} was promoted ${lag} bytes behind the leader's last LSN (maximum_lag_on_failover ${config.maximumLagOnFailover})`;
  const sync = before.dcs.sync;
  if (config.synchronousMode !== 'on' || sync === null || sync.syncStandby === name || sync.leader === name) return null;
  const exempt = failover !== null && failover.leader === null && (failover.candidate === null || failover.candidate === name);
  return exempt ? null : `${name} was promoted in synchronous mode without being in /sync (${sync.syncStandby ?? 'none'})${manual ? ` during a ${failover.action}` : ''}`;
}
