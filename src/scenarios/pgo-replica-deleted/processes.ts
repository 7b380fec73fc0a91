/**
 * Patroni processes on the substrate's pods: a member runs while its pod's containers run on a
 * Ready node; it crashes with its node; it shuts down gracefully when its pod is deleted (stopping
 * PostgreSQL and deleting the leader key if it held it: P:`patroni/ha.py` `shutdown`). Its data
 * directory lives on the instance's pgdata PVC and outlives the pod and the StatefulSet.
 */
import { clockCancel, clockSchedule } from '../../sim/clock.ts';
import { nodeIsReady, type Pod } from '../../sim/cluster/index.ts';
import { writePod } from '../../sim/cluster/store.ts';
import type { HostEffect } from '../../sim/machine-host.ts';
import { dcsLeader, dcsRelease } from '../../machines/patroni-dcs/dcs.ts';
import {
  acceptsWrites,
  believesLeader,
  memberByName,
  patroniMemberCreate,
  patroniRemoveMember,
  patroniSend,
  patroniUpsertMember,
  pgState,
  promotionAudit,
  type PatroniCluster,
  type PatroniMember,
} from '../../machines/patroni-member/patroni-cluster.ts';
import { patroniHaCycle } from '../../machines/patroni-member/ha-perform.ts';
import { patroniFlushToReplicas } from '../../machines/patroni-member/wal.ts';
import { instancePvcName } from '../../machines/pgo-postgrescluster/postgrescluster.ts';
import { clusterLabel, instanceLabel, namespace, roleLabel, statsFindingsMax, type PgoWorld, type TimerPayload, type VolumeData } from './world.ts';

/** The pods of the PostgresCluster, by key. */
export function instancePods(world: PgoWorld): Pod[] {
  const keys = world.cluster.index.podsByLabel.get(`${clusterLabel}=${world.options.clusterName}`) ?? [];
  return keys.map((key) => world.cluster.pods.get(key)).filter((pod): pod is Pod => pod !== undefined);
}

function podNodeReady(world: PgoWorld, pod: Pod): boolean {
  const node = pod.spec.nodeName === null ? undefined : world.cluster.nodes.get(pod.spec.nodeName);
  return node !== undefined && nodeIsReady(node);
}

function shouldRun(world: PgoWorld, pod: Pod): boolean {
  return podNodeReady(world, pod) && pod.status.containerStatuses.some((status) => status.started);
}

/**
 * `derive(name)` for the few names a world holds, each built once: a string built anew on every
 * step is hashed anew by every lookup it keys, a kept one is hashed once.
 */
export class NameMemo {
  private readonly names = new Map<string, string>();

  constructor(
    private readonly derive: (name: string) => string,
    private readonly sizeMax: number,
  ) {}

  get(name: string): string {
    let derived = this.names.get(name);
    if (derived === undefined) {
      derived = this.derive(name);
      if (this.names.size >= this.sizeMax) this.names.clear();
      this.names.set(name, derived);
    }
    return derived;
  }
}

/** Names kept per memo; a run holds a handful of members and instances. */
const nameMemoSizeMax = 256;
/** `<namespace>/<name>`: the store key of a pod, StatefulSet or PVC. */
export const podKeyOf = new NameMemo((member) => `${namespace}/${member}`, nameMemoSizeMax);
const pvcNameOf = new NameMemo(instancePvcName, nameMemoSizeMax);
const haTimerIdOf = new NameMemo((member) => `ha/${member}`, nameMemoSizeMax);
// One HA timer payload per member, as one id: a payload made anew on every cycle is a new object for the explorer's hashing memo.
const haPayloads = new Map<string, TimerPayload & { readonly kind: 'ha' }>();

function haPayloadOf(member: string): TimerPayload & { readonly kind: 'ha' } {
  let payload = haPayloads.get(member);
  if (payload === undefined) {
    if (haPayloads.size >= nameMemoSizeMax) haPayloads.clear();
    payload = { kind: 'ha', member };
    haPayloads.set(member, payload);
  }
  return payload;
}

export function podOfMember(world: PgoWorld, member: string): Pod | undefined {
  return world.cluster.pods.get(podKeyOf.get(member));
}

function volumeOf(world: PgoWorld, pod: Pod): string {
  return pvcNameOf.get(pod.labels[instanceLabel] ?? pod.name);
}

/**
 * `{ ...record, [key]: value }` (same keys in the same order), built as a copy and one store: V8
 * builds a spread literal with a computed key in the runtime, about ten times slower.
 */
export function withEntry<V>(record: Readonly<Record<string, V>>, key: string, value: V): Record<string, V> {
  const copy = { ...record };
  copy[key] = value;
  return copy;
}

/** The volumes with `member`'s data directory saved on its pgdata PVC (the same object when nothing changed). */
/**
 * `record` without `key`, the others in their order: what `delete copy[key]` leaves, but built by
 * adding keys (a `delete` turns V8's object into a slow dictionary, read key by key ever after).
 */
