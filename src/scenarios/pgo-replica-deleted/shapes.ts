/**
 * One object shape per kind of world part. Every step builds its parts with spreads
 * (`{ ...world, clock }`), and V8 gives each spread site's result a map of its own: after a few steps
 * the worlds, members, DCS objects and clocks come in many maps, every property read and every
 * spread that meets them turns megamorphic, and a spread then costs about ten times more (measured:
 * 340 ns against 27 ns for a world). So each step's result is rebuilt here, once, from literals
 * with the fields in the order the objects are first created in (`emptyWorld`, `dcsCreate`,
 * `patroniMemberCreate`, `clockCreate`): the same data, the same key order, one map per kind. Only
 * the parts the step replaced are rebuilt; untouched parts keep their identity (caches and the
 * explorer's hashing memo key on it).
 */
import type { Dcs } from '../../machines/patroni-dcs/dcs.ts';
import type { PatroniCluster, PatroniMember } from '../../machines/patroni-member/patroni-cluster.ts';
import type { PgoControllerState, PgoWorld } from './world.ts';

function shapedMember(m: PatroniMember): PatroniMember {
  return {
    name: m.name, pg: m.pg, hasData: m.hasData, walLsn: m.walLsn, timeline: m.timeline, nofailover: m.nofailover, failoverPriority: m.failoverPriority,
    releasedLeaderKeyTick: m.releasedLeaderKeyTick, streaming: m.streaming, rewindFailed: m.rewindFailed, alive: m.alive, dcsReachable: m.dcsReachable,
    restReachable: m.restReachable, dcsRetrySinceTick: m.dcsRetrySinceTick, leaseUntilTick: m.leaseUntilTick, lastMessage: m.lastMessage,
  };
}

function shapedDcs(d: Dcs): Dcs {
  return { scope: d.scope, initialize: d.initialize, leader: d.leader, transitions: d.transitions, leaderLsn: d.leaderLsn, history: d.history, failover: d.failover, sync: d.sync, members: d.members };
}

function shapedMembers(before: readonly PatroniMember[], after: readonly PatroniMember[]): readonly PatroniMember[] {
  if (after === before) return after;
  return after.map((member) => (before.includes(member) ? member : shapedMember(member)));
}

function shapedPatroni(before: PatroniCluster, after: PatroniCluster): PatroniCluster {
  if (after === before) return after;
  const dcs = after.dcs === before.dcs ? after.dcs : shapedDcs(after.dcs);
  return { config: after.config, dcs, members: shapedMembers(before.members, after.members), rewindSucceeds: after.rewindSucceeds };
}

function shapedClock(before: PgoWorld['clock'], after: PgoWorld['clock']): PgoWorld['clock'] {
  return after === before ? after : { now: after.now, sequence: after.sequence, timers: after.timers };
}

function shapedPgo(before: PgoControllerState, after: PgoControllerState): PgoControllerState {
  if (after === before) return after;
  return { dirty: after.dirty, watchKey: after.watchKey, failures: after.failures, inFlight: after.inFlight, errors: after.errors, reconciles: after.reconciles };
}

/**
 * `after` (a step's result from `before`) with the parts the step replaced rebuilt in their one
 * shape; `pgo` in place of `after.pgo` when given (the controller state after its watches looked,
 * so that marking it dirty needs no world of its own).
 */
export function shapedWorld(before: PgoWorld, after: PgoWorld, pgo: PgoControllerState = after.pgo): PgoWorld {
  return {
    options: after.options,
    profile: after.profile,
    vocabulary: after.vocabulary,
    now: after.now,
    clock: shapedClock(before.clock, after.clock),
    cluster: after.cluster,
    patroni: shapedPatroni(before.patroni, after.patroni),
    postgres: after.postgres,
    postgresVersion: after.postgresVersion,
    pgo: shapedPgo(before.pgo, pgo),
    volumes: after.volumes,
    partitions: after.partitions,
    orphans: after.orphans,
    requestsMade: after.requestsMade,
    stats: after.stats,
  };
}
