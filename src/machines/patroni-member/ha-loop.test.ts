import { describe, expect, it } from 'vitest';
import { dcsAcquire, dcsCreate, dcsLeader, dcsRecordPromotion, type Dcs, type MemberRecord } from '../patroni-dcs/dcs.ts';
import { haDecide, type HaInput, type HaSelf } from './ha-loop.ts';
import { adjustTimeouts, patroniDefaults, satisfiesTimingRule, type PatroniConfig } from './patroni-config.ts';

const config: PatroniConfig = patroniDefaults;

function record(name: string, over: Partial<MemberRecord> = {}): MemberRecord {
  return { name, state: 'running', role: 'replica', walLsn: 1000, timeline: 1, nofailover: false, failoverPriority: 1, apiReachable: true, streaming: true, ...over };
}

function self(over: Partial<HaSelf> = {}): HaSelf {
  return { name: 'a', walLsn: 1000, timeline: 1, nofailover: false, failoverPriority: 1, starting: false, releasedLeaderKeyTick: null, pgState: 'running', role: 'replica', hasData: true, rewindFailed: false, ...over };
}

function dcsWith(members: MemberRecord[], over: Partial<Dcs> = {}): Dcs {
  return { ...dcsCreate('hippo-ha'), initialize: 'sysid', members, leaderLsn: 1000, ...over };
}

function locked(dcs: Dcs, holder: string, now = 0): Dcs {
  const next = dcsAcquire(dcs, holder, now, config.ttl, dcs.leaderLsn);
  if (next === null) throw new Error('lock held');
  return next;
}

function decide(input: Partial<HaInput> & { dcs: Dcs | null }): ReturnType<typeof haDecide> {
  return haDecide({ now: 0, config, self: self(), ...input });
}

