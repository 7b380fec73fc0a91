/**
 * The default scheduler, one pod per scheduling cycle (reference §5): PreFilter counts matching
 * pods per topology pair once, Filter runs the plugins per node in the default order and stops at
 * the first rejection, Score sums the weighted plugin scores, and the highest score wins with the
 * node name as a deterministic tie-break (upstream picks at random among equal scores).
 *
 * Modelled plugins (pkg/scheduler/apis/config/v1/default_plugins.go order): NodeUnschedulable,
 * TaintToleration, NodeAffinity (nodeSelector + required/preferred terms), NodeResourcesFit,
 * InterPodAffinity; scores: TaintToleration (3), NodeAffinity (2), InterPodAffinity (2),
 * NodeResourcesFit LeastAllocated (1), NodeResourcesBalancedAllocation (1).
 * Not modelled: ports, volume topology, PodTopologySpread default constraints, ImageLocality,
 * preemption (no priorities are modelled, so it could never help).
 */
import { assert } from '../assert.ts';
import type { Tick } from '../ticks.ts';
import { firstUntoleratedTaint, requirementMatches, selectorMatches, toleratesTaint } from './match.ts';
import { podCondition, withCondition } from './pods.ts';
import { objectKey, podRef, podRequests, recordEvent, writePod } from './store.ts';
import type { Cluster, Node, NodeSelectorTerm, Pod, PodAffinityTerm, Resources } from './types.ts';

// pkg/scheduler/framework/plugins/*: the reason strings, spelled as upstream.
export const reasonUnschedulable = 'node(s) were unschedulable';
export const reasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector";
export const reasonAffinityRules = "node(s) didn't match pod affinity rules";
export const reasonAntiAffinityRules = "node(s) didn't match pod anti-affinity rules";
export const reasonExistingAntiAffinity = "node(s) didn't satisfy existing pods anti-affinity rules";
export function reasonUntoleratedTaint(key: string, value: string): string {
  return `node(s) had untolerated taint {${key}: ${value}}`;
}

/** Default hardPodAffinityWeight of the InterPodAffinity plugin (reference §8: UNVERIFIED default 1). */
const hardPodAffinityWeight = 1;
const maxNodeScore = 100;

/** The verdict of one scheduling cycle. */
export type ScheduleVerdict =
  | { readonly kind: 'bind'; readonly nodeName: string; readonly scores: Readonly<Record<string, number>> }
  | { readonly kind: 'unschedulable'; readonly message: string; readonly reasonsByNode: Readonly<Record<string, readonly string[]>> };

function nsLabels(namespace: string): Record<string, string> {
  return { 'kubernetes.io/metadata.name': namespace };
}

/** Whether `term` (declared by a pod in `ownerNamespace`) selects `candidate` (interpodaffinity AffinityTerm.Matches). */
export function termMatchesPod(term: PodAffinityTerm, ownerNamespace: string, candidate: Pod): boolean {
  const namespaces = term.namespaces ?? [];
  if (term.namespaceSelector !== undefined) {
    if (!namespaces.includes(candidate.namespace) && !selectorMatches(term.namespaceSelector, nsLabels(candidate.namespace))) return false;
  } else if (namespaces.length > 0) {
    if (!namespaces.includes(candidate.namespace)) return false;
  } else if (candidate.namespace !== ownerNamespace) return false;
  return selectorMatches(term.labelSelector ?? null, candidate.labels);
}

/** Bound pods that could match `term`: narrowed through the label index when the selector names a label. */
function candidateKeys(cluster: Cluster, term: PodAffinityTerm): readonly string[] {
  const matchLabels = term.labelSelector?.matchLabels;
  if (matchLabels) {
    for (const key in matchLabels) return cluster.index.podsByLabel.get(`${key}=${matchLabels[key]}`) ?? [];
  }
  const all: string[] = [];
  for (const nodeName of cluster.nodeNames) for (const key of cluster.index.podsByNode.get(nodeName) ?? []) all.push(key);
  return all;
}

/** Counts per topology pair, as topologyKey → value → count (no string building per lookup). */
type TopologyCounts = Map<string, Map<string, number>>;

function bumpPair(counts: TopologyCounts, key: string, value: string, by: number): void {
  let values = counts.get(key);
  if (values === undefined) {
    values = new Map();
    counts.set(key, values);
  }
  values.set(value, (values.get(value) ?? 0) + by);
}

