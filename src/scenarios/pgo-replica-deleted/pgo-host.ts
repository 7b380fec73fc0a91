/**
 * PGO's controller around its reconcile: the view its informers give it, the work queue (a watch
 * event marks the cluster dirty; an error requeues with controller-runtime's per-item exponential
 * backoff, 5 ms doubling up to 1000 s), the writes it applies, and the `kubectl exec` of
 * `patronictl` that a switchover waits on.
 */
import { clockCancel, clockSchedule } from '../../sim/clock.ts';
import { clusterCreateStatefulSet, clusterEnsurePvc, nodeIsReady, podIsReady, recordEvent, type Pod } from '../../sim/cluster/index.ts';
import type { ControllerError } from '../../sim/model.ts';
import { dcsLeader, type Dcs } from '../../machines/patroni-dcs/dcs.ts';
import { pgState } from '../../machines/patroni-member/patroni-cluster.ts';
import { ctlFailoverStart, ctlPrintReply, restPollFailover, type ExecResult } from '../../machines/patroni-member/rest-api.ts';
import { type InstancePod, type PatronictlMember, type PgoView } from '../../machines/pgo-postgrescluster/postgrescluster.ts';
import { pgoReconcile, pgoResume, type PgoExecRequest, type PgoProfile, type PgoWrite, type ReconcileOutcome } from '../../machines/pgo-postgrescluster/reconcile.ts';
import { instancePods, podOfMember, withEntry } from './processes.ts';
import { sameJson } from './same-json.ts';
import { clusterLabel, instanceLabel, instanceSetLabel, namespace, pgoControllerName, roleLabel, type ExecState, type PgoControllerState, type PgoWorld } from './world.ts';

/** controller-runtime `DefaultControllerRateLimiter`: 5 ms × 2^(failures-1), at most 1000 s, in whole ticks. */
export function backoffTicks(failures: number): number {
  const millis = 5 * 2 ** Math.min(Math.max(failures - 1, 0), 30);
  return Math.min(1000, Math.max(1, Math.ceil(millis / 1000)));
}

function memberDcs(world: PgoWorld, podName: string): Dcs | null {
  const member = world.patroni.members.find((candidate) => candidate.name === podName);
  if (member === undefined || !member.alive || !member.dcsReachable) return null;
  return world.patroni.dcs;
}

function execReachable(world: PgoWorld, pod: Pod | undefined): boolean {
  const node = pod?.spec.nodeName === null || pod === undefined ? undefined : world.cluster.nodes.get(pod.spec.nodeName);
  // kubectl exec goes through the API server to the node's kubelet: an isolated node cannot be reached.
  return node !== undefined && nodeIsReady(node) && !world.partitions.includes(node.name) && pod !== undefined && pod.status.containerStatuses.some((status) => status.started);
}

/** `patronictl list --format json` as a member answers it (replicas show their replication state, Patroni ≥ 3.0.4). */
function patronictlList(world: PgoWorld, podName: string): ReturnType<PgoView['patronictlList']> {
  const dcs = memberDcs(world, podName);
  if (!execReachable(world, podOfMember(world, podName)) || dcs === null) return { exitCode: 1, stderr: 'Error: Failed to get list of machines from DCS', members: [] };
  const leader = dcsLeader(dcs, world.now);
  const members: PatronictlMember[] = world.patroni.members.map((member) => {
    const role = member.name === leader ? 'Leader' : dcs.sync?.syncStandby === member.name ? 'Sync Standby' : 'Replica';
    const state = member.name !== leader && member.streaming ? 'streaming' : member.alive ? pgState(member) : 'stopped';
    return { Member: member.name, Role: role, State: state, TL: member.timeline };
  });
  return { exitCode: 0, stderr: '', members };
}

/** The view's pods: a function of the pods record (and the cluster name). */
function viewPods(world: PgoWorld): readonly InstancePod[] {
  return instancePods(world).map((pod) => ({
    name: pod.name,
    instance: pod.labels[instanceLabel] ?? '',
    instanceSet: pod.labels[instanceSetLabel] ?? '',
    databaseRunning: pod.status.containerStatuses.some((status) => status.name === 'database' && 'running' in status.state),
    ready: podIsReady(pod),
    roleLabel: (pod.labels[roleLabel] as 'master' | 'replica' | undefined) ?? null,
    terminating: pod.deletionTick !== null,
  }));
}

/** The view's StatefulSets: a function of the StatefulSets record (and the cluster name). */
function viewStatefulSets(world: PgoWorld): PgoView['statefulSets'] {
  return Object.values(world.cluster.statefulSets)
    .filter((set) => set.template.labels[clusterLabel] === world.options.clusterName)
    .map((set) => ({ name: set.name, instanceSet: set.template.labels[instanceSetLabel] ?? '' }))
    .sort((left, right) => (left.name < right.name ? -1 : 1));
}

