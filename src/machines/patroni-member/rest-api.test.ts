import { describe, expect, it } from 'vitest';
import { dcsAcquire, dcsCreate, dcsRelease, type Dcs, type MemberRecord } from '../patroni-dcs/dcs.ts';
import { patroniDefaults } from './patroni-config.ts';
import { ctlFailoverStart, ctlPrintReply, restPollFailover, restPostFailover } from './rest-api.ts';

const config = patroniDefaults;

function record(name: string, over: Partial<MemberRecord> = {}): MemberRecord {
  return { name, state: 'running', role: 'replica', walLsn: 1000, timeline: 1, nofailover: false, failoverPriority: 1, apiReachable: true, streaming: true, ...over };
}

function cluster(members: MemberRecord[]): Dcs {
  const dcs = dcsAcquire({ ...dcsCreate('hippo-ha'), members }, 'a', 0, config.ttl, 1000);
  if (dcs === null) throw new Error('lock');
  return dcs;
}

const two = () => cluster([record('a', { role: 'primary' }), record('b')]);

describe('POST /switchover and /failover (P:patroni/api.py do_POST_failover)', () => {
  // Proves the 400 argument checks in upstream order and spelling.
  it('rejects malformed requests with 400', () => {
    expect(restPostFailover(two(), 0, config, { action: 'failover', leader: null, candidate: null, scheduledAtTick: null })).toEqual({ reply: { status: 400, body: 'Failover could be performed only to a specific candidate' } });
    expect(restPostFailover(two(), 0, config, { action: 'switchover', leader: null, candidate: 'b', scheduledAtTick: null })).toEqual({ reply: { status: 400, body: 'Switchover could be performed only from a specific leader' } });
    expect(restPostFailover(two(), 0, config, { action: 'switchover', leader: 'a', candidate: 'a', scheduledAtTick: null })).toEqual({ reply: { status: 400, body: 'Switchover target and source are the same' } });
    expect(restPostFailover(two(), 5, config, { action: 'switchover', leader: 'a', candidate: 'b', scheduledAtTick: 4 })).toEqual({ reply: { status: 400, body: 'Cannot schedule switchover in the past' } });
  });

  // Proves the 412 preconditions of `is_failover_possible` in the API.
  it('answers 412 when no candidate can take over', () => {
    const post = (dcs: Dcs, leader: string | null, candidate: string | null) => restPostFailover(dcs, 0, config, { action: 'switchover', leader, candidate, scheduledAtTick: null });
    expect(post(two(), 'x', 'b')).toEqual({ reply: { status: 412, body: 'leader name does not match' } });
    expect(post(two(), 'a', 'zz')).toEqual({ reply: { status: 412, body: 'candidate does not exists' } });
    expect(post(cluster([record('a', { role: 'primary' })]), 'a', null)).toEqual({ reply: { status: 412, body: 'switchover is not possible: cluster does not have members except leader' } });
    expect(post(cluster([record('a', { role: 'primary' }), record('b', { apiReachable: false })]), 'a', null)).toEqual({ reply: { status: 412, body: 'switchover is not possible: no good candidates have been found' } });
    const sync = restPostFailover({ ...two(), sync: { leader: 'a', syncStandby: null } }, 0, { ...config, synchronousMode: 'on' }, { action: 'switchover', leader: 'a', candidate: 'b', scheduledAtTick: null });
    expect(sync).toEqual({ reply: { status: 412, body: 'candidate name does not match with sync_standby' } });
  });

  // Proves 503 when the key cannot be written and 202 for a scheduled switchover.
  it('answers 503 without a DCS and 202 when scheduled', () => {
    expect(restPostFailover(null, 0, config, { action: 'switchover', leader: 'a', candidate: 'b', scheduledAtTick: null })).toEqual({ reply: { status: 503, body: 'failed to write failover key into DCS' } });
    const scheduled = restPostFailover(two(), 0, config, { action: 'switchover', leader: 'a', candidate: 'b', scheduledAtTick: 60 });
    expect('reply' in scheduled && scheduled.reply).toEqual({ status: 202, body: 'Switchover scheduled' });
  });

  // Proves `poll_failover_result`: 200 on the requested leader, capital "Switched over … instead of" on another, 503 failed/unknown.
  it('polls the outcome with the upstream replies', () => {
    const started = restPostFailover(two(), 0, config, { action: 'switchover', leader: 'a', candidate: 'b', scheduledAtTick: null });
    if (!('pending' in started)) throw new Error('expected a pending switchover');
    expect(started.pending.deadlineTick).toBe(20);
    const withKey = { ...two(), failover: started.key };
    expect(restPollFailover(started.pending, withKey, 1)).toBeNull();
    const toB = dcsAcquire(dcsRelease(withKey, 'a'), 'b', 3, config.ttl, 1000);
    const toC = dcsAcquire(dcsRelease(withKey, 'a'), 'c', 3, config.ttl, 1000);
    if (toB === null || toC === null) throw new Error('lock');
    expect(restPollFailover(started.pending, toB, 3)).toEqual({ status: 200, body: 'Successfully switched over to "b"' });
    expect(restPollFailover(started.pending, toC, 3)).toEqual({ status: 200, body: 'Switched over to "c" instead of "b"' });
    expect(restPollFailover(started.pending, two(), 3)).toEqual({ status: 503, body: 'Switchover failed' });
    expect(restPollFailover(started.pending, withKey, 20)).toEqual({ status: 503, body: 'Switchover status unknown' });
  });
});

describe('patronictl switchover (P:patroni/ctl.py _do_failover_or_switchover)', () => {
  // Proves the client-side checks exit non-zero with upstream messages, and a non-2xx reply exits 0.
  it('checks leader and candidate before calling the API', () => {
    const noLeader = { ...dcsCreate('hippo-ha'), members: [record('b')] };
    expect(ctlFailoverStart(noLeader, 0, config, 'switchover', null)).toEqual({ done: { exitCode: 1, stdout: '', stderr: 'Error: This cluster has no leader' } });
    expect(ctlFailoverStart(cluster([record('a', { role: 'primary' })]), 0, config, 'switchover', null)).toEqual({ done: { exitCode: 1, stdout: '', stderr: 'Error: No candidates found to switchover to' } });
    expect(ctlFailoverStart(two(), 0, config, 'switchover', 'zz')).toEqual({ done: { exitCode: 1, stdout: '', stderr: 'Error: Member zz does not exist in cluster hippo-ha or is tagged as nofailover' } });
    expect(ctlPrintReply('switchover', { status: 412, body: 'candidate does not exists' })).toEqual({ exitCode: 0, stdout: 'Switchover failed, details: 412, candidate does not exists', stderr: '' });
  });
});