function countAt(counts: TopologyCounts, key: string, value: string): number {
  return counts.get(key)?.get(value) ?? 0;
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

interface PreFilterState {
  readonly affinityTerms: readonly PodAffinityTerm[];
  readonly antiAffinityTerms: readonly PodAffinityTerm[];
  readonly affinityCounts: TopologyCounts;
  readonly antiAffinityCounts: TopologyCounts;
  readonly existingAntiAffinityCounts: TopologyCounts;
  readonly podMatchesOwnAffinity: boolean;
}

function boundPod(cluster: Cluster, key: string, self: Pod): { pod: Pod; node: Node } | null {
  const pod = cluster.pods.get(key);
  if (pod === undefined || pod === self || pod.spec.nodeName === null) return null;
  const node = cluster.nodes.get(pod.spec.nodeName);
  return node === undefined ? null : { pod, node };
}

// pkg/scheduler/framework/plugins/interpodaffinity/filtering.go PreFilter
function preFilter(cluster: Cluster, pod: Pod): PreFilterState {
  const affinityTerms = pod.spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const antiAffinityTerms = pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  const affinityCounts: TopologyCounts = new Map();
  const antiAffinityCounts: TopologyCounts = new Map();
  const existingAntiAffinityCounts: TopologyCounts = new Map();
  const first = affinityTerms[0];
  if (first !== undefined) {
    for (const key of candidateKeys(cluster, first)) {
      const found = boundPod(cluster, key, pod);
      if (found === null || !affinityTerms.every((term) => termMatchesPod(term, pod.namespace, found.pod))) continue;
      for (const term of affinityTerms) {
        const value = found.node.labels[term.topologyKey];
        if (value !== undefined) bumpPair(affinityCounts, term.topologyKey, value, 1);
      }
    }
  }
  for (const term of antiAffinityTerms) {
    for (const key of candidateKeys(cluster, term)) {
      const found = boundPod(cluster, key, pod);
      if (found === null || !termMatchesPod(term, pod.namespace, found.pod)) continue;
      const value = found.node.labels[term.topologyKey];
      if (value !== undefined) bumpPair(antiAffinityCounts, term.topologyKey, value, 1);
    }
  }
  for (const key of cluster.index.podsWithAffinity) {
    const found = boundPod(cluster, key, pod);
    if (found === null) continue;
    for (const term of found.pod.spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (!termMatchesPod(term, found.pod.namespace, pod)) continue;
      const value = found.node.labels[term.topologyKey];
      if (value !== undefined) bumpPair(existingAntiAffinityCounts, term.topologyKey, value, 1);
    }
  }
  const podMatchesOwnAffinity = affinityTerms.every((term) => termMatchesPod(term, pod.namespace, pod));
  return { affinityTerms, antiAffinityTerms, affinityCounts, antiAffinityCounts, existingAntiAffinityCounts, podMatchesOwnAffinity };
}

// interpodaffinity/filtering.go satisfyPodAffinity: the first pod of a self-affine group may go anywhere.
function satisfiesPodAffinity(state: PreFilterState, node: Node): boolean {
  let podsExist = true;
  for (const term of state.affinityTerms) {
    const value = node.labels[term.topologyKey];
    if (value === undefined) return false;
    if (countAt(state.affinityCounts, term.topologyKey, value) <= 0) podsExist = false;
  }
  return podsExist || (state.affinityCounts.size === 0 && state.podMatchesOwnAffinity);
}

function satisfiesPodAntiAffinity(state: PreFilterState, node: Node): boolean {
  for (const term of state.antiAffinityTerms) {
    const value = node.labels[term.topologyKey];
    if (value !== undefined && countAt(state.antiAffinityCounts, term.topologyKey, value) > 0) return false;
  }
  return true;
}

function satisfiesExistingAntiAffinity(state: PreFilterState, node: Node): boolean {
  if (state.existingAntiAffinityCounts.size === 0) return true;
  for (const [key, values] of state.existingAntiAffinityCounts) {
    const value = node.labels[key];
    if (value !== undefined && (values.get(value) ?? 0) > 0) return false;
  }
  return true;
}

function nodeTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  return (term.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, node.labels));
}

// pkg/scheduler/framework/plugins/nodeaffinity: nodeSelector AND any required term.
function matchesNodeAffinity(pod: Pod, node: Node): boolean {
  for (const key in pod.spec.nodeSelector) if (node.labels[key] !== pod.spec.nodeSelector[key]) return false;
  const required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return required === undefined || required.nodeSelectorTerms.some((term) => nodeTermMatches(term, node));
}

const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' } as const;