/** The view's PVCs: a function of the PVCs record (and the cluster name). */
function viewPvcs(world: PgoWorld): PgoView['pvcs'] {
  return world.cluster.pvcs.values()
    .filter((pvc) => pvc.labels[clusterLabel] === world.options.clusterName)
    .map((pvc) => ({ name: pvc.name, instance: pvc.labels[instanceLabel] ?? '', instanceSet: pvc.labels[instanceSetLabel] ?? '', terminating: false }))
    .sort((left, right) => (left.name < right.name ? -1 : 1));
}

/**
 * A view list kept per the record it is a function of (worlds share structure: most reconciles
 * find the pods, StatefulSets and PVCs of the reconcile before). The lists are read-only data.
 */
class ViewListCache<K extends object, V> {
  private readonly lists = new WeakMap<K, { readonly clusterName: string; readonly list: V }>();

  constructor(private readonly make: (world: PgoWorld) => V) {}

  get(world: PgoWorld, source: K): V {
    const clusterName = world.options.clusterName;
    const cached = this.lists.get(source);
    if (cached !== undefined && cached.clusterName === clusterName) return cached.list;
    const list = this.make(world);
    this.lists.set(source, { clusterName, list });
    return list;
  }
}

const podsViews = new ViewListCache<PgoWorld['cluster']['pods'], readonly InstancePod[]>(viewPods);
const statefulSetsViews = new ViewListCache<PgoWorld['cluster']['statefulSets'], PgoView['statefulSets']>(viewStatefulSets);
const pvcsViews = new ViewListCache<PgoWorld['cluster']['pvcs'], PgoView['pvcs']>(viewPvcs);

/** What PGO's informers hold, plus `kubectl exec` into pods. `cached` false builds every list anew (the plain computation). */
export function pgoView(world: PgoWorld, cached = true): PgoView {
  const { pods, statefulSets, pvcs } = world.cluster;
  return {
    now: world.now,
    cluster: world.postgres,
    statefulSets: cached ? statefulSetsViews.get(world, statefulSets) : viewStatefulSets(world),
    pods: cached ? podsViews.get(world, pods) : viewPods(world),
    pvcs: cached ? pvcsViews.get(world, pvcs) : viewPvcs(world),
    dcsInitialize: world.patroni.dcs.initialize,
    patronictlList: (pod) => patronictlList(world, pod),
  };
}

/** What PGO's watches react to: the cluster object, its StatefulSets (any change), pods becoming primary. */
// The last key made, by its inputs: consecutive steps mostly share both, and then get the very same string.
let lastWatchKey: { readonly cluster: PgoWorld['cluster']; readonly version: number; readonly clusterName: string; readonly key: string } | null = null;

// Worlds share structure: each part of the key is kept per object it is a function of (the
// StatefulSets record; the pods record, with the cluster name), so a step that wrote neither
// (an Event, a PVC, a node) finds both. Most steps change neither part.
const setsPartCache = new WeakMap<PgoWorld['cluster']['statefulSets'], string>();
const primariesPartCache = new WeakMap<PgoWorld['cluster']['pods'], { readonly clusterName: string; readonly part: string }>();

// Keys made, by parts and version: equal inputs give the very same string, so `notePgoWatch`
// compares pointers (and makes no text) where the key did not change, most steps.
const keysByParts = new Map<string, Map<string, Map<number, string>>>();
/** Distinct StatefulSet parts kept (a run has a handful; cleared beyond). */
const keysBySetsMax = 256;

function setsPart(world: PgoWorld): string {
  const statefulSets = world.cluster.statefulSets;
  let part = setsPartCache.get(statefulSets);
  if (part === undefined) {
    part = Object.values(statefulSets).map((set) => `${set.name}@${set.resourceVersion}`).sort().join(',');
    setsPartCache.set(statefulSets, part);
  }
  return part;
}

function primariesPart(world: PgoWorld): string {
  const pods = world.cluster.pods;
  const clusterName = world.options.clusterName;
  const cached = primariesPartCache.get(pods);
  if (cached !== undefined && cached.clusterName === clusterName) return cached.part;
  // The names of the pods labelled primary, joined with commas (as the plain key's join writes them).
  let part = '';
  let first = true;
  for (const pod of instancePods(world)) {
    if (pod.labels[roleLabel] !== 'master') continue;
    part = first ? pod.name : `${part},${pod.name}`;
    first = false;
  }
  primariesPartCache.set(pods, { clusterName, part });
  return part;
}

