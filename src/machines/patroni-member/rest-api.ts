/**
 * Switchover and failover through Patroni's REST API (P:`patroni/api.py` `do_POST_failover`,
 * `is_failover_possible`, `poll_failover_result`) and through `patronictl`
 * (P:`patroni/ctl.py` `_do_failover_or_switchover`), with the upstream status codes and messages.
 *
 * An immediate request is two steps in a model: `…Start` validates and writes the failover key,
 * then `…Poll` answers once the DCS shows the outcome (the API polls once a second for
 * 2 × max(10, loop_wait) seconds).
 */
import type { Tick } from '../../sim/ticks.ts';
import type { Dcs, FailoverKey } from '../patroni-dcs/dcs.ts';
import { dcsLeader } from '../patroni-dcs/dcs.ts';
import { failoverLimitation, syncMatches } from './eligibility.ts';
import type { PatroniConfig } from './patroni-config.ts';

export type FailoverAction = 'switchover' | 'failover';

export interface FailoverRequest {
  readonly action: FailoverAction;
  readonly leader: string | null;
  readonly candidate: string | null;
  readonly scheduledAtTick: Tick | null;
}

export interface RestReply {
  readonly status: 200 | 202 | 400 | 412 | 503;
  readonly body: string;
}

/** A request the API accepted and is polling for. */
export interface PendingFailover {
  readonly action: FailoverAction;
  readonly leader: string | null;
  readonly candidate: string | null;
  readonly startedTick: Tick;
  readonly deadlineTick: Tick;
}

export type RestStart = { readonly reply: RestReply } | { readonly key: FailoverKey; readonly reply: RestReply } | { readonly key: FailoverKey; readonly pending: PendingFailover };

function title(action: FailoverAction): string {
  return action === 'switchover' ? 'Switchover' : 'Failover';
}

/** `is_failover_possible` in P:`patroni/api.py`: the 412 reasons, or null. */
export function restFailoverPrecondition(dcs: Dcs, now: Tick, config: PatroniConfig, request: FailoverRequest): string | null {
  const leader = dcsLeader(dcs, now);
  if (request.leader !== null && leader !== request.leader) return 'leader name does not match';
  let members;
  if (request.candidate !== null) {
    if (request.action === 'switchover' && config.synchronousMode === 'on' && !syncMatches(dcs, request.candidate, false)) {
      return 'candidate name does not match with sync_standby';
    }
    members = dcs.members.filter((member) => member.name === request.candidate);
    if (members.length === 0) return 'candidate does not exists';
  } else if (config.synchronousMode === 'on') {
    members = dcs.members.filter((member) => syncMatches(dcs, member.name, false));
    if (members.length === 0) return `${request.action} is not possible: can not find sync_standby`;
  } else {
    members = dcs.members.filter((member) => member.name !== leader);
    if (members.length === 0) return `${request.action} is not possible: cluster does not have members except leader`;
  }
  if (members.some((member) => failoverLimitation(member) === null)) return null;
  return `${request.action} is not possible: no good candidates have been found`;
}

/**
 * `do_POST_failover`: argument checks (400), preconditions (412), writing the key (503 when the
 * DCS is not accessible from the member answering), then 202 for a scheduled switchover or a poll.
 */
export function restPostFailover(dcs: Dcs | null, now: Tick, config: PatroniConfig, raw: FailoverRequest): RestStart {
  let request = raw;
  if (request.action === 'failover' && request.candidate === null) return { reply: { status: 400, body: 'Failover could be performed only to a specific candidate' } };
  if (request.action === 'switchover' && request.leader === null) return { reply: { status: 400, body: 'Switchover could be performed only from a specific leader' } };
  if (request.scheduledAtTick !== null) {
    if (request.action === 'failover') return { reply: { status: 400, body: "Failover can't be scheduled" } };
    if (request.scheduledAtTick < now) return { reply: { status: 400, body: 'Cannot schedule switchover in the past' } };
  }
  // A failover naming a leader is treated as a switchover (with a warning upstream).
  if (request.action === 'failover' && request.leader !== null) request = { ...request, action: 'switchover' };
  if (request.leader !== null && request.leader === request.candidate) return { reply: { status: 400, body: 'Switchover target and source are the same' } };
  if (dcs === null) return { reply: { status: 503, body: 'failed to write failover key into DCS' } };
  if (request.scheduledAtTick === null) {
    const reason = restFailoverPrecondition(dcs, now, config, request);
    if (reason !== null) return { reply: { status: 412, body: reason } };
  }
  const key: FailoverKey = { leader: request.leader, candidate: request.candidate, scheduledAtTick: request.scheduledAtTick, action: request.action };
  if (request.scheduledAtTick !== null) return { key, reply: { status: 202, body: `${title(request.action)} scheduled` } };
  const timeoutTicks = 2 * Math.max(10, config.loopWait);
  return { key, pending: { action: request.action, leader: dcsLeader(dcs, now), candidate: request.candidate, startedTick: now, deadlineTick: now + timeoutTicks } };
}