// What a fitting node returns: shared, since only rejections are kept (reasonsByNode).
const noReasons: readonly string[] = [];

/** The reasons node `node` rejects `pod` (empty when it fits), in the default Filter order. */
function filterNode(pod: Pod, requests: Resources, state: PreFilterState, node: Node, used: Resources): readonly string[] {
  // nodeunschedulable/node_unschedulable.go: a cordoned node admits only pods tolerating the unschedulable taint.
  if (node.unschedulable && !pod.spec.tolerations.some((toleration) => toleratesTaint(toleration, unschedulableTaint))) return [reasonUnschedulable];
  const taint = node.taints.length === 0 ? null : firstUntoleratedTaint(node.taints, pod.spec.tolerations);
  if (taint !== null) return [reasonUntoleratedTaint(taint.key, taint.value)];
  if (!matchesNodeAffinity(pod, node)) return [reasonNodeAffinity];
  // noderesources/fit.go fitsRequest: every insufficient resource is a reason of its own.
  const cpuShort = requests.cpuMillis > 0 && used.cpuMillis + requests.cpuMillis > node.allocatable.cpuMillis;
  const memoryShort = requests.memoryMiB > 0 && used.memoryMiB + requests.memoryMiB > node.allocatable.memoryMiB;
  if (cpuShort || memoryShort) return cpuShort && memoryShort ? ['Insufficient cpu', 'Insufficient memory'] : [cpuShort ? 'Insufficient cpu' : 'Insufficient memory'];
  if (!satisfiesPodAffinity(state, node)) return [reasonAffinityRules];
  if (!satisfiesPodAntiAffinity(state, node)) return [reasonAntiAffinityRules];
  if (!satisfiesExistingAntiAffinity(state, node)) return [reasonExistingAntiAffinity];
  return noReasons;
}

/** `0/N nodes are available: …` (pkg/scheduler/framework/types.go FitError.Error): histogram entries sorted as strings. */
export function fitErrorMessage(nodeCount: number, reasonsByNode: Readonly<Record<string, readonly string[]>>): string {
  if (nodeCount === 0) return 'no nodes available to schedule pods';
  const histogram = new Map<string, number>();
  for (const nodeName in reasonsByNode) for (const reason of reasonsByNode[nodeName] as readonly string[]) bump(histogram, reason, 1);
  const entries = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort();
  return `0/${nodeCount} nodes are available: ${entries.join(', ')}.`;
}

// Filter statuses that preemption cannot fix (UnschedulableAndUnresolvable): cordon, taints, node
// affinity and required pod affinity; resources and anti-affinity are plain Unschedulable.
const unresolvableReasons = new Set([reasonUnschedulable, reasonNodeAffinity, reasonAffinityRules]);

/**
 * DefaultPreemption's PostFilter message with no priorities modelled (every pod has the same
 * priority, so no victim ever qualifies): pkg/scheduler/framework/plugins/defaultpreemption.
 */