function internedKey(version: number, sets: string, primaries: string): string {
  let bySets = keysByParts.get(sets);
  if (bySets === undefined) {
    if (keysByParts.size >= keysBySetsMax) keysByParts.clear();
    keysByParts.set(sets, (bySets = new Map()));
  }
  let byPrimaries = bySets.get(primaries);
  if (byPrimaries === undefined) bySets.set(primaries, (byPrimaries = new Map()));
  let key = byPrimaries.get(version);
  if (key === undefined) {
    key = `${version}|${sets}|${primaries}`;
    byPrimaries.set(version, key);
  }
  return key;
}

export function pgoWatchKey(world: PgoWorld): string {
  const last = lastWatchKey;
  const clusterName = world.options.clusterName;
  if (last !== null && last.cluster === world.cluster && last.version === world.postgresVersion && last.clusterName === clusterName) return last.key;
  const key = internedKey(world.postgresVersion, setsPart(world), primariesPart(world));
  lastWatchKey = { cluster: world.cluster, version: world.postgresVersion, clusterName, key };
  return key;
}

/** The plain watch key (what {@link pgoWatchKey} keeps; fast-paths.test.ts compares them). */
export function pgoWatchKeyPlain(world: PgoWorld): string {
  const sets = Object.values(world.cluster.statefulSets).map((set) => `${set.name}@${set.resourceVersion}`).sort().join(',');
  const primaries = instancePods(world).filter((pod) => pod.labels[roleLabel] === 'master').map((pod) => pod.name).join(',');
  return `${world.postgresVersion}|${sets}|${primaries}`;
}

/** PGO's controller state after its watches looked at `world`: the same object when nothing it watches changed, else marked dirty. */
export function watchedPgo(world: PgoWorld): PgoControllerState {
  const key = pgoWatchKey(world);
  if (key === world.pgo.watchKey) return world.pgo;
  return { ...world.pgo, watchKey: key, dirty: true };
}

/** {@link watchedPgo} computed from the plain key (fast-paths.test.ts compares them). */
export function watchedPgoPlain(world: PgoWorld): PgoControllerState {
  const key = pgoWatchKeyPlain(world);
  return key === world.pgo.watchKey ? world.pgo : { ...world.pgo, watchKey: key, dirty: true };
}

/** Marks the cluster dirty when something PGO watches changed since it last looked. */
export function notePgoWatch(world: PgoWorld): PgoWorld {
  const pgo = watchedPgo(world);
  return pgo === world.pgo ? world : { ...world, pgo };
}

function applyWrite(world: PgoWorld, write: PgoWrite): PgoWorld {
  const name = world.options.clusterName;
  switch (write.kind) {
    case 'pvc.apply': {
      const labels = { [clusterLabel]: name, [instanceSetLabel]: write.instanceSet, [instanceLabel]: write.instance, 'postgres-operator.crunchydata.com/data': 'postgres' };
      const cluster = clusterEnsurePvc(world.cluster, namespace, write.name, 1024, labels, world.now);
      const volumes = write.name in world.volumes ? world.volumes : withEntry(world.volumes, write.name, { hasData: false, walLsn: 0, timeline: 1 });
      return { ...world, cluster, volumes };
    }
    case 'statefulset.apply': {
      if (`${namespace}/${write.name}` in world.cluster.statefulSets) return world;
      const labels = { [clusterLabel]: name, [instanceSetLabel]: write.instanceSet, [instanceLabel]: write.name, 'postgres-operator.crunchydata.com/data': 'postgres' };
      const cluster = clusterCreateStatefulSet(world.cluster, { name: write.name, namespace, replicas: 1, template: { labels, containers: [{ name: 'database', image: 'crunchydata/crunchy-postgres:16' }] } });
      return { ...world, cluster };
    }
    case 'event':
      return { ...world, cluster: recordEvent(world.cluster, write.event, world.now) };
    default: {
      const never: never = write;
      return never;
    }
  }
}

function noteError(errors: readonly ControllerError[], key: string, message: string, now: number): readonly ControllerError[] {
  const existing = errors.find((error) => error.message === message);
  const updated: ControllerError = { controller: pgoControllerName, key, message, count: (existing?.count ?? 0) + 1, lastTick: now };
  return errors.filter((error) => error !== existing).concat([updated]).slice(-8);
}

/** Applies what a reconcile produced: writes, status, then success (forget) or error (requeue with backoff). */
function finishReconcile(world: PgoWorld, outcome: ReconcileOutcome & { kind: 'done' }): PgoWorld {
  let next = outcome.state.writes.reduce(applyWrite, world);
  // A status patch that changes nothing writes nothing and wakes no watch (the same JSON text: same-json.ts).
  if (!sameJson(outcome.state.status, next.postgres.status)) {
    next = { ...next, postgres: { ...next.postgres, status: outcome.state.status }, postgresVersion: next.postgresVersion + 1 };
  }
  const key = `${namespace}/${next.options.clusterName}`;
  if (outcome.error === null) {
    return { ...next, clock: clockCancel(next.clock, 'pgo/requeue'), pgo: { ...next.pgo, failures: 0, inFlight: null } };
  }
  const failures = next.pgo.failures + 1;
  const clock = clockSchedule(next.clock, 'pgo/requeue', backoffTicks(failures), { kind: 'pgo.requeue' });
  return { ...next, clock, pgo: { ...next.pgo, failures, inFlight: null, errors: noteError(next.pgo.errors, key, outcome.error.message, next.now) } };
}

