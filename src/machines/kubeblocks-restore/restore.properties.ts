/**
 * The properties of the restore path, and `pending()`: why a restore is not done, in words.
 *
 * "The node pool can satisfy a pod" is decided by {@link classifyPendingPod}: a Pending pod whose
 * rules, pointed at its own cluster, would let the scheduler bind it is stuck on an inherited
 * selector (a bug); one that would not fit even then lacks capacity (not a bug), and the liveness
 * properties exempt its cluster and the Restore OpsRequest creating it.
 */
import { stateValueText } from '../../sim/machine-host.ts';
import { always, eventually, sometimes, type Explanation, type Property } from '../../sim/property.ts';
import type { Pod } from '../../sim/cluster/index.ts';
import { isOpsTerminal, type OpsPhase } from '../kubeblocks-opsrequest/opsrequest.machine.ts';
import { podClusterName } from './restore-controllers.ts';
import type { RestoreOpsObject, RestoreWorld } from './restore-objects.ts';
import { classifyPendingPod, requiredRuleBreach, type PendingPodVerdict } from './scheduling-oracle.ts';
import { labelAppInstance } from './scheduling-types.ts';

/** One unbound pod with the cluster it belongs to and the oracle's verdict. */
export interface PendingPod {
  readonly pod: Pod;
  readonly clusterName: string;
  readonly verdict: PendingPodVerdict;
}

// The oracle runs the scheduler's Filter twice per pod and a `sometimes` property asks on every
// step. The list reads the pods (their keys, bindings, labels and rules), what the scheduler's
// evaluation reads besides them (nodes, node names, index, scheduler profile: sim/cluster/
// scheduler.ts) and the Restores that name a pod's cluster; not the Events log or resourceVersion,
// which most steps change. Kept per pods record for those inputs (worlds share structure).
interface PendingEntry {
  readonly nodes: RestoreWorld['k8s']['nodes'];
  readonly nodeNames: RestoreWorld['k8s']['nodeNames'];
  readonly index: RestoreWorld['k8s']['index'];
  readonly scheduler: RestoreWorld['k8s']['scheduler'];
  readonly restores: RestoreWorld['ext']['restore']['restores'];
  readonly pending: readonly PendingPod[];
}
const pendingCache = new WeakMap<RestoreWorld['k8s']['pods'], PendingEntry>();

/** Every unbound pod of a known cluster, classified; sorted by pod key. */
export function pendingPods(world: RestoreWorld): readonly PendingPod[] {
  const { pods, nodes, nodeNames, index, scheduler } = world.k8s;
  const restores = world.ext.restore.restores;
  const cached = pendingCache.get(pods);
  if (cached !== undefined && cached.nodes === nodes && cached.nodeNames === nodeNames && cached.index === index && cached.scheduler === scheduler && cached.restores === restores) return cached.pending;
  const pending = computePendingPods(world);
  pendingCache.set(pods, { nodes, nodeNames, index, scheduler, restores, pending });
  return pending;
}

/** {@link pendingPods} computed afresh (what the cache must equal). */
export function computePendingPods(world: RestoreWorld): readonly PendingPod[] {
  const out: PendingPod[] = [];
  for (const key of [...world.k8s.pods.keys()].sort()) {
    const pod = world.k8s.pods.get(key) as Pod;
    if (pod.spec.nodeName !== null) continue;
    const clusterName = podClusterName(world, pod.labels);
    if (clusterName === null) continue;
    out.push({ pod, clusterName, verdict: classifyPendingPod(world.k8s, pod, clusterName) });
  }
  return out;
}

function stuckPod(world: RestoreWorld): PendingPod | undefined {
  const pods = pendingPods(world);
  return pods.find((entry) => entry.verdict.kind === 'foreign-selector') ?? pods.find((entry) => entry.verdict.kind === 'schedulable');
}

/** True when some pod of `clusterName` cannot be placed even under its own rules. */
export function clusterLacksNodes(world: RestoreWorld, clusterName: string): boolean {
  return pendingPods(world).some((entry) => entry.clusterName === clusterName && entry.verdict.kind === 'lack-of-capacity');
}

function opsPhase(ops: RestoreOpsObject): string {
  return stateValueText(ops.lifecycle.value);
}

function unfinishedOps(world: RestoreWorld): RestoreOpsObject | undefined {
  return Object.keys(world.ext.restore.opsRequests)
    .sort()
    .map((name) => world.ext.restore.opsRequests[name] as RestoreOpsObject)
    .find((ops) => !isOpsTerminal(opsPhase(ops) as OpsPhase) && !clusterLacksNodes(world, ops.clusterName));
}

function clusterNotRunning(world: RestoreWorld): string | undefined {
  return Object.keys(world.kb.clusters)
    .sort()
    .find((name) => world.kb.clusters[name]?.status.phase !== 'Running' && !clusterLacksNodes(world, name));
}

function whereFrom(world: RestoreWorld, clusterName: string): string | null {
  const ops = Object.values(world.ext.restore.opsRequests).find((candidate) => candidate.clusterName === clusterName);
  if (ops === undefined) return null;
  const backup = world.ext.restore.backups[ops.backupName];
  return `cluster ${clusterName} was restored by OpsRequest ${ops.name} (${opsPhase(ops)}) from Backup ${ops.backupName} of cluster ${backup?.clusterName ?? '?'}, whose kubeblocks.io/cluster-snapshot stored the scheduling policy`;
}