export function preemptionMessage(nodeCount: number, reasonsByNode: Readonly<Record<string, readonly string[]>>): string {
  const histogram = new Map<string, number>();
  for (const nodeName in reasonsByNode) {
    const reasons = reasonsByNode[nodeName] as readonly string[];
    const unresolvable = reasons.some((reason) => unresolvableReasons.has(reason) || reason.startsWith('node(s) had untolerated taint'));
    bump(histogram, unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod', 1);
  }
  const entries = [...histogram].map(([reason, count]) => `${count} ${reason}`).sort();
  return `preemption: 0/${nodeCount} nodes are available: ${entries.join(', ')}.`;
}

/** Runs one scheduling cycle for `pod` without writing anything. */
export function scheduleEvaluate(cluster: Cluster, pod: Pod): ScheduleVerdict {
  const cycle = scheduleCycle(cluster, pod);
  if (cycle.kind === 'unschedulable') return cycle;
  const scores: Record<string, number> = {};
  cycle.feasible.forEach((node, position) => (scores[node.name] = cycle.scores[position] as number));
  return { kind: 'bind', nodeName: (cycle.feasible[cycle.best] as Node).name, scores };
}

/** A scheduling cycle's outcome before it is dressed as a {@link ScheduleVerdict}: scores by feasible node. */
type ScheduleCycle =
  | Extract<ScheduleVerdict, { kind: 'unschedulable' }>
  | { readonly kind: 'bind'; readonly feasible: readonly Node[]; readonly scores: readonly number[]; readonly best: number };

// Binding needs only the winner: the per-node score record of the verdict (one entry per node, a
// large record to build at 300 nodes) is made only when a caller asks for the verdict.
function scheduleCycle(cluster: Cluster, pod: Pod): ScheduleCycle {
  const state = preFilter(cluster, pod);
  const requests = podRequests(pod);
  const feasible: Node[] = [];
  // What the feasible nodes already run, looked up once for Filter and Score.
  const usedOf: Resources[] = [];
  const reasonsByNode: Record<string, readonly string[]> = {};
  for (const nodeName of cluster.nodeNames) {
    const node = cluster.nodes.get(nodeName) as Node;
    const used = cluster.index.requestedByNode.get(node.name) as Resources;
    const reasons = filterNode(pod, requests, state, node, used);
    if (reasons.length === 0) {
      feasible.push(node);
      usedOf.push(used);
    } else reasonsByNode[nodeName] = reasons;
  }
  if (feasible.length === 0) {
    const fit = fitErrorMessage(cluster.nodeNames.length, reasonsByNode);
    const message = cluster.scheduler.preemptionMessage && cluster.nodeNames.length > 0 ? `${fit} ${preemptionMessage(cluster.nodeNames.length, reasonsByNode)}` : fit;
    return { kind: 'unschedulable', message, reasonsByNode };
  }
  const scores = scoreNodes(cluster, pod, requests, feasible, usedOf);
  // The highest score, the first in node-name order among equals.
  let best = 0;
  for (let position = 1; position < scores.length; position++) if ((scores[position] as number) > (scores[best] as number)) best = position;
  return { kind: 'bind', feasible, scores, best };
}

function normalizeMinMax(raw: readonly number[]): number[] {
  const min = Math.min(...raw);
  const max = Math.max(...raw);
  return raw.map((value) => (max > min ? Math.trunc((maxNodeScore * (value - min)) / (max - min)) : 0));
}

// framework/plugins/helper/normalize_score.go DefaultNormalizeScore
function normalizeDefault(raw: readonly number[], reverse: boolean): number[] {
  const max = Math.max(0, ...raw);
  if (max === 0) return raw.map(() => (reverse ? maxNodeScore : 0));
  return raw.map((value) => {
    const score = Math.trunc((maxNodeScore * value) / max);
    return reverse ? maxNodeScore - score : score;
  });
}

function scoreExisting(topologyScore: TopologyCounts, found: { pod: Pod; node: Node }, pod: Pod, term: PodAffinityTerm, weight: number): void {
  const value = found.node.labels[term.topologyKey];
  if (value !== undefined && termMatchesPod(term, found.pod.namespace, pod)) bumpPair(topologyScore, term.topologyKey, value, weight);
}

// interpodaffinity/scoring.go: preferred terms both ways, and existing pods' required affinity.
function interPodScores(cluster: Cluster, pod: Pod, feasible: readonly Node[]): number[] {
  const topologyScore: TopologyCounts = new Map();
  const affinity = pod.spec.affinity;
  const preferred = [
    ...(affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => ({ term, sign: 1 })),
    ...(affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((term) => ({ term, sign: -1 })),
  ];
  for (const { term, sign } of preferred) {
    for (const key of candidateKeys(cluster, term.podAffinityTerm)) {
      const found = boundPod(cluster, key, pod);
      if (found === null || !termMatchesPod(term.podAffinityTerm, pod.namespace, found.pod)) continue;
      const value = found.node.labels[term.podAffinityTerm.topologyKey];
      if (value !== undefined) bumpPair(topologyScore, term.podAffinityTerm.topologyKey, value, sign * term.weight);
    }
  }
  for (const key of cluster.index.podsWithAffinity) {
    const found = boundPod(cluster, key, pod);
    if (found === null) continue;
    const theirs = found.pod.spec.affinity;
    // Only affinity terms and preferred anti-affinity terms of existing pods score; required anti-affinity filters.
    if (theirs?.podAffinity === undefined && theirs?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution === undefined) continue;
    for (const term of theirs.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) scoreExisting(topologyScore, found, pod, term, hardPodAffinityWeight);
    for (const term of theirs.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) scoreExisting(topologyScore, found, pod, term.podAffinityTerm, term.weight);
    for (const term of theirs.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) scoreExisting(topologyScore, found, pod, term.podAffinityTerm, -term.weight);
  }
  if (topologyScore.size === 0) return feasible.map(() => 0);
  const raw = feasible.map((node) => {
    let sum = 0;
    for (const [key, values] of topologyScore) {
      const value = node.labels[key];
      if (value !== undefined) sum += values.get(value) ?? 0;
    }
    return sum;
  });
  return normalizeMinMax(raw);
}

function scoreNodes(cluster: Cluster, pod: Pod, requests: Resources, feasible: readonly Node[], usedOf: readonly Resources[]): number[] {
  const interPod = interPodScores(cluster, pod, feasible);
  const preferredNode = pod.spec.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
  // No preferred terms: every raw score is 0, which normalizeDefault leaves at 0.
  const nodeAffinity =
    preferredNode.length === 0
      ? null
      : normalizeDefault(
          feasible.map((node) => preferredNode.reduce((sum, term) => sum + (nodeTermMatches(term.preference, node) ? term.weight : 0), 0)),
          false,
        );
  const taints = normalizeDefault(
    feasible.map((node) => intolerablePreferNoSchedule(node, pod)),
    true,
  );
  return feasible.map((node, position) => {
    const used = usedOf[position] as Resources;
    const cpu = used.cpuMillis + requests.cpuMillis;
    const memory = used.memoryMiB + requests.memoryMiB;
    // noderesources/least_allocated.go and balanced_allocation.go, equal resource weights.
    const least = Math.trunc((leastScore(cpu, node.allocatable.cpuMillis) + leastScore(memory, node.allocatable.memoryMiB)) / 2);
    const deviation = Math.abs(cpu / node.allocatable.cpuMillis - memory / node.allocatable.memoryMiB) / 2;
    const balanced = Math.trunc((1 - deviation) * maxNodeScore);
    return 3 * (taints[position] as number) + 2 * (nodeAffinity === null ? 0 : (nodeAffinity[position] as number)) + 2 * (interPod[position] as number) + least + balanced;
  });
}

function intolerablePreferNoSchedule(node: Node, pod: Pod): number {
  let count = 0;
  for (const taint of node.taints) {
    if (taint.effect === 'PreferNoSchedule' && !pod.spec.tolerations.some((toleration) => toleratesTaint(toleration, taint))) count++;
  }
  return count;
}

function leastScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

/** True when the scheduler would attempt `pod` now: unbound, and never tried or the cluster changed since it failed. */
export function podIsSchedulable(cluster: Cluster, pod: Pod): boolean {
  return pod.spec.nodeName === null && (pod.scheduling.failedEpoch === null || pod.scheduling.failedEpoch < cluster.schedulingEpoch);
}

/**
 * One scheduling cycle plus binding for pod `key`: binds it (`PodScheduled=True`, a `Scheduled`
 * Event) or leaves it Pending with `PodScheduled=False`/`Unschedulable` and a `FailedScheduling`
 * Warning (pkg/scheduler/schedule_one.go handleSchedulingFailure).
 */
export function clusterSchedulePod(cluster: Cluster, key: string, now: Tick): Cluster {
  const pod = cluster.pods.get(key);
  assert(pod !== undefined, `pod ${key} does not exist`);
  assert(pod.spec.nodeName === null, `pod ${key} is already bound to ${pod.spec.nodeName}`);
  const verdict = scheduleCycle(cluster, pod);
  const involvedObject = `Pod/${podRef(pod)}`;
  if (verdict.kind === 'unschedulable') {
    const conditions = withCondition(pod.status.conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: verdict.message, lastTransitionTick: now });
    const next = writePod(cluster, key, { ...pod, status: { ...pod.status, conditions }, scheduling: { failedEpoch: cluster.schedulingEpoch } });
    return recordEvent(next, { type: 'Warning', reason: 'FailedScheduling', message: verdict.message, involvedObject, source: 'default-scheduler' }, now);
  }
  const conditions = withCondition(pod.status.conditions, { type: 'PodScheduled', status: 'True', reason: '', message: '', lastTransitionTick: now });
  const nodeName = (verdict.feasible[verdict.best] as Node).name;
  const bound: Pod = { ...pod, spec: { ...pod.spec, nodeName }, status: { ...pod.status, conditions }, scheduling: { failedEpoch: null } };
  const next = writePod(cluster, key, bound);
  return recordEvent(
    next,
    { type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${objectKey(pod.namespace, pod.name)} to ${nodeName}`, involvedObject, source: 'default-scheduler' },
    now,
  );
}

/** The `PodScheduled` condition's reason, or `''` when the scheduler has not looked yet. */
export function podScheduledReason(pod: Pod): string {
  return podCondition(pod, 'PodScheduled')?.reason ?? '';
}