describe('Patroni HA loop decisions (P:patroni/ha.py _run_cycle)', () => {
  // Proves step 1: a running primary that cannot load the cluster from the DCS demotes itself (`_handle_dcs_error`).
  it('demotes a primary that loses the DCS, leaves a replica running', () => {
    expect(decide({ dcs: null, self: self({ role: 'primary' }) })).toMatchObject({ kind: 'dcs-error', demote: true, message: 'demoted self because DCS is not accessible and I was a leader' });
    expect(decide({ dcs: null })).toMatchObject({ kind: 'dcs-error', demote: false, message: 'DCS is not accessible' });
  });

  // Proves the leader lock expires ttl seconds after the last renewal and a healthy replica then races for it.
  it('races for an expired leader key when it is the healthiest node', () => {
    const dcs = locked(dcsWith([record('a'), record('b', { role: 'primary', state: 'stopped', apiReachable: false })]), 'b', 0);
    expect(dcsLeader(dcs, config.ttl - 1)).toBe('b');
    expect(decide({ dcs, now: config.ttl - 1 }).kind).toBe('follow');
    expect(dcsLeader(dcs, config.ttl)).toBeNull();
    expect(decide({ dcs, now: config.ttl })).toMatchObject({ kind: 'acquire', message: 'promoted self to leader by acquiring session lock' });
  });

  // Proves maximum_lag_on_failover: a replica further behind the leader's last LSN than the limit does not race (`is_lagging`).
  it('does not race when lagging beyond maximum_lag_on_failover', () => {
    const dcs = dcsWith([record('a', { walLsn: 0 })], { leaderLsn: config.maximumLagOnFailover + 1 });
    const decision = decide({ dcs, self: self({ walLsn: 0 }) });
    expect(decision).toMatchObject({ kind: 'follow', demote: false });
    expect(decision.message).toContain('My wal position exceeds maximum replication lag');
    expect(decide({ dcs, self: self({ walLsn: 1 }) }).kind).toBe('acquire');
  });

  // Proves the nofailover tag keeps a member out of every race.
  it('never races with nofailover', () => {
    const decision = decide({ dcs: dcsWith([record('a')]), self: self({ nofailover: true }) });
    expect(decision.kind).toBe('follow');
    expect(decision.message).toContain('not allowed to promote');
  });

  // Proves `_is_healthiest_node`: a reachable running primary, or an eligible member further ahead, wins over us.
  it('defers to a live primary and to a member with more WAL', () => {
    const alive = decide({ dcs: dcsWith([record('a'), record('b', { role: 'primary' })]) });
    expect(alive.message).toContain('Primary (b) is still alive');
    const ahead = decide({ dcs: dcsWith([record('a'), record('b', { walLsn: 2000 })], { leaderLsn: 2000 }) });
    expect(ahead.message).toContain('Wal position of b is ahead of my wal position');
    const aheadButNofailover = decide({ dcs: dcsWith([record('a'), record('b', { walLsn: 2000, nofailover: true })], { leaderLsn: 2000 }) });
    expect(aheadButNofailover.kind).toBe('acquire');
  });

  // Proves synchronous mode: only the member named in /sync (or its former leader) may race.
  it('in synchronous mode only the /sync standby races', () => {
    const sync = { synchronousMode: 'on' as const };
    const dcs = dcsWith([record('a'), record('c')], { sync: { leader: 'b', syncStandby: 'c' } });
    const notSync = haDecide({ now: 0, config: { ...config, ...sync }, self: self(), dcs });
    expect(notSync.kind).toBe('follow');
    expect(notSync.message).toContain('not a synchronous standby');
    const isSync = haDecide({ now: 0, config: { ...config, ...sync }, self: self({ name: 'c' }), dcs });
    expect(isSync.kind).toBe('acquire');
  });

  // Proves `is_healthiest_node` in synchronous mode races only against /sync members: an async member ahead neither blocks the /sync leader nor races itself.
  it('in synchronous mode the race compares WAL among /sync members only', () => {
    const sync = { ...config, synchronousMode: 'on' as const };
    const dcs = dcsWith([record('a', { walLsn: 900 }), record('c', { walLsn: 1000 })], { sync: { leader: 'a', syncStandby: null }, leaderLsn: 900 });
    expect(haDecide({ now: 0, config: sync, self: self({ walLsn: 900 }), dcs }).kind).toBe('acquire');
    expect(haDecide({ now: 0, config: sync, self: self({ name: 'c' }), dcs }).message).toContain('not a synchronous standby');
    // Without synchronous mode the same member ahead disqualifies a.
    expect(haDecide({ now: 0, config, self: self({ walLsn: 900 }), dcs }).message).toContain('Wal position of c is ahead of my wal position');
    // A /sync standby ahead still disqualifies the former /sync leader.
    const standbyAhead = dcsWith([record('a', { walLsn: 900 }), record('b', { walLsn: 1000 }), record('c', { walLsn: 2000 })], { sync: { leader: 'a', syncStandby: 'b' }, leaderLsn: 900 });
    expect(haDecide({ now: 0, config: sync, self: self({ walLsn: 900 }), dcs: standbyAhead }).message).toContain('Wal position of b is ahead of my wal position');
  });

  // Proves a switchover in synchronous mode with the leader gone admits only /sync members to the race, and a starting member cannot read its own WAL position.
  it('in synchronous mode a switchover race excludes async members; a starting member does not race', () => {
    const sync = { ...config, synchronousMode: 'on' as const };
    const key = { leader: 'x', candidate: null, scheduledAtTick: null, action: 'switchover' as const };
    const dcs = dcsWith([record('a'), record('b'), record('x', { state: 'stopped', role: 'demoted' })], { failover: key, sync: { leader: 'x', syncStandby: 'b' } });
    expect(haDecide({ now: 0, config: sync, self: self(), dcs }).message).toContain('switchover: not a synchronous standby');
    expect(haDecide({ now: 0, config: sync, self: self({ name: 'b' }), dcs }).kind).toBe('acquire');
    expect(haDecide({ now: 0, config: sync, self: self({ name: 'b', starting: true, pgState: 'starting' }), dcs }).message).toContain('Error communicating with PostgreSQL - will try again later');
  });

  // Proves a member that released the key by demoting does not race again for ttl seconds.
  it('backs off the race for ttl after releasing the key', () => {
    const dcs = dcsWith([record('a')]);
    expect(decide({ dcs, now: 10, self: self({ releasedLeaderKeyTick: 0 }) }).kind).toBe('follow');
    expect(decide({ dcs, now: config.ttl, self: self({ releasedLeaderKeyTick: 0 }) }).kind).toBe('acquire');
  });

  // Proves the lock holder renews and the others follow, with Patroni's log lines.
  it('renews as leader and follows as secondary', () => {
    const dcs = locked(dcsWith([record('a', { role: 'primary' }), record('b')]), 'a');
    expect(decide({ dcs, self: self({ role: 'primary' }) })).toEqual({ kind: 'lead', followUp: 'none', message: 'no action. I am (a), the leader with the lock' });
    expect(decide({ dcs, self: self({ name: 'b' }) }).message).toBe('no action. I am (b), a secondary, and following a leader (a)');
    expect(decide({ dcs: locked(dcsWith([]), 'b'), self: self({ role: 'primary' }) })).toMatchObject({ kind: 'follow', demote: true, message: 'demoting self because I do not have the lock and I was a leader' });
  });

  // Proves `process_manual_failover_from_leader`: the leader demotes gracefully only when a candidate is healthy.
  it('processes the failover key on the leader', () => {
    const leaderSelf = self({ role: 'primary' });
    const key = { leader: 'a', candidate: 'b', scheduledAtTick: null, action: 'switchover' as const };
    const healthy = locked(dcsWith([record('a', { role: 'primary' }), record('b')], { failover: key }), 'a');
    expect(decide({ dcs: healthy, self: leaderSelf })).toMatchObject({ followUp: 'switchover-demote', message: 'switchover: demoting myself' });
    const lagging = locked(dcsWith([record('a', { role: 'primary' }), record('b', { state: 'stopped' })], { failover: key, leaderLsn: 5_000_000 }), 'a');
    expect(decide({ dcs: lagging, self: leaderSelf })).toMatchObject({ followUp: 'delete-failover-key', message: 'switchover: no healthy members found, switchover is not possible' });
    const wrongLeader = locked(dcsWith([record('a', { role: 'primary' }), record('b')], { failover: { ...key, leader: 'x' } }), 'a');
    expect(decide({ dcs: wrongLeader, self: leaderSelf }).message).toBe('switchover: leader name does not match: x != a');
    const toMe = locked(dcsWith([record('a', { role: 'primary' })], { failover: { ...key, candidate: 'a' } }), 'a');
    expect(decide({ dcs: toMe, self: leaderSelf }).message).toBe('switchover: I am already the leader, no need to switchover');
  });

  // Proves `manual_failover_process_no_leader`: the named candidate races even when lagging; others wait for a healthy candidate.
  it('lets the switchover candidate take the lock', () => {
    const key = { leader: 'x', candidate: 'b', scheduledAtTick: null, action: 'switchover' as const };
    const dcs = dcsWith([record('a'), record('b', { walLsn: 0 }), record('x', { state: 'stopped', role: 'demoted' })], { failover: key, leaderLsn: 5_000_000 });
    expect(decide({ dcs, self: self({ name: 'b', walLsn: 0 }) }).kind).toBe('acquire');
    expect(decide({ dcs }).message).toContain('candidate b is healthy, not racing');
  });

  // Proves the old primary whose WAL passed the end of its timeline runs pg_rewind before following (`recover`).
  it('rewinds a diverged former primary', () => {
    const dcs = locked(dcsRecordPromotion(dcsWith([record('b', { role: 'primary', timeline: 2 })]), 1, 900), 'b');
    expect(decide({ dcs, self: self({ pgState: 'stopped', role: 'demoted', walLsn: 1000 }) })).toMatchObject({ kind: 'start', rewindFrom: 'b', message: 'running pg_rewind from b' });
    expect(decide({ dcs, self: self({ pgState: 'stopped', role: 'demoted', walLsn: 800 }) })).toMatchObject({ kind: 'start', rewindFrom: null, message: 'starting as a secondary' });
  });

  // Proves `Ha.follow`: a replica that started before the new leader appeared and diverged from it is rewound, once.
  it('rewinds a running diverged replica unless a rewind already failed', () => {
    const dcs = locked(dcsRecordPromotion(dcsWith([record('b', { role: 'primary', timeline: 2 })]), 1, 900), 'b');
    expect(decide({ dcs, self: self({ walLsn: 1000 }) })).toEqual({ kind: 'rewind', from: 'b', message: 'running pg_rewind from b' });
    expect(decide({ dcs, self: self({ walLsn: 1000, rewindFailed: true }) }).kind).toBe('follow');
  });

  // Proves bootstrap: the first member with no data and no initialize key runs initdb, later ones clone from the leader.
  it('bootstraps or clones an empty data directory', () => {
    expect(decide({ dcs: dcsCreate('hippo-ha'), self: self({ hasData: false, pgState: 'stopped', role: 'uninitialized' }) }).kind).toBe('bootstrap');
    const withLeader = locked(dcsWith([record('b', { role: 'primary' })]), 'b');
    expect(decide({ dcs: withLeader, self: self({ hasData: false, pgState: 'stopped', role: 'uninitialized' }) })).toMatchObject({ kind: 'clone', from: 'b' });
    expect(decide({ dcs: dcsWith([]), self: self({ hasData: false, pgState: 'stopped', role: 'uninitialized' }) }).message).toBe('waiting for leader to bootstrap');
  });
});

describe('Patroni timing settings (P:patroni/config.py _validate_and_adjust_timeouts)', () => {
  // Proves the defaults satisfy loop_wait + 2*retry_timeout <= ttl and that adjustment lowers loop_wait first.
  it('adjusts loop_wait, then retry_timeout, to satisfy the rule', () => {
    expect(satisfiesTimingRule(patroniDefaults)).toBe(true);
    expect(adjustTimeouts({ ...config, ttl: 30, loopWait: 20, retryTimeout: 10 })).toMatchObject({ loopWait: 10, retryTimeout: 10 });
    expect(adjustTimeouts({ ...config, ttl: 20, loopWait: 10, retryTimeout: 15 })).toMatchObject({ loopWait: 1, retryTimeout: 9 });
    expect(adjustTimeouts({ ...config, ttl: 5, loopWait: 0, retryTimeout: 1 })).toMatchObject({ ttl: 20, loopWait: 1, retryTimeout: 3 });
  });
});
