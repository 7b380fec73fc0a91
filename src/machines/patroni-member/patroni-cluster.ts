/**
 * The Patroni members of one scope and their DCS, as plain data: creating, adding, removing and
 * replacing members, PostgreSQL events to each member's machine, the member records the DCS
 * publishes, and the promotion audit. The HA cycle that acts on it is in ha-perform.ts, WAL in
 * wal.ts. Pure: every function returns a new cluster.
 */
import type { EventObject } from 'xstate';
import { assert } from '../../sim/assert.ts';
import { machineInit, machineStep, type HostEffect, type MachineState } from '../../sim/machine-host.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { Dcs, MemberRecord } from '../patroni-dcs/dcs.ts';
import { dcsCreate, dcsTimeline, dcsTouchMember, dcsWithMembers } from '../patroni-dcs/dcs.ts';
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
export function clusterOf(cluster: PatroniCluster, dcs: Dcs, members: readonly PatroniMember[]): PatroniCluster {
  return { config: cluster.config, dcs, members, rewindSucceeds: cluster.rewindSucceeds };
}

// Copies the members only when one is really replaced: an unchanged member keeps the cluster as it is.
export function replaceMember(cluster: PatroniCluster, member: PatroniMember): PatroniCluster {
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

export function refreshRecords(cluster: PatroniCluster): PatroniCluster {
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
