/**
 * What must hold in a PGO + Patroni world: leader safety at every step, and once the environment
 * settles, the instances the spec asks for, one leader, and no switchover left pending silently.
 */
import { nodeIsReady } from '../../sim/cluster/index.ts';
import { always, eventually, sometimes, type Explanation, type Property } from '../../sim/property.ts';
import { dcsLeader } from '../../machines/patroni-dcs/dcs.ts';
import { acceptsWrites, pgState } from '../../machines/patroni-member/patroni-cluster.ts';
import { satisfiesTimingRule } from '../../machines/patroni-member/patroni-config.ts';
import { instancePodName, switchoverPending } from '../../machines/pgo-postgrescluster/postgrescluster.ts';
import { leaseHolderCount, leaseHolders, NameMemo, podKeyOf, writerCount, writers } from './processes.ts';
import { clusterLabel, instanceLabel, namespace, type PgoWorld } from './world.ts';

/** Pod names of instances, built once each. */
const podNameOf = new NameMemo(instancePodName, 256);

/** Instance names PGO should be running: every pgdata PVC of the cluster names one. */
function knownInstances(world: PgoWorld): string[] {
  return [...new Set(world.cluster.pvcs.values().filter((pvc) => pvc.labels[clusterLabel] === world.options.clusterName).map((pvc) => pvc.labels[instanceLabel] ?? ''))]
    .filter((name) => name !== '')
    .sort();
}

/** Why an instance is not running, or null when its StatefulSet, pod and PostgreSQL all run. */
export function instanceProblem(world: PgoWorld, instance: string): string | null {
  if (!(`${namespace}/${instance}` in world.cluster.statefulSets)) return `StatefulSet ${instance} is missing (its PVC ${instance}-pgdata remains)`;
  const podName = instancePodName(instance);
  const pod = world.cluster.pods.get(`${namespace}/${podName}`);
  if (pod === undefined) return `pod ${podName} does not exist`;
  const node = pod.spec.nodeName === null ? undefined : world.cluster.nodes.get(pod.spec.nodeName);
  if (pod.status.phase !== 'Running' || node === undefined || !nodeIsReady(node)) return `pod ${podName} is not running`;
  const member = world.patroni.members.find((candidate) => candidate.name === podName);
  if (member === undefined || !member.alive || pgState(member) !== 'running') return `PostgreSQL in ${podName} is ${member === undefined ? 'not started' : pgState(member)}`;
  return null;
}

/** `instanceProblem(world, instance) === null`, without writing the problem out. */
function instanceRuns(world: PgoWorld, instance: string): boolean {
  if (!(podKeyOf.get(instance) in world.cluster.statefulSets)) return false;
  const podName = podNameOf.get(instance);
  const pod = world.cluster.pods.get(podKeyOf.get(podName));
  if (pod === undefined) return false;
  const node = pod.spec.nodeName === null ? undefined : world.cluster.nodes.get(pod.spec.nodeName);
  if (pod.status.phase !== 'Running' || node === undefined || !nodeIsReady(node)) return false;
  const member = world.patroni.members.find((candidate) => candidate.name === podName);
  return member !== undefined && member.alive && pgState(member) === 'running';
}

// The known instances change only with the PVCs: kept per PVC map (and cluster name).
const knownInstancesCache = new WeakMap<PgoWorld['cluster']['pvcs'], { readonly clusterName: string; readonly instances: readonly string[] }>();

function knownInstancesKept(world: PgoWorld): readonly string[] {
  const cached = knownInstancesCache.get(world.cluster.pvcs);
  if (cached !== undefined && cached.clusterName === world.options.clusterName) return cached.instances;
  const instances = knownInstances(world);
  knownInstancesCache.set(world.cluster.pvcs, { clusterName: world.options.clusterName, instances });
  return instances;
}

export function runningInstances(world: PgoWorld): number {
  let running = 0;
  for (const instance of knownInstancesKept(world)) if (instanceRuns(world, instance)) running++;
  return running;
}

/** The plain count (what {@link runningInstances} computes faster; fast-paths.test.ts compares them). */
export function runningInstancesPlain(world: PgoWorld): number {
  return knownInstances(world).filter((instance) => instanceProblem(world, instance) === null).length;
}

export function desiredInstances(world: PgoWorld): number {
  return world.postgres.spec.instances.reduce((sum, set) => sum + set.replicas, 0);
}