export function without<V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> {
  const copy: Record<string, V> = {};
  for (const name of Object.keys(record)) if (name !== key) copy[name] = record[name] as V;
  return copy;
}

function savedVolumes(world: PgoWorld, member: PatroniMember): PgoWorld['volumes'] {
  const pod = podOfMember(world, member.name);
  const volume = pod === undefined ? instancePvcName(member.name.replace(/-0$/, '')) : volumeOf(world, pod);
  const existing = world.volumes[volume];
  if (existing !== undefined && existing.hasData === member.hasData && existing.walLsn === member.walLsn && existing.timeline === member.timeline) return world.volumes;
  const data: VolumeData = { hasData: member.hasData, walLsn: member.walLsn, timeline: member.timeline };
  return withEntry(world.volumes, volume, data);
}

function saveVolume(world: PgoWorld, member: PatroniMember): PgoWorld {
  const volumes = savedVolumes(world, member);
  return volumes === world.volumes ? world : { ...world, volumes };
}

function cancelMemberTimers(world: PgoWorld, member: string): PgoWorld {
  let clock = world.clock;
  for (const timer of world.clock.timers) {
    const payload = timer.payload;
    if ((payload.kind === 'ha' || payload.kind === 'pg') && payload.member === member) clock = clockCancel(clock, timer.id);
  }
  return clock === world.clock ? world : { ...world, clock };
}

/** Schedules or cancels the machine timers a Patroni step asked for. */
export function applyPgEffects(world: PgoWorld, effects: readonly { readonly member: string; readonly effect: HostEffect }[]): PgoWorld {
  const clock = pgEffectsOn(world.clock, effects);
  return clock === world.clock ? world : { ...world, clock };
}

function pgEffectsOn(clock: PgoWorld['clock'], effects: readonly { readonly member: string; readonly effect: HostEffect }[]): PgoWorld['clock'] {
  let next = clock;
  for (const { member, effect } of effects) {
    if (effect.kind === 'timer.schedule') next = clockSchedule(next, `pg/${member}/${effect.id}`, effect.delayTicks, { kind: 'pg', member, event: effect.event });
    else if (effect.kind === 'timer.cancel') next = clockCancel(next, `pg/${member}/${effect.id}`);
  }
  return next;
}

function startProcess(world: PgoWorld, pod: Pod): PgoWorld {
  const options = world.options;
  const data = world.volumes[volumeOf(world, pod)] ?? { hasData: false, walLsn: 0, timeline: 1 };
  const reachable = pod.spec.nodeName === null || !world.partitions.includes(pod.spec.nodeName);
  const durations = { startTicks: options.pgStartTicks, stopTicks: options.pgStopTicks, cloneTicks: options.cloneTicks, initdbTicks: options.initdbTicks };
  const member = patroniMemberCreate(pod.name, durations, data, reachable);
  const started = cancelMemberTimers(world, pod.name);
  return { ...started, patroni: patroniUpsertMember(started.patroni, member), clock: clockSchedule(started.clock, haTimerIdOf.get(pod.name), 0, haPayloadOf(pod.name)) };
}

function crashProcess(world: PgoWorld, member: PatroniMember): PgoWorld {
  const crashed = patroniSend(world.patroni, member.name, { type: 'pg.crash' });
  const dead = { ...memberByName(crashed.cluster, member.name), alive: false, leaseUntilTick: null, streaming: false };
  const patroni = { ...crashed.cluster, members: crashed.cluster.members.map((existing) => (existing.name === member.name ? dead : existing)) };
  return saveVolume(cancelMemberTimers({ ...world, patroni }, member.name), dead);
}

function shutdownProcess(world: PgoWorld, member: PatroniMember): PgoWorld {
  let next = saveVolume(world, member);
  let patroni = next.patroni;
  // P:`patroni/ha.py` `shutdown`: a live leader stops postgres and deletes the key so replicas race at once.
  // An isolated member can neither send its last WAL nor delete the key: the key then expires after ttl.
  if (member.alive && member.restReachable) patroni = patroniFlushToReplicas(patroni, member.name);
  if (member.alive && member.dcsReachable) patroni = { ...patroni, dcs: dcsRelease(patroni.dcs, member.name) };
  next = cancelMemberTimers({ ...next, patroni: patroniRemoveMember(patroni, member.name) }, member.name);
  return next;
}

/** Brings Patroni processes in line with pods and nodes after any substrate change. */
export function syncProcesses(world: PgoWorld): PgoWorld {
  let next = world;
  const pods = instancePods(world);
  for (const member of world.patroni.members) {
    const pod = pods.find((candidate) => candidate.name === member.name);
    if (pod === undefined) next = shutdownProcess(next, memberByName(next.patroni, member.name));
    else if (member.alive && !shouldRun(next, pod)) next = crashProcess(next, memberByName(next.patroni, member.name));
  }
  for (const pod of pods) {
    const member = next.patroni.members.find((candidate) => candidate.name === pod.name);
    if ((member === undefined || !member.alive) && shouldRun(next, pod)) next = startProcess(next, pod);
  }
  return next;
}

