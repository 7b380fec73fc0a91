/**
 * Who may become leader: the checks of P:`patroni/ha.py` `is_healthiest_node`,
 * `_is_healthiest_node`, `is_lagging`, `is_failover_possible`, `manual_failover_process_no_leader`,
 * and `_MemberStatus.failover_limitation`. Each check answers with the upstream log line when it
 * says no, so a trace reads like Patroni's log.
 */
import type { Dcs, MemberRecord } from '../patroni-dcs/dcs.ts';
import { dcsTimeline } from '../patroni-dcs/dcs.ts';
import type { PatroniConfig } from './patroni-config.ts';

/** A yes, or a no with the reason as Patroni logs it. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

const yes: Verdict = { ok: true };
function no(reason: string): Verdict {
  return { ok: false, reason };
}

/** The member asking, as it sees itself. */
export interface SelfStatus {
  readonly name: string;
  readonly walLsn: number;
  readonly timeline: number;
  readonly nofailover: boolean;
  readonly failoverPriority: number;
  readonly starting: boolean;
  /** Tick at which this member last released the leader key by demoting, or null. */
  readonly releasedLeaderKeyTick: number | null;
}

/** `is_lagging`: the leader's last LSN in `/status` minus `walLsn` exceeds `maximum_lag_on_failover`. */
export function isLagging(dcs: Dcs, walLsn: number, config: PatroniConfig): boolean {
  return dcs.leaderLsn - walLsn > config.maximumLagOnFailover;
}

/** `failover_limitation`: why a member may not be promoted at all, or null. */
export function failoverLimitation(member: MemberRecord): string | null {
  if (!member.apiReachable) return 'not reachable';
  if (member.nofailover) return 'not allowed to promote';
  return null;
}

/** The WAL position a member's REST API reports: none (0) unless postgres is running. */
export function reportedWal(member: MemberRecord): number {
  return member.state === 'running' ? member.walLsn : 0;
}

/** True when the member is in `/sync` (or was its leader) in synchronous mode. */
export function syncMatches(dcs: Dcs, name: string, checkLeader: boolean): boolean {
  if (dcs.sync === null) return false;
  return dcs.sync.syncStandby === name || (checkLeader && dcs.sync.leader === name);
}

/** `sync_mode_is_active`: synchronous mode is on and `/sync` names a leader. */
export function syncModeActive(dcs: Dcs, config: PatroniConfig): boolean {
  return config.synchronousMode === 'on' && dcs.sync !== null;
}

/** `_is_healthiest_node(members, check_replication_lag)`. */
export function isHealthiestAmong(self: SelfStatus, members: readonly MemberRecord[], dcs: Dcs, config: PatroniConfig, checkReplicationLag: boolean): Verdict {
  if (checkReplicationLag && isLagging(dcs, self.walLsn, config)) return no('My wal position exceeds maximum replication lag');
  if (config.checkTimeline && self.timeline < dcsTimeline(dcs)) return no(`My timeline ${self.timeline} is behind last known cluster timeline ${dcsTimeline(dcs)}`);
  const syncActive = syncModeActive(dcs, config);
  // The former leader: `/sync`'s leader in synchronous mode, else the (expired) lock's last holder.
  const formerLeader = syncActive ? (dcs.sync?.leader ?? null) : (dcs.leader?.holder ?? null);
  for (const other of members) {
    if (other.name === self.name || !other.apiReachable) continue;
    if (other.state === 'running' && other.role === 'primary') return no(`Primary (${other.name}) is still alive`);
    if (failoverLimitation(other) !== null) continue;
    const otherWal = reportedWal(other);
    if (self.walLsn < otherWal) {
      // In synchronous mode the former leader may be ahead of us and still reachable: it does not disqualify us.
      if (!syncActive || other.name !== formerLeader) return no(`Wal position of ${other.name} is ahead of my wal position`);
    }
    // The priority tie-break applies outside synchronous mode only (`low_priority and (not sync_mode_is_active() or quorum_vote)`).
    if (!syncActive && self.walLsn === otherWal && other.name !== formerLeader && self.failoverPriority < other.failoverPriority) {
      return no(`Candidate ${other.name} has equal wal position and higher priority`);
    }
  }
  return yes;
}

/**
 * `manual_failover_process_no_leader`: with a failover key and no leader, decides whether this
 * member races. Returns null when there is no failover key (the automatic rules apply).
 */
