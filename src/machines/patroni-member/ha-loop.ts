/**
 * One iteration of Patroni's HA loop as a pure decision (P:`patroni/ha.py` `Ha._run_cycle`), in
 * upstream order; the first step that decides ends the cycle. The host performs the decision:
 * DCS writes (renew, acquire, release, failover key) and PostgreSQL events to the member machine.
 * Messages are Patroni's log lines, so a trace reads like `patroni` output.
 */
import { unreachable } from '../../sim/assert.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { Dcs } from '../patroni-dcs/dcs.ts';
import { dcsLeader, dcsSwitchLsn, dcsTimeline } from '../patroni-dcs/dcs.ts';
import { failoverCandidates, isFailoverPossibleAmong, isHealthiestNode, syncMatches, type SelfStatus } from './eligibility.ts';
import type { PatroniConfig } from './patroni-config.ts';
import type { PostgresqlRole, PostgresqlState } from './patroni-member.machine.ts';

/** What one member knows about itself at the start of a cycle. */
export interface HaSelf extends SelfStatus {
  readonly pgState: PostgresqlState;
  readonly role: PostgresqlRole;
  /** The data directory holds a cluster (it survives pod deletion on the PVC). */
  readonly hasData: boolean;
  /** A pg_rewind already failed on this data directory (Patroni does not retry it by itself). */
  readonly rewindFailed: boolean;
}

export interface HaInput {
  readonly now: Tick;
  readonly config: PatroniConfig;
  readonly self: HaSelf;
  /** The cluster as loaded from the DCS, or null when the DCS is not accessible. */
  readonly dcs: Dcs | null;
}

/** After renewing the lock, what the leader does next. */
export type LeaderFollowUp = 'none' | 'promote' | 'switchover-demote' | 'delete-failover-key';

export type HaDecision =
  | { readonly kind: 'dcs-error'; readonly demote: boolean; readonly message: string }
  | { readonly kind: 'long-action'; readonly renew: boolean; readonly message: string }
  | { readonly kind: 'bootstrap'; readonly message: string }
  | { readonly kind: 'clone'; readonly from: string; readonly message: string }
  | { readonly kind: 'wait'; readonly message: string }
  | { readonly kind: 'start'; readonly as: 'primary' | 'replica'; readonly rewindFrom: string | null; readonly renew: boolean; readonly message: string }
  | { readonly kind: 'acquire'; readonly message: string }
  | { readonly kind: 'follow'; readonly leader: string | null; readonly demote: boolean; readonly message: string }
  | { readonly kind: 'rewind'; readonly from: string; readonly message: string }
  | { readonly kind: 'lead'; readonly followUp: LeaderFollowUp; readonly message: string };

/** True when the member holds a live leader lock. */
export function holdsLock(dcs: Dcs, name: string, now: Tick): boolean {
  return dcsLeader(dcs, now) === name;
}

/** True when this member's data has WAL past the point where its timeline ended: pg_rewind is needed. */
export function hasDiverged(dcs: Dcs, timeline: number, walLsn: number): boolean {
  if (timeline >= dcsTimeline(dcs)) return false;
  const switchLsn = dcsSwitchLsn(dcs, timeline);
  return switchLsn !== null && walLsn > switchLsn;
}

/** `Ha._run_cycle`: the decision of one HA loop iteration. */
export function haDecide(input: HaInput): HaDecision {
  const { self, dcs, now } = input;
  const isRunningPrimary = self.role === 'primary' && (self.pgState === 'running' || self.pgState === 'starting');
  // Step 1: P:`patroni/ha.py` `_handle_dcs_error`.
  if (dcs === null) {
    if (isRunningPrimary) return { kind: 'dcs-error', demote: true, message: 'demoted self because DCS is not accessible and I was a leader' };
    return { kind: 'dcs-error', demote: false, message: 'DCS is not accessible' };
  }
  const locked = holdsLock(dcs, self.name, now);
  const leader = dcsLeader(dcs, now);
  // Step 2: `handle_long_action_in_progress`.
  const longAction = longActionName(self.pgState, leader);
  if (longAction !== null) {
    return locked
      ? { kind: 'long-action', renew: true, message: `updated leader lock during ${longAction}` }
      : { kind: 'long-action', renew: false, message: `${longAction} in progress` };
  }
  // Step 3: `handle_starting_instance` (with the lock: keep it while postgres starts).
  if (self.pgState === 'starting' && locked) {
    return { kind: 'long-action', renew: true, message: 'PostgreSQL is still starting up' };
  }
  // Step 5: empty data directory.
  if (!self.hasData) return decideBootstrap(dcs, leader);
  // Step 7: postgres not running.
  if (self.pgState === 'stopped' || self.pgState === 'crashed') return decideRecover(input, dcs, locked, leader);
  // Step 8: no leader key.
  if (leader === null) return decideUnlocked(input, dcs);
  // Step 9: leader key exists.
  if (locked) return decideLeader(input, dcs);
  if (isRunningPrimary) return { kind: 'follow', leader, demote: true, message: 'demoting self because I do not have the lock and I was a leader' };
  // `Ha.follow` → `rewind_or_reinitialize_needed_and_possible`: a running replica whose history
  // diverged from the new leader's is stopped and rewound before it can stream again.
  if (input.config.usePgRewind && !self.rewindFailed && self.pgState === 'running' && hasDiverged(dcs, self.timeline, self.walLsn)) {
    return { kind: 'rewind', from: leader, message: `running pg_rewind from ${leader}` };
  }
  return { kind: 'follow', leader, demote: false, message: `no action. I am (${self.name}), a secondary, and following a leader (${leader})` };
}