function matchingPodsLine(world: RestoreWorld, selector: string): string {
  const keys = world.k8s.index.podsByLabel.get(selector) ?? [];
  const placed = keys.map((key) => world.k8s.pods.get(key)).filter((pod): pod is Pod => pod !== undefined).map((pod) => `${pod.name} on ${pod.spec.nodeName ?? '(unscheduled)'}`);
  return `pods selected by ${selector}: ${placed.length === 0 ? 'none' : placed.join(', ')}`;
}

function explainStuckPod(world: RestoreWorld): Explanation {
  const entry = stuckPod(world);
  if (entry === undefined) return { reason: 'no pod is stuck' };
  const subject = { kind: 'Pod', name: entry.pod.name, phase: 'Pending' };
  if (entry.verdict.kind === 'schedulable') return { subject, reason: `the scheduler could bind it to ${entry.verdict.nodeName} but never retried` };
  if (entry.verdict.kind !== 'foreign-selector') return { subject, reason: entry.verdict.message };
  const details: string[] = [];
  for (const selector of entry.verdict.selectors) {
    details.push(`inherited selector ${selector.selector} (${selector.where}) names another cluster; the pod belongs to cluster ${entry.clusterName}`);
  }
  const from = whereFrom(world, entry.clusterName);
  if (from !== null) details.push(from);
  details.push(`with ${labelAppInstance}=${entry.clusterName} in its rules the scheduler would bind it to ${entry.verdict.intendedNode}`);
  for (const selector of new Set(entry.verdict.selectors.map((item) => item.selector))) details.push(matchingPodsLine(world, selector));
  return { subject, reason: `FailedScheduling: ${entry.verdict.message}`, details };
}

function explainOps(world: RestoreWorld): Explanation {
  const ops = unfinishedOps(world);
  if (ops === undefined) return { reason: 'every Restore OpsRequest is terminal' };
  const cluster = world.kb.clusters[ops.clusterName];
  const details = [`cluster ${ops.clusterName} is ${cluster === undefined ? 'not created' : cluster.status.phase === '' ? '""' : cluster.status.phase}`];
  const stuck = stuckPod(world);
  if (stuck !== undefined) details.push(...(explainStuckPod(world).details ?? []), `pod ${stuck.pod.name} Pending: ${explainStuckPod(world).reason}`);
  return { subject: { kind: 'OpsRequest', name: ops.name, phase: opsPhase(ops) }, reason: restorePending(world) ?? `OpsRequest ${ops.name} is ${opsPhase(ops)}`, details };
}

/** Why the restore is not done, or null. */
export function restorePending(world: RestoreWorld): string | null {
  const stuck = stuckPod(world);
  if (stuck !== undefined && stuck.verdict.kind === 'foreign-selector') return `pending Pod ${stuck.pod.name} scheduled: ${stuck.verdict.message}`;
  const ops = unfinishedOps(world);
  if (ops !== undefined) {
    const cluster = world.kb.clusters[ops.clusterName];
    return `pending OpsRequest ${ops.name} Succeed: phase ${opsPhase(ops)}, cluster ${ops.clusterName} ${cluster === undefined ? 'not created' : cluster.status.phase === '' ? '""' : cluster.status.phase}`;
  }
  const cluster = clusterNotRunning(world);
  if (cluster !== undefined) return `pending Cluster ${cluster} Running: phase ${world.kb.clusters[cluster]?.status.phase || '""'}`;
  return null;
}

/** The restore properties, safety first, then liveness (the pod property first, so a stuck report names the pod). */
export function restoreProperties(): Property<RestoreWorld>[] {
  return [
    always<RestoreWorld>(
      'no pod is bound against a required scheduling rule',
      (world) => requiredRuleBreach(world.k8s) === null,
      (world) => ({ reason: requiredRuleBreach(world.k8s) ?? 'no breach' }),
    ),
    eventually<RestoreWorld>('every pod whose rules the node pool can satisfy is eventually scheduled', (world) => stuckPod(world) === undefined, explainStuckPod),
    eventually<RestoreWorld>('every Restore OpsRequest eventually reaches a terminal phase unless its cluster lacks nodes', (world) => unfinishedOps(world) === undefined, explainOps),
    eventually<RestoreWorld>(
      'every Cluster eventually reaches Running unless it lacks nodes',
      (world) => clusterNotRunning(world) === undefined,
      (world) => {
        const name = clusterNotRunning(world) ?? '';
        return { subject: { kind: 'Cluster', name, phase: world.kb.clusters[name]?.status.phase ?? '' }, reason: restorePending(world) ?? `Cluster ${name} not Running` };
      },
    ),
    sometimes<RestoreWorld>('a restore succeeds', (world) => Object.values(world.ext.restore.opsRequests).some((ops) => opsPhase(ops) === 'Succeed')),
    sometimes<RestoreWorld>('a pod is legitimately unschedulable for lack of nodes', (world) => pendingPods(world).some((entry) => entry.verdict.kind === 'lack-of-capacity')),
    sometimes<RestoreWorld>('a restore runs while its source cluster still runs', (world) =>
      Object.values(world.ext.restore.opsRequests).some((ops) => {
        const source = world.ext.restore.backups[ops.backupName]?.clusterName;
        return opsPhase(ops) === 'Running' && source !== undefined && world.kb.clusters[source]?.status.phase === 'Running';
      }),
    ),
  ];
}