export function manualFailoverNoLeader(self: SelfStatus, dcs: Dcs, config: PatroniConfig): Verdict | null {
  const failover = dcs.failover;
  if (failover === null) return null;
  const action = failover.action;
  if (failover.candidate !== null) {
    if (failover.candidate === self.name) return yes;
    // In synchronous mode a member outside `/sync` takes no action even if the candidate is unhealthy.
    if (config.synchronousMode === 'on' && !syncMatches(dcs, self.name, true)) return no(`${action}: not a synchronous standby (/sync has ${dcs.sync?.syncStandby ?? 'none'})`);
    const candidate = dcs.members.find((member) => member.name === failover.candidate);
    if (candidate !== undefined) {
      const limitation = failoverLimitation(candidate);
      if (limitation === null) return no(`${action}: candidate ${candidate.name} is healthy, not racing`);
    }
  }
  if (failover.leader !== null && failover.leader === self.name) {
    const others = failoverCandidates(dcs, config, self.name, failover.candidate !== null);
    return isFailoverPossibleAmong(others, dcs, config, action).ok ? no(`${action}: former leader leaves the race to healthy members`) : yes;
  }
  // `_is_healthiest_node` reads our own WAL position from PostgreSQL; a starting server refuses the
  // query and `_run_cycle` ends with `Error communicating with PostgreSQL - will try again later`.
  if (self.starting) return no('Error communicating with PostgreSQL - will try again later');
  const members = dcs.members.filter((member) => member.name !== failover.leader);
  return isHealthiestAmong(self, members, dcs, config, false);
}

/** `is_healthiest_node`: whether this member may join the leader race now. */
export function isHealthiestNode(self: SelfStatus, dcs: Dcs, config: PatroniConfig, now: number): Verdict {
  if (self.releasedLeaderKeyTick !== null && now - self.releasedLeaderKeyTick < config.ttl) {
    return no('released leader key voluntarily less than ttl ago, not racing');
  }
  if (self.nofailover) return no('not allowed to promote (nofailover)');
  const syncActive = syncModeActive(dcs, config);
  // A switchover in synchronous mode: only synchronous members and the former leader race.
  if (dcs.failover !== null && dcs.failover.leader !== null && syncActive && !syncMatches(dcs, self.name, true)) {
    return no(`${dcs.failover.action}: not a synchronous standby (/sync has ${dcs.sync?.syncStandby ?? 'none'})`);
  }
  const manual = manualFailoverNoLeader(self, dcs, config);
  if (manual !== null) return manual;
  if (self.starting) return no('postgres is still starting');
  if (!syncActive) return isHealthiestAmong(self, dcs.members, dcs, config, true);
  // Synchronous mode: only the last primary and the sync standby race, and only against each other
  // ("pick between synchronous candidates so we minimize unnecessary failovers/demotions").
  if (!syncMatches(dcs, self.name, true)) return no(`not a synchronous standby (/sync has ${dcs.sync?.syncStandby ?? 'none'})`);
  const synchronous = dcs.members.filter((member) => syncMatches(dcs, member.name, true));
  return isHealthiestAmong(self, synchronous, dcs, config, true);
}

/**
 * `Ha.get_failover_candidates`: the members `is_failover_possible` weighs, without `self` (and the
 * failover candidate when `excludeCandidate`), only the candidate when one is named; in synchronous
 * mode only `/sync` standbys, except for a failover without a leader ("in synchronous mode we allow
 * failover (not switchover!) to async node").
 */
export function failoverCandidates(dcs: Dcs, config: PatroniConfig, self: string, excludeCandidate: boolean): MemberRecord[] {
  const failover = dcs.failover;
  const excluded = (name: string) => name === self || (excludeCandidate && failover !== null && failover.candidate === name);
  const asyncAllowed = failover !== null && failover.leader === null;
  return dcs.members.filter((node) => {
    if (syncModeActive(dcs, config) && !syncMatches(dcs, node.name, false) && !asyncAllowed) return false;
    return !excluded(node.name) && (excludeCandidate || failover === null || failover.candidate === null || node.name === failover.candidate);
  });
}

/**
 * `Ha.is_failover_possible` over `candidates`: at least one is reachable, allowed to promote and
 * within `maximum_lag_on_failover`. The reason names why the last candidate failed.
 */
export function isFailoverPossibleAmong(candidates: readonly MemberRecord[], dcs: Dcs, config: PatroniConfig, action: string): Verdict {
  if (candidates.length === 0) return no(`${action}: candidates list is empty`);
  let reason = '';
  for (const member of candidates) {
    const limitation = failoverLimitation(member);
    if (limitation !== null) reason = `${action}: member ${member.name} is ${limitation}`;
    else if (isLagging(dcs, reportedWal(member), config)) reason = `${action}: member ${member.name} exceeds maximum replication lag`;
    else if (config.checkTimeline && member.timeline < dcsTimeline(dcs)) reason = `${action}: member ${member.name} has timeline behind the cluster`;
    else return yes;
  }
  return no(reason);
}