/** How the switchover settings stand, in words. */
export function switchoverText(world: PgoWorld): string {
  const cr = world.postgres;
  const spec = cr.spec.switchover;
  const enabled = spec === null ? 'no spec.patroni.switchover' : `enabled: ${spec.enabled}${spec.targetInstance === null ? '' : `, targetInstance: ${spec.targetInstance}`}`;
  const state = switchoverPending(cr) ? 'pending' : 'not pending';
  return `switchover ${state}: trigger-switchover annotation ${cr.triggerSwitchover ?? '(none)'}, status.patroni.switchover ${cr.status.patroni.switchover ?? '(none)'}, ${enabled}`;
}

function errorLines(world: PgoWorld): string[] {
  return world.pgo.errors.map((error) => `PGO reconcile error "${error.message}" ×${error.count} (last at tick ${error.lastTick})`);
}

export function clusterPhase(world: PgoWorld): string {
  return `instances ${runningInstances(world)}/${desiredInstances(world)}`;
}

function subject(world: PgoWorld) {
  return { kind: 'PostgresCluster', name: world.options.clusterName, phase: clusterPhase(world) };
}

function explainInstances(world: PgoWorld): Explanation {
  const missing = knownInstances(world).flatMap((instance) => {
    const problem = instanceProblem(world, instance);
    return problem === null ? [] : [`instance ${instance}: ${problem}`];
  });
  const lastError = world.pgo.errors[world.pgo.errors.length - 1];
  const reason = `${clusterPhase(world)} running: ${missing.join('; ') || 'an instance was never created'}${lastError ? `; PGO keeps failing with "${lastError.message}" (×${lastError.count})` : ''}; ${switchoverText(world)}`;
  return { subject: subject(world), reason, details: [...missing, ...errorLines(world), switchoverText(world)] };
}

function leader(world: PgoWorld): string | null {
  const holder = dcsLeader(world.patroni.dcs, world.now);
  const member = world.patroni.members.find((candidate) => candidate.name === holder);
  return member !== undefined && acceptsWrites(member) ? member.name : null;
}

/** The switchover is still failing and its latest failure is on record as a Warning Event on the cluster. */
export function reportedFailed(world: PgoWorld): boolean {
  const last = world.pgo.errors[world.pgo.errors.length - 1];
  if (world.pgo.failures === 0 || last === undefined) return false;
  const about = `PostgresCluster/${world.options.clusterName}`;
  return world.cluster.events.some((row) => row.involvedObject === about && row.type === 'Warning' && row.reason === 'SwitchoverFailed' && row.message === last.message && row.lastTick === last.lastTick);
}

export const pgoProperties: readonly Property<PgoWorld>[] = [
  always(
    'at most one member holds the leader key',
    (world) => leaseHolderCount(world) <= 1,
    (world) => ({ reason: `members believing they hold the leader key: ${leaseHolders(world).join(', ')}` }),
  ),
  always(
    'with loop_wait + 2*retry_timeout <= ttl, at most one member accepts writes as primary',
    (world) => !satisfiesTimingRule(world.patroni.config) || writerCount(world) <= 1,
    (world) => ({ reason: `split brain: ${writers(world).join(' and ')} accept writes as primary` }),
  ),
  always(
    'every promoted member was eligible under the rules in force',
    (world) => world.stats.ineligiblePromotions.length === 0,
    (world) => ({ reason: world.stats.ineligiblePromotions.join('; ') }),
  ),
  eventually('the cluster runs as many instances as its spec asks for', (world) => runningInstances(world) === desiredInstances(world), explainInstances),
  eventually(
    'the cluster has exactly one leader',
    (world) => leader(world) !== null,
    (world) => ({ subject: subject(world), reason: `no member holds the leader key and accepts writes; ${world.patroni.members.map((member) => `${member.name}: ${member.lastMessage}`).join('; ')}` }),
  ),
  eventually(
    'every pending switchover is completed or reported as failed',
    (world) => !switchoverPending(world.postgres) || reportedFailed(world),
    (world) => ({ subject: subject(world), reason: `${switchoverText(world)}; no Warning Event reports it`, details: errorLines(world) }),
  ),
  sometimes('a switchover completes', (world) => world.stats.switchoversCompleted > 0),
  sometimes('an automatic failover happens after the leader node goes down', (world) => world.stats.failoverAfterNodeDown),
];

/** Why the world is not yet where it should be, or null. */
export function pgoPending(world: PgoWorld): string | null {
  const parts: string[] = [];
  if (runningInstances(world) !== desiredInstances(world)) parts.push(explainInstances(world).reason);
  else if (switchoverPending(world.postgres)) parts.push(switchoverText(world));
  if (leader(world) === null) parts.push('no leader');
  return parts.length === 0 ? null : `pending PostgresCluster ${world.options.clusterName}: ${parts.join('; ')}`;
}
