/**
 * Telling a restored pod that is Pending because of a selector it *inherited* from the backup's
 * cluster snapshot (the bug, issue #8763) from a pod that is Pending because the node pool really
 * cannot hold it (replicas above the nodes that satisfy its own rules: not a bug).
 *
 * The oracle runs the substrate scheduler's own Filter twice over the same world (no second
 * scheduler): once with the pod as it is, once with its *intended* constraints — every
 * `app.kubernetes.io/instance` selector pointed at the cluster the pod belongs to, which is what the
 * addon chart that rendered the term meant (a cluster's pods spread against *their own* cluster).
 * If the intended pod would be bound, the pod is stuck on a foreign selector; if not, the pool lacks
 * capacity. Also the safety check "no pod is bound against a required rule".
 */
import { scheduleEvaluate, termMatchesPod } from '../../sim/cluster/scheduler.ts';
import type { Affinity, Cluster, LabelSelector, Node, Pod, PodAffinityRules, PodAffinityTerm } from '../../sim/cluster/types.ts';
import { labelAppInstance } from './scheduling-types.ts';

/** A selector on the instance label naming another cluster, as `key=value` text, with where it sits. */
export interface ForeignSelector {
  readonly selector: string;
  /** e.g. `podAntiAffinity required, topologyKey kubernetes.io/hostname`. */
  readonly where: string;
}

function instanceValues(selector: LabelSelector | null | undefined): readonly string[] {
  if (selector === null || selector === undefined) return [];
  const values: string[] = [];
  const matched = selector.matchLabels?.[labelAppInstance];
  if (matched !== undefined) values.push(matched);
  for (const expression of selector.matchExpressions ?? []) {
    if (expression.key === labelAppInstance && expression.operator === 'In') values.push(...(expression.values ?? []));
  }
  return values;
}

function retarget(selector: LabelSelector | null | undefined, clusterName: string): LabelSelector | null {
  if (selector === null || selector === undefined) return null;
  let next = selector;
  if (selector.matchLabels?.[labelAppInstance] !== undefined) next = { ...next, matchLabels: { ...selector.matchLabels, [labelAppInstance]: clusterName } };
  if (selector.matchExpressions?.some((expression) => expression.key === labelAppInstance)) {
    next = { ...next, matchExpressions: selector.matchExpressions.map((expression) => (expression.key === labelAppInstance ? { ...expression, values: [clusterName] } : expression)) };
  }
  return next;
}

