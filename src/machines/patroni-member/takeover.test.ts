import { describe, expect, it } from 'vitest';
import { dcsLeader } from '../patroni-dcs/dcs.ts';
import { patroniDefaults, type PatroniConfig } from './patroni-config.ts';
import {
  acceptsWrites,
  memberByName,
  patroniClusterCreate,
  patroniMemberCreate,
  patroniSend,
  patroniUpsertMember,
  promotionAudit,
  type PatroniCluster,
  type PatroniMember,
  type PatroniStep,
} from './patroni-cluster.ts';
import { patroniHaCycle } from './ha-perform.ts';
import { patroniAdvanceWal } from './wal.ts';

const durations = { startTicks: 2, stopTicks: 1, cloneTicks: 5, initdbTicks: 3 };
const sync: PatroniConfig = { ...patroniDefaults, synchronousMode: 'on' };
const write = 1_000;
const catchUp = 8_000;

/** Fires the machine timers a step scheduled, at once. */
function settle(step: PatroniStep): PatroniCluster {
  let cluster = step.cluster;
  for (const { member, effect } of step.effects) {
    if (effect.kind === 'timer.schedule') cluster = settle(patroniSend(cluster, member, effect.event));
  }
  return cluster;
}

function update(cluster: PatroniCluster, name: string, change: Partial<PatroniMember>): PatroniCluster {
  return patroniUpsertMember(cluster, { ...memberByName(cluster, name), ...change });
}

/** `a` bootstraps and leads, `b` clones and runs as its replica (ticks 0–2). */
function twoMembers(config: PatroniConfig): PatroniCluster {
  let cluster = patroniClusterCreate('hippo-ha', config, true);
  cluster = patroniUpsertMember(cluster, patroniMemberCreate('a', durations, { hasData: false, walLsn: 0, timeline: 1 }, true));
  cluster = settle(patroniHaCycle(cluster, 'a', 0));
  cluster = patroniUpsertMember(cluster, patroniMemberCreate('b', durations, { hasData: false, walLsn: 0, timeline: 1 }, true));
  cluster = settle(patroniHaCycle(cluster, 'b', 1));
  return settle(patroniHaCycle(cluster, 'b', 2));
}

describe('synchronous mode: /sync follows pg_stat_replication (P:patroni/ha.py _process_multisync_replication)', () => {
  // Proves a sync standby that stops streaming is dropped from /sync at the leader's next HA loop, and a returning one is named again only once caught up.
  it('drops a standby that stopped streaming and re-adds it once caught up', () => {
    let cluster = patroniAdvanceWal(twoMembers(sync), 1, write, catchUp, 3);
    cluster = settle(patroniHaCycle(cluster, 'a', 3));
    expect(cluster.dcs.sync).toEqual({ leader: 'a', syncStandby: 'b' });
    // b's node is cut off: it stops streaming while a keeps writing.
    cluster = patroniAdvanceWal(update(cluster, 'b', { restReachable: false }), 20, write, catchUp, 4);
    expect(memberByName(cluster, 'b').streaming).toBe(false);
    cluster = settle(patroniHaCycle(cluster, 'a', 13));
    expect(cluster.dcs.sync).toEqual({ leader: 'a', syncStandby: null });
    // b streams again but is still behind: not yet synchronous.
    cluster = patroniAdvanceWal(update(cluster, 'b', { restReachable: true }), 1, write, catchUp, 24);
    expect(memberByName(cluster, 'b').streaming).toBe(true);
    expect(memberByName(cluster, 'b').walLsn).toBeLessThan(memberByName(cluster, 'a').walLsn);
    cluster = settle(patroniHaCycle(cluster, 'a', 25));
    expect(cluster.dcs.sync?.syncStandby).toBeNull();
    cluster = patroniAdvanceWal(cluster, 5, write, catchUp, 25);
    expect(memberByName(cluster, 'b').walLsn).toBe(memberByName(cluster, 'a').walLsn);
    cluster = settle(patroniHaCycle(cluster, 'a', 30));
    expect(cluster.dcs.sync).toEqual({ leader: 'a', syncStandby: 'b' });
  });
});

describe('one takeover, one promotion', () => {
  // Proves a member that wins the lock while PostgreSQL is still starting is promoted once it runs, with exactly one timeline bump.
  it('bumps the timeline once when the lock is won while starting', () => {
    let cluster = patroniAdvanceWal(twoMembers(patroniDefaults), 1, write, catchUp, 3);
    cluster = update(cluster, 'a', { alive: false, restReachable: false });
    cluster = settle(patroniSend(cluster, 'b', { type: 'pg.stop' }));
    const starting = patroniSend(cluster, 'b', { type: 'pg.start', role: 'replica' });
    cluster = { ...starting.cluster, dcs: { ...starting.cluster.dcs, failover: { leader: null, candidate: 'b', scheduledAtTick: null, action: 'failover' } } };
    const won = patroniHaCycle(cluster, 'b', 40);
    expect(dcsLeader(won.cluster.dcs, 40)).toBe('b');
    expect(won.cluster.dcs.history).toEqual([]);
    expect(memberByName(won.cluster, 'b').pg.context.role).toBe('replica');
    cluster = settle({ ...won, effects: starting.effects });
    expect(memberByName(cluster, 'b').pg.value).toBe('running');
    cluster = settle(patroniHaCycle(cluster, 'b', 50));
    expect(acceptsWrites(memberByName(cluster, 'b'))).toBe(true);
    cluster = settle(patroniHaCycle(cluster, 'b', 60));
    expect(cluster.dcs.history.map((entry) => entry.timeline)).toEqual([1]);
    expect(memberByName(cluster, 'b').timeline).toBe(2);
  });
});

describe('promotionAudit (the rules at the leader race)', () => {
  // Proves the audit exempts a manual failover from the lag check and applies it to an automatic one, and keeps async members out in synchronous mode.
  it('checks lag only without a failover key, and /sync membership in synchronous mode', () => {
    const base = twoMembers(patroniDefaults);
    const lagging = { ...base, dcs: { ...base.dcs, leaderLsn: memberByName(base, 'b').walLsn + patroniDefaults.maximumLagOnFailover + 1 } };
    expect(promotionAudit(lagging, 'b')).toContain('bytes behind the leader');
    const manual = { ...lagging, dcs: { ...lagging.dcs, failover: { leader: 'a', candidate: null, scheduledAtTick: null, action: 'switchover' as const } } };
    expect(promotionAudit(manual, 'b')).toBeNull();
    const syncOn = { ...base, config: sync, dcs: { ...base.dcs, sync: { leader: 'a', syncStandby: null } } };
    expect(promotionAudit(syncOn, 'b')).toContain('without being in /sync');
    const switchover = { ...syncOn, dcs: { ...syncOn.dcs, failover: { leader: 'a', candidate: null, scheduledAtTick: null, action: 'switchover' as const } } };
    expect(promotionAudit(switchover, 'b')).toContain('during a switchover');
    const failoverToB = { ...syncOn, dcs: { ...syncOn.dcs, failover: { leader: null, candidate: 'b', scheduledAtTick: null, action: 'failover' as const } } };
    expect(promotionAudit(failoverToB, 'b')).toBeNull();
  });
});