function handleOutcome(world: PgoWorld, outcome: ReconcileOutcome): PgoWorld {
  if (outcome.kind === 'done') return finishReconcile(world, outcome);
  return startExec(world, outcome.suspended.request, outcome);
}

/** The reconcile action: take the queued item and run the profile's steps. */
export function runReconcile(world: PgoWorld, profile: PgoProfile): PgoWorld {
  const taken = { ...world, pgo: { ...world.pgo, dirty: false, reconciles: world.pgo.reconciles + 1 } };
  return handleOutcome(taken, pgoReconcile(profile, pgoView(taken)));
}

function startExec(world: PgoWorld, request: PgoExecRequest, outcome: ReconcileOutcome & { kind: 'suspended' }): PgoWorld {
  const done = (result: ExecResult): PgoWorld => ({ ...world, pgo: { ...world.pgo, inFlight: { suspended: outcome.suspended, exec: { kind: 'done', result } } } });
  const pod = podOfMember(world, request.pod);
  const dcs = memberDcs(world, request.pod);
  if (!execReachable(world, pod)) return done({ exitCode: 1, stdout: '', stderr: 'error dialing backend' });
  const config = world.patroni.config;
  const started = ctlFailoverStart(dcs, world.now, config, request.command, request.candidate);
  if ('done' in started) return done(started.done);
  const leader = started.leader;
  const leaderMember = leader === null ? undefined : world.patroni.members.find((member) => member.name === leader);
  // P:`patroni/ctl.py`: the HTTP request goes to the leader's REST API; if it throws, ctl writes the key itself.
  if (leaderMember === undefined || !leaderMember.alive) {
    const key = { leader, candidate: request.candidate, scheduledAtTick: null, action: request.command };
    const patroni = { ...world.patroni, dcs: { ...world.patroni.dcs, failover: key } };
    return { ...done({ exitCode: 0, stdout: `Could not ${request.command} using Patroni api, falling back to DCS`, stderr: '' }), patroni };
  }
  const rest = started.start;
  if ('pending' in rest) {
    const patroni = { ...world.patroni, dcs: { ...world.patroni.dcs, failover: rest.key } };
    const exec: ExecState = { kind: 'polling', pending: rest.pending, candidate: request.candidate };
    const clock = clockSchedule(world.clock, 'pgo/exec-deadline', rest.pending.deadlineTick - world.now, { kind: 'pgo.exec.deadline' });
    return { ...world, patroni, clock, pgo: { ...world.pgo, inFlight: { suspended: outcome.suspended, exec } } };
  }
  return done(ctlPrintReply(request.command, rest.reply));
}

/** The exec's result when it is available now, else null. */
export function execResult(world: PgoWorld): ExecResult | null {
  const inFlight = world.pgo.inFlight;
  if (inFlight === null) return null;
  if (inFlight.exec.kind === 'done') return inFlight.exec.result;
  const reply = restPollFailover(inFlight.exec.pending, world.patroni.dcs, world.now);
  return reply === null ? null : ctlPrintReply(inFlight.exec.pending.action, reply);
}

/** The reconcile continues after its exec returned. */
export function resumeReconcile(world: PgoWorld, profile: PgoProfile): PgoWorld {
  const inFlight = world.pgo.inFlight;
  const result = execResult(world);
  if (inFlight === null || result === null) throw new Error('no exec result to resume with');
  const cleared = { ...world, clock: clockCancel(world.clock, 'pgo/exec-deadline') };
  const outcome = pgoResume(profile, pgoView(cleared), inFlight.suspended, result);
  const succeeded = outcome.kind === 'done' && outcome.state.status.patroni.switchover !== cleared.postgres.status.patroni.switchover && outcome.state.status.patroni.switchover !== null;
  const next = handleOutcome(cleared, outcome);
  return succeeded ? { ...next, stats: { ...next.stats, switchoversCompleted: next.stats.switchoversCompleted + 1 } } : next;
}

/** The leader member's name as PGO would read it from the pod labels. */
export function labelledPrimary(world: PgoWorld): string | null {
  return instancePods(world).find((pod) => pod.labels[roleLabel] === 'master')?.name ?? null;
}

