/**
 * A deliberately naive placement oracle: whether a node admits a pod under the scheduler's hard
 * rules, re-derived by scanning every pod (no indexes, no pre-computed topology counts), so that
 * properties can check the indexed scheduler against an independent reading of reference §5.2–§5.4.
 */
import { firstUntoleratedTaint, requirementMatches, toleratesTaint } from './match.ts';
import { podRequests } from './store.ts';
import { termMatchesPod } from './scheduler.ts';
import type { Cluster, Node, Pod, PodAffinityTerm } from './types.ts';

function boundOthers(cluster: Cluster, pod: Pod): { pod: Pod; node: Node }[] {
  const out: { pod: Pod; node: Node }[] = [];
  for (const key of cluster.pods.keys()) {
    const other = cluster.pods.get(key) as Pod;
    if (other.spec.nodeName === null || (other.name === pod.name && other.namespace === pod.namespace)) continue;
    const node = cluster.nodes.get(other.spec.nodeName);
    if (node !== undefined) out.push({ pod: other, node });
  }
  return out;
}

function sameDomain(key: string, a: Node, b: Node): boolean {
  return a.labels[key] !== undefined && a.labels[key] === b.labels[key];
}

/** Why `node` must not take `pod` under the hard rules, or null when it may. */
export function oracleRejection(cluster: Cluster, pod: Pod, node: Node): string | null {
  const unschedulableTolerated = pod.spec.tolerations.some((t) => toleratesTaint(t, { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' }));
  if (node.unschedulable && !unschedulableTolerated) return 'cordoned';
  if (firstUntoleratedTaint(node.taints, pod.spec.tolerations) !== null) return 'taint';
  for (const key in pod.spec.nodeSelector) if (node.labels[key] !== pod.spec.nodeSelector[key]) return 'nodeSelector';
  const nodeTerms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (nodeTerms && !nodeTerms.some((term) => (term.matchExpressions ?? []).every((r) => requirementMatches(r, node.labels)))) return 'nodeAffinity';
  const others = boundOthers(cluster, pod);
  const used = others.filter((o) => o.node.name === node.name).reduce((sum, o) => ({ cpu: sum.cpu + podRequests(o.pod).cpuMillis, mem: sum.mem + podRequests(o.pod).memoryMiB }), { cpu: 0, mem: 0 });
  const requests = podRequests(pod);
  if (used.cpu + requests.cpuMillis > node.allocatable.cpuMillis || used.mem + requests.memoryMiB > node.allocatable.memoryMiB) return 'resources';
  const affinityTerms: readonly PodAffinityTerm[] = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  if (affinityTerms.length > 0) {
    if (affinityTerms.some((term) => node.labels[term.topologyKey] === undefined)) return 'podAffinity';
    const matchingAll = others.filter((o) => affinityTerms.every((term) => termMatchesPod(term, pod.namespace, o.pod)));
    const satisfied = affinityTerms.every((term) => matchingAll.some((o) => sameDomain(term.topologyKey, o.node, node)));
    // Upstream's exception tests that the topology counts are empty (filtering.go satisfyPodAffinity), so a
    // matching pod on a node lacking every term's topology label does not count as "a pod exists".
    const counted = matchingAll.filter((o) => affinityTerms.some((term) => o.node.labels[term.topologyKey] !== undefined));
    const firstOfGroup = counted.length === 0 && affinityTerms.every((term) => termMatchesPod(term, pod.namespace, pod));
    if (!satisfied && !firstOfGroup) return 'podAffinity';
  }
  for (const term of pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (others.some((o) => sameDomain(term.topologyKey, o.node, node) && termMatchesPod(term, pod.namespace, o.pod))) return 'podAntiAffinity';
  }
  for (const o of others) {
    for (const term of o.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (sameDomain(term.topologyKey, o.node, node) && termMatchesPod(term, o.pod.namespace, pod)) return 'existingAntiAffinity';
    }
  }
  return null;
}

/** The first node (by name) that admits `pod`, or null. */
export function oracleFirstFit(cluster: Cluster, pod: Pod): string | null {
  for (const name of cluster.nodeNames) if (oracleRejection(cluster, pod, cluster.nodes.get(name) as Node) === null) return name;
  return null;
}
