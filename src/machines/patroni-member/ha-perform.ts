/**
 * One HA-loop iteration of a member on the cluster: {@link haDecide} (ha-loop.ts) decides, and the
 * functions here perform the decision: DCS writes (renew, acquire, release, failover key, `/sync`),
 * PostgreSQL events to the member's machine, timeline bumps on promotion, and pg_rewind.
 * Pure: every function returns a new cluster.
 */
import { assert, unreachable } from '../../sim/assert.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { Dcs } from '../patroni-dcs/dcs.ts';
import { dcsAcquire, dcsRecordPromotion, dcsRelease, dcsRenew, dcsSwitchLsn, dcsTimeline } from '../patroni-dcs/dcs.ts';
import { haDecide, type HaDecision } from './ha-loop.ts';
import { acceptsWrites, clusterOf, memberByName, patroniSend, pgState, refreshRecords, replaceMember, type PatroniCluster, type PatroniMember, type PatroniStep } from './patroni-cluster.ts';

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
