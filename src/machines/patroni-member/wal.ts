/**
 * WAL on the cluster: it advances on the primary that accepts writes, streams to running replicas on
 * the leader's history, and reaches them all on a primary's clean shutdown. Pure: every function
 * returns a new cluster.
 */
import type { Tick } from '../../sim/ticks.ts';
import type { Dcs } from '../patroni-dcs/dcs.ts';
import { dcsLeader } from '../patroni-dcs/dcs.ts';
import { hasDiverged } from './ha-loop.ts';
import { acceptsWrites, clusterOf, memberByName, pgState, refreshRecords, type PatroniCluster, type PatroniMember } from './patroni-cluster.ts';

/** A primary's clean shutdown sends every WAL record to its streaming replicas first. */
export function patroniFlushToReplicas(cluster: PatroniCluster, name: string): PatroniCluster {
  const leader = memberByName(cluster, name);
  if (leader.pg.context.role !== 'primary') return cluster;
  const members = cluster.members.map((member) => (member.name !== name && member.streaming && member.timeline === leader.timeline ? { ...member, walLsn: leader.walLsn } : member));
  return refreshRecords({ ...cluster, members });
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