function retargetRules(rules: PodAffinityRules | undefined, clusterName: string): PodAffinityRules | undefined {
  if (rules === undefined) return undefined;
  const required = rules.requiredDuringSchedulingIgnoredDuringExecution?.map((term) => ({ ...term, labelSelector: retarget(term.labelSelector, clusterName) }));
  const preferred = rules.preferredDuringSchedulingIgnoredDuringExecution?.map((term) => ({
    ...term,
    podAffinityTerm: { ...term.podAffinityTerm, labelSelector: retarget(term.podAffinityTerm.labelSelector, clusterName) },
  }));
  return {
    ...(required !== undefined ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
    ...(preferred !== undefined ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  };
}

/** The pod with every instance selector of its pod (anti-)affinity pointed at `clusterName`. */
export function podWithIntendedAffinity(pod: Pod, clusterName: string): Pod {
  const affinity = pod.spec.affinity;
  if (affinity === null) return pod;
  const podAffinity = retargetRules(affinity.podAffinity, clusterName);
  const podAntiAffinity = retargetRules(affinity.podAntiAffinity, clusterName);
  const intended: Affinity = {
    ...affinity,
    ...(podAffinity !== undefined ? { podAffinity } : {}),
    ...(podAntiAffinity !== undefined ? { podAntiAffinity } : {}),
  };
  return { ...pod, spec: { ...pod.spec, affinity: intended } };
}

/** The instance selectors of `pod`'s pod (anti-)affinity that name a cluster other than `clusterName`. */
export function foreignSelectors(pod: Pod, clusterName: string): readonly ForeignSelector[] {
  const found: ForeignSelector[] = [];
  const scan = (rules: PodAffinityRules | undefined, kind: string): void => {
    for (const term of rules?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      for (const value of instanceValues(term.labelSelector)) {
        if (value !== clusterName) found.push({ selector: `${labelAppInstance}=${value}`, where: `${kind} required, topologyKey ${term.topologyKey}` });
      }
    }
    for (const term of rules?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      for (const value of instanceValues(term.podAffinityTerm.labelSelector)) {
        if (value !== clusterName) found.push({ selector: `${labelAppInstance}=${value}`, where: `${kind} preferred (weight ${term.weight}), topologyKey ${term.podAffinityTerm.topologyKey}` });
      }
    }
  };
  scan(pod.spec.affinity?.podAntiAffinity, 'podAntiAffinity');
  scan(pod.spec.affinity?.podAffinity, 'podAffinity');
  return found;
}

/** Why an unbound pod is unbound. */
export type PendingPodVerdict =
  | { readonly kind: 'schedulable'; readonly nodeName: string }
  | { readonly kind: 'foreign-selector'; readonly message: string; readonly intendedNode: string; readonly selectors: readonly ForeignSelector[] }
  | { readonly kind: 'lack-of-capacity'; readonly message: string };

/**
 * Classifies unbound `pod`, which belongs to cluster `clusterName`: bindable as it is; Pending
 * only because of a foreign instance selector (the intended pod would be bound); or Pending for
 * lack of nodes that satisfy even its intended rules.
 */
export function classifyPendingPod(cluster: Cluster, pod: Pod, clusterName: string): PendingPodVerdict {
  const actual = scheduleEvaluate(cluster, pod);
  if (actual.kind === 'bind') return { kind: 'schedulable', nodeName: actual.nodeName };
  const intended = scheduleEvaluate(cluster, podWithIntendedAffinity(pod, clusterName));
  if (intended.kind === 'bind') return { kind: 'foreign-selector', message: actual.message, intendedNode: intended.nodeName, selectors: foreignSelectors(pod, clusterName) };
  return { kind: 'lack-of-capacity', message: actual.message };
}

function sameDomain(left: Node, right: Node, topologyKey: string): boolean {
  const value = left.labels[topologyKey];
  return value !== undefined && value === right.labels[topologyKey];
}

function boundPods(cluster: Cluster): readonly { readonly pod: Pod; readonly node: Node }[] {
  const bound: { pod: Pod; node: Node }[] = [];
  for (const nodeName of cluster.nodeNames) {
    const node = cluster.nodes.get(nodeName) as Node;
    for (const key of cluster.index.podsByNode.get(nodeName) ?? []) {
      const pod = cluster.pods.get(key);
      if (pod !== undefined) bound.push({ pod, node });
    }
  }
  return bound;
}

function antiAffinityBreach(owner: { pod: Pod; node: Node }, other: { pod: Pod; node: Node }, term: PodAffinityTerm): boolean {
  return other.pod !== owner.pod && sameDomain(owner.node, other.node, term.topologyKey) && termMatchesPod(term, owner.pod.namespace, other.pod);
}

/**
 * The first bound pod that breaks a required rule the scheduler's Filter enforces and that cannot
 * change after binding: its nodeSelector, or a required pod anti-affinity term (its own, which
 * by symmetry also covers existing pods' terms). Null when every bound pod is placed legally.
 * (Required pod *affinity* is checked only at bind time upstream — IgnoredDuringExecution — so a
 * later deletion of the matching pod is no breach, and it is not checked here.)
 */
export function requiredRuleBreach(cluster: Cluster): string | null {
  // A function of the pods and the nodes only (the index is derived from the pods): checked once per pair.
  const cached = breachByPods.get(cluster.pods);
  if (cached !== undefined && cached.nodes === cluster.nodes && cached.nodeNames === cluster.nodeNames) return cached.breach;
  const breach = firstRequiredRuleBreach(cluster);
  breachByPods.set(cluster.pods, { nodes: cluster.nodes, nodeNames: cluster.nodeNames, breach });
  return breach;
}

const breachByPods = new WeakMap<Cluster['pods'], { readonly nodes: Cluster['nodes']; readonly nodeNames: Cluster['nodeNames']; readonly breach: string | null }>();

function firstRequiredRuleBreach(cluster: Cluster): string | null {
  const bound = boundPods(cluster);
  for (const entry of bound) {
    for (const key in entry.pod.spec.nodeSelector) {
      if (entry.node.labels[key] !== entry.pod.spec.nodeSelector[key]) return `pod ${entry.pod.name} is on ${entry.node.name}, which lacks nodeSelector ${key}=${entry.pod.spec.nodeSelector[key]}`;
    }
    for (const term of entry.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const other = bound.find((candidate) => antiAffinityBreach(entry, candidate, term));
      if (other !== undefined) {
        return `pod ${entry.pod.name} on ${entry.node.name} shares ${term.topologyKey}=${entry.node.labels[term.topologyKey]} with ${other.pod.name}, which its required podAntiAffinity selects`;
      }
    }
  }
  return null;
}