/** `poll_failover_result`: the reply once the DCS shows an outcome, or null while still waiting. */
export function restPollFailover(pending: PendingFailover, dcs: Dcs | null, now: Tick): RestReply | null {
  if (dcs !== null && now > pending.startedTick) {
    const leader = dcsLeader(dcs, now);
    const past = pending.action === 'switchover' ? 'switched over' : 'failed over';
    if (leader !== null && leader !== pending.leader) {
      if (pending.candidate === null || pending.candidate === leader) return { status: 200, body: `Successfully ${past} to "${leader}"` };
      const capital = pending.action === 'switchover' ? 'Switched over' : 'Failed over';
      return { status: 200, body: `${capital} to "${leader}" instead of "${pending.candidate}"` };
    }
    if (dcs.failover === null) return { status: 503, body: `${title(pending.action)} failed` };
  }
  if (now >= pending.deadlineTick) return { status: 503, body: `${title(pending.action)} status unknown` };
  return null;
}

/** What a command run with `kubectl exec` returns. */
export interface ExecResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `patronictl switchover|failover --force [--candidate=X]`: the client-side checks, then the API. */
export type CtlStart = { readonly done: ExecResult } | { readonly start: RestStart; readonly leader: string | null };

/** P:`patroni/ctl.py` `_do_failover_or_switchover` up to the HTTP request. */
export function ctlFailoverStart(dcs: Dcs | null, now: Tick, config: PatroniConfig, action: FailoverAction, candidate: string | null): CtlStart {
  if (dcs === null) return { done: { exitCode: 1, stdout: '', stderr: 'Error: Failed to get list of machines from DCS' } };
  const leader = dcsLeader(dcs, now);
  if (action === 'switchover' && leader === null) return { done: { exitCode: 1, stdout: '', stderr: 'Error: This cluster has no leader' } };
  if (action === 'failover' && candidate === null) return { done: { exitCode: 1, stdout: '', stderr: 'Error: Failover could be performed only to a specific candidate' } };
  const candidateNames = dcs.members.filter((member) => member.name !== leader && !member.nofailover).map((member) => member.name);
  if (candidateNames.length === 0) return { done: { exitCode: 1, stdout: '', stderr: `Error: No candidates found to ${action} to` } };
  if (candidate !== null && !candidateNames.includes(candidate)) {
    const text = candidate === leader ? `Member ${candidate} is already the leader of cluster ${dcs.scope}` : `Member ${candidate} does not exist in cluster ${dcs.scope} or is tagged as nofailover`;
    return { done: { exitCode: 1, stdout: '', stderr: `Error: ${text}` } };
  }
  const request: FailoverRequest = { action, leader: action === 'switchover' ? leader : null, candidate, scheduledAtTick: null };
  return { start: restPostFailover(dcs, now, config, request), leader };
}

/** How `patronictl` prints an API reply: a non-2xx reply still exits 0. */
export function ctlPrintReply(action: FailoverAction, reply: RestReply): ExecResult {
  if (reply.status === 200 || reply.status === 202) return { exitCode: 0, stdout: reply.body, stderr: '' };
  return { exitCode: 0, stdout: `${title(action)} failed, details: ${reply.status}, ${reply.body}`, stderr: '' };
}