function longActionName(state: PostgresqlState, leader: string | null): string | null {
  switch (state) {
    case 'initializing new cluster':
      return 'initialize a new cluster';
    case 'creating replica':
      return `bootstrap from leader '${leader ?? 'none'}'`;
    case 'stopping':
      return 'stopping';
    case 'starting':
    case 'running':
    case 'stopped':
    case 'crashed':
      return null;
    default:
      return unreachable(state, 'postgres state');
  }
}

function decideBootstrap(dcs: Dcs, leader: string | null): HaDecision {
  // P:`patroni/ha.py` `bootstrap`: initdb only for the member that wins the `initialize` race.
  if (leader === null && dcs.initialize === null) return { kind: 'bootstrap', message: 'trying to bootstrap a new cluster' };
  if (leader !== null) return { kind: 'clone', from: leader, message: `trying to bootstrap from leader '${leader}'` };
  return { kind: 'wait', message: 'waiting for leader to bootstrap' };
}

function decideRecover(input: HaInput, dcs: Dcs, locked: boolean, leader: string | null): HaDecision {
  const { self, config } = input;
  // P:`patroni/ha.py` `recover`.
  if (locked && self.role === 'primary' && config.primaryStartTimeout > 0) {
    return { kind: 'start', as: 'primary', rewindFrom: null, renew: true, message: 'starting primary after failure' };
  }
  const diverged = hasDiverged(dcs, self.timeline, self.walLsn);
  if (diverged && config.usePgRewind && !self.rewindFailed && leader !== null && leader !== self.name) {
    return { kind: 'start', as: 'replica', rewindFrom: leader, renew: false, message: `running pg_rewind from ${leader}` };
  }
  return { kind: 'start', as: 'replica', rewindFrom: null, renew: false, message: 'starting as a secondary' };
}

function decideUnlocked(input: HaInput, dcs: Dcs): HaDecision {
  const { self, config, now } = input;
  // P:`patroni/ha.py` `process_unhealthy_cluster`.
  const verdict = isHealthiestNode(self, dcs, config, now);
  if (verdict.ok) {
    const message = self.role === 'primary' ? 'acquired session lock as a leader' : 'promoted self to leader by acquiring session lock';
    return { kind: 'acquire', message };
  }
  if (self.role === 'primary') return { kind: 'follow', leader: null, demote: true, message: 'demoted self because i am not the healthiest node' };
  return { kind: 'follow', leader: null, demote: false, message: `following a different leader because i am not the healthiest node (${verdict.reason})` };
}

function decideLeader(input: HaInput, dcs: Dcs): HaDecision {
  const { self, config, now } = input;
  const failover = dcs.failover;
  const promote = self.role !== 'primary';
  const steady: HaDecision = promote
    ? { kind: 'lead', followUp: 'promote', message: 'promoted self to leader because I had the session lock' }
    : { kind: 'lead', followUp: 'none', message: `no action. I am (${self.name}), the leader with the lock` };
  if (failover === null || promote) return steady;
  // P:`patroni/ha.py` `process_manual_failover_from_leader`.
  const action = failover.leader !== null ? 'switchover' : 'manual failover';
  const bare = failover.action;
  if (failover.scheduledAtTick !== null) {
    if (failover.scheduledAtTick > now + config.loopWait) return steady;
    if (now - failover.scheduledAtTick > Math.floor((3 * config.loopWait) / 2)) {
      return { kind: 'lead', followUp: 'delete-failover-key', message: `Found a stale ${bare} value, cleaning up` };
    }
  }
  if (failover.leader !== null && failover.leader !== self.name) {
    return { kind: 'lead', followUp: 'delete-failover-key', message: `${action}: leader name does not match: ${failover.leader} != ${self.name}` };
  }
  if (failover.candidate === self.name) {
    return { kind: 'lead', followUp: 'delete-failover-key', message: `${action}: I am already the leader, no need to ${bare}` };
  }
  if (config.synchronousMode === 'on' && failover.candidate !== null && !syncMatches(dcs, failover.candidate, false)) {
    return { kind: 'lead', followUp: 'delete-failover-key', message: `${action}: Failover candidate=${failover.candidate} does not match with sync_standbys=${dcs.sync?.syncStandby ?? 'None'}` };
  }
  const candidates = failoverCandidates(dcs, config, self.name, false);
  if (isFailoverPossibleAmong(candidates, dcs, config, action).ok) {
    return { kind: 'lead', followUp: 'switchover-demote', message: `${action}: demoting myself` };
  }
  return { kind: 'lead', followUp: 'delete-failover-key', message: `${action}: no healthy members found, ${bare} is not possible` };
}