/** Members on an isolated node reach neither the DCS nor other members, and are not reached. */
export function syncReachability(world: PgoWorld): PgoWorld {
  let changed = false;
  const members = world.patroni.members.map((member) => {
    const node = podOfMember(world, member.name)?.spec.nodeName ?? null;
    const reachable = node === null || !world.partitions.includes(node);
    if (reachable === member.dcsReachable && reachable === member.restReachable) return member;
    changed = true;
    return { ...member, dcsReachable: reachable, restReachable: reachable };
  });
  return changed ? { ...world, patroni: { ...world.patroni, members } } : world;
}

/** The role label `touch_member` puts on the pod (PGO pins the leader value to `master`). */
function roleFor(patroni: PatroniCluster, member: PatroniMember, now: number): 'master' | 'replica' | null {
  if (dcsLeader(patroni.dcs, now) === member.name) return 'master';
  if (pgState(member) === 'running' && member.pg.context.role !== 'primary') return 'replica';
  return null;
}

function touchMember(world: PgoWorld, name: string): PgoWorld {
  const pod = podOfMember(world, name);
  if (pod === undefined) return world;
  const role = roleFor(world.patroni, memberByName(world.patroni, name), world.now);
  if ((pod.labels[roleLabel] ?? null) === role) return world;
  const labels = role === null ? without(pod.labels, roleLabel) : withEntry(pod.labels, roleLabel, role);
  // A patch that may remove the label: write the whole label map (indexes follow in writePod).
  return { ...world, cluster: writePod(world.cluster, podKeyOf.get(name), { ...pod, labels }) };
}

/**
 * One HA-loop iteration of `member`, then `touch_member`, then the next iteration's timer. `clock`
 * is the world's clock after the cycle's timer fired (the world itself is built once, at the end).
 */
export function runHaCycle(world: PgoWorld, member: string, clock: PgoWorld['clock'] = world.clock): PgoWorld {
  const before = world.patroni;
  const previousHolder = before.dcs.leader?.holder ?? null;
  const self = memberByName(before, member);
  const step = patroniHaCycle(before, member, world.now);
  const scheduled = clockSchedule(pgEffectsOn(clock, step.effects), haTimerIdOf.get(member), step.nextCycleTicks, haPayloadOf(member));
  const after = memberByName(step.cluster, member);
  let next: PgoWorld = { ...world, clock: scheduled, patroni: step.cluster, volumes: savedVolumes(world, after) };
  // A standby with data won the leader race (bootstrap's initdb is no race): audit it now, where
  // upstream decides, not when PostgreSQL finishes promoting (the failover key is gone by then).
  const won = dcsLeader(before.dcs, world.now) !== member && dcsLeader(step.cluster.dcs, world.now) === member;
  if (won && self.hasData && self.pg.context.role !== 'primary') next = noteTakeover(next, before, member, previousHolder);
  return touchMember(next, member);
}

function noteTakeover(world: PgoWorld, before: PatroniCluster, member: string, previousHolder: string | null): PgoWorld {
  const audit = promotionAudit(before, member);
  const previousPod = previousHolder === null || previousHolder === member ? undefined : podOfMember(world, previousHolder);
  const afterNodeDown = previousPod !== undefined && !podNodeReady(world, previousPod) && before.dcs.failover === null;
  if (audit === null && !afterNodeDown) return world;
  const stats = world.stats;
  return {
    ...world,
    stats: {
      ...stats,
      failoverAfterNodeDown: stats.failoverAfterNodeDown || afterNodeDown,
      ineligiblePromotions: audit === null ? stats.ineligiblePromotions : stats.ineligiblePromotions.concat([`tick ${world.now}: ${audit}`]).slice(-statsFindingsMax),
    },
  };
}

/** A PostgreSQL machine timer fired. */
export function runPgTimer(world: PgoWorld, member: string, event: { readonly type: string }): PgoWorld {
  if (!world.patroni.members.some((candidate) => candidate.name === member && candidate.alive)) return world;
  const step = patroniSend(world.patroni, member, event);
  const next = applyPgEffects({ ...world, patroni: step.cluster }, step.effects);
  return saveVolume(next, memberByName(next.patroni, member));
}

/** Members accepting writes now, and members believing they hold the key. */
export function writers(world: PgoWorld): string[] {
  return world.patroni.members.filter(acceptsWrites).map((member) => member.name);
}

export function leaseHolders(world: PgoWorld): string[] {
  return world.patroni.members.filter((member) => believesLeader(member, world.now)).map((member) => member.name);
}

/** `writers(world).length` without the list (a safety property asks it after every step). */
export function writerCount(world: PgoWorld): number {
  let count = 0;
  for (const member of world.patroni.members) if (acceptsWrites(member)) count++;
  return count;
}

/** `leaseHolders(world).length` without the list. */
export function leaseHolderCount(world: PgoWorld): number {
  let count = 0;
  for (const member of world.patroni.members) if (believesLeader(member, world.now)) count++;
  return count;
}
