/**
 * StatefulSets (reference §6.1) and their controller step. One step does what one upstream sync
 * does (pkg/controller/statefulset/stateful_set_control.go): with `OrderedReady`, create the lowest
 * missing ordinal only once all predecessors are Running and Ready, and delete the highest condemned
 * ordinal only once all others are; with `Parallel`, create and delete all at once. A template
 * change rolls pods from the highest ordinal down, one at a time. PVCs `<template>-<set>-<ordinal>`
 * are reused by name and never deleted, not on scale-down and not on StatefulSet deletion.
 */
import { assert, unreachable } from '../assert.ts';
import type { Tick } from '../ticks.ts';
import { clusterCreatePod, clusterDeletePod, clusterEnsurePvc, podIsReady } from './pods.ts';
import { imagePullPolicyDefault } from './match.ts';
import { objectKey, recordEvent } from './store.ts';
import type { Cluster, PodManagementPolicy, PodTemplate, StatefulSet } from './types.ts';
import type { ContainerInput } from './pods.ts';

/** Replicas one StatefulSet may ask for. */
export const statefulSetReplicasMax = 1_000;

export interface StatefulSetInput {
  readonly name: string;
  readonly namespace?: string;
  readonly replicas: number;
  readonly podManagementPolicy?: PodManagementPolicy;
  readonly template: Omit<Partial<PodTemplate>, 'containers'> & { readonly containers: readonly ContainerInput[] };
  readonly volumeClaimTemplates?: readonly { readonly name: string; readonly storageMiB: number }[];
}

function templateFromInput(input: StatefulSetInput['template']): PodTemplate {
  return {
    labels: input.labels ?? {},
    annotations: input.annotations ?? {},
    containers: input.containers.map((container) => ({
      name: container.name,
      image: container.image,
      imagePullPolicy: container.imagePullPolicy ?? imagePullPolicyDefault(container.image),
      resources: { requests: container.requests ?? { cpuMillis: 100, memoryMiB: 128 } },
    })),
    nodeSelector: input.nodeSelector ?? {},
    affinity: input.affinity ?? null,
    tolerations: input.tolerations ?? [],
  };
}

function writeSet(cluster: Cluster, set: StatefulSet | null, key: string): Cluster {
  const resourceVersion = cluster.resourceVersion + 1;
  const statefulSets = { ...cluster.statefulSets };
  if (set === null) delete statefulSets[key];
  else statefulSets[key] = { ...set, resourceVersion };
  return { ...cluster, resourceVersion, statefulSets };
}

export function clusterCreateStatefulSet(cluster: Cluster, input: StatefulSetInput): Cluster {
  const namespace = input.namespace ?? 'default';
  const key = objectKey(namespace, input.name);
  assert(!(key in cluster.statefulSets), `statefulset ${key} already exists`);
  assert(Number.isSafeInteger(input.replicas) && input.replicas >= 0 && input.replicas <= statefulSetReplicasMax, `replicas ${input.replicas} must be 0..${statefulSetReplicasMax}`);
  const set: StatefulSet = {
    name: input.name,
    namespace,
    resourceVersion: 0,
    replicas: input.replicas,
    podManagementPolicy: input.podManagementPolicy ?? 'OrderedReady',
    template: templateFromInput(input.template),
    volumeClaimTemplates: input.volumeClaimTemplates ?? [],
    revision: 1,
    status: { replicas: 0, readyReplicas: 0, updatedReplicas: 0 },
  };
  return writeSet(cluster, set, key);
}

export function clusterScaleStatefulSet(cluster: Cluster, namespace: string, name: string, replicas: number): Cluster {
  const key = objectKey(namespace, name);
  const set = cluster.statefulSets[key];
  assert(set !== undefined, `statefulset ${key} does not exist`);
  assert(Number.isSafeInteger(replicas) && replicas >= 0 && replicas <= statefulSetReplicasMax, `replicas ${replicas} must be 0..${statefulSetReplicasMax}`);
  return writeSet(cluster, { ...set, replicas }, key);
}

/** Replaces the pod template; pods roll to the new revision from the highest ordinal down. */
export function clusterUpdateStatefulSetTemplate(cluster: Cluster, namespace: string, name: string, template: StatefulSetInput['template']): Cluster {
  const key = objectKey(namespace, name);
  const set = cluster.statefulSets[key];
  assert(set !== undefined, `statefulset ${key} does not exist`);
  return writeSet(cluster, { ...set, template: templateFromInput(template), revision: set.revision + 1 }, key);
}

/** Deletes the StatefulSet; garbage collection removes its pods (no ordering), its PVCs stay. */
export function clusterDeleteStatefulSet(cluster: Cluster, namespace: string, name: string, now: Tick): Cluster {
  const key = objectKey(namespace, name);
  const set = cluster.statefulSets[key];
  assert(set !== undefined, `statefulset ${key} does not exist`);
  let next = writeSet(cluster, null, key);
  for (const podKey of ownedPodKeys(cluster, set)) next = clusterDeletePod(next, namespace, (next.pods.get(podKey) as { name: string }).name, now);
  return next;
}

export function revisionHash(set: StatefulSet): string {
  return `${set.name}-${set.revision}`;
}

// The set's selector is its template labels; pods are its own by ownerReference and name pattern.
function ownedPodKeys(cluster: Cluster, set: StatefulSet): string[] {
  const keys: string[] = [];
  const labels = set.template.labels;
  let candidates: readonly string[] | undefined;
  for (const label in labels) {
    candidates = cluster.index.podsByLabel.get(`${label}=${labels[label]}`) ?? [];
    break;
  }
  for (const key of candidates ?? cluster.pods.keys()) {
    const pod = cluster.pods.get(key);
    if (pod === undefined || pod.namespace !== set.namespace || pod.ownerReference?.kind !== 'StatefulSet' || pod.ownerReference.name !== set.name) continue;
    if (isOrdinalName(pod.name, set.name)) keys.push(key);
  }
  return keys;
}

/** `<set>-<digits>`, checked without building strings or regexes (this runs on every step). */
function isOrdinalName(podName: string, setName: string): boolean {
  if (podName.length <= setName.length + 1 || !podName.startsWith(setName) || podName.charCodeAt(setName.length) !== 45) return false;
  for (let index = setName.length + 1; index < podName.length; index++) {
    const code = podName.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function ordinalOf(set: StatefulSet, podName: string): number {
  return Number(podName.slice(set.name.length + 1));
}

type StepPlan =
  | { readonly kind: 'create'; readonly ordinals: readonly number[] }
  | { readonly kind: 'delete'; readonly podNames: readonly string[]; readonly reason: 'condemned' | 'update' | 'failed' }
  | { readonly kind: 'status'; readonly status: StatefulSet['status'] }
  | { readonly kind: 'idle' };

// The plan depends only on the set and the pods: cache it per set for the last pods record seen.
const planCache = new WeakMap<StatefulSet, { readonly pods: Cluster['pods']; readonly plan: StepPlan }>();

/** What the next sync of `set` would do; `idle` when it would change nothing. */
export function statefulSetPlan(cluster: Cluster, set: StatefulSet): StepPlan {
  const cached = planCache.get(set);
  if (cached !== undefined && cached.pods === cluster.pods) return cached.plan;
  const plan = computePlan(cluster, set);
  planCache.set(set, { pods: cluster.pods, plan });
  return plan;
}

function computePlan(cluster: Cluster, set: StatefulSet): StepPlan {
  const byOrdinal = new Map<number, string>();
  for (const key of ownedPodKeys(cluster, set)) byOrdinal.set(ordinalOf(set, (cluster.pods.get(key) as { name: string }).name), key);
  const ordered = set.podManagementPolicy === 'OrderedReady';
  const missing: number[] = [];
  const failed: string[] = [];
  let readyReplicas = 0;
  let updatedReplicas = 0;
  let blocked = false;
  for (let ordinal = 0; ordinal < set.replicas; ordinal++) {
    const key = byOrdinal.get(ordinal);
    const pod = key === undefined ? undefined : cluster.pods.get(key);
    if (pod === undefined) {
      if (!blocked) missing.push(ordinal);
      if (ordered) blocked = true;
      continue;
    }
    if (pod.status.phase === 'Failed' && pod.deletionTick === null) failed.push(pod.name);
    if (pod.labels['controller-revision-hash'] === revisionHash(set)) updatedReplicas++;
    if (podIsReady(pod)) readyReplicas++;
    else if (ordered) blocked = true;
  }
  // Failed pods are deleted and recreated (stateful_set_control.go: isFailed → DeleteStatefulPod).
  if (failed.length > 0) return { kind: 'delete', podNames: ordered ? failed.slice(0, 1) : failed, reason: 'failed' };
  if (missing.length > 0) return { kind: 'create', ordinals: ordered ? missing.slice(0, 1) : missing };
  // A Terminating pod is already on its way out: the controller waits for it instead of deleting it again.
  const beyond = [...byOrdinal.keys()].filter((ordinal) => ordinal >= set.replicas);
  const condemned = beyond.filter((ordinal) => cluster.pods.get(byOrdinal.get(ordinal) as string)?.deletionTick === null).sort((a, b) => b - a);
  // OrderedReady also waits until condemned successors are fully gone.
  const successorTerminating = condemned.length < beyond.length;
  if (condemned.length > 0 && !(ordered && (blocked || successorTerminating))) {
    const names = condemned.map((ordinal) => `${set.name}-${ordinal}`);
    return { kind: 'delete', podNames: ordered ? names.slice(0, 1) : names, reason: 'condemned' };
  }
  if (!blocked && readyReplicas === set.replicas) {
    for (let ordinal = set.replicas - 1; ordinal >= 0; ordinal--) {
      const pod = cluster.pods.get(byOrdinal.get(ordinal) as string);
      if (pod !== undefined && pod.deletionTick === null && pod.labels['controller-revision-hash'] !== revisionHash(set)) return { kind: 'delete', podNames: [pod.name], reason: 'update' };
    }
  }
  const status = { replicas: byOrdinal.size, readyReplicas, updatedReplicas };
  const current = set.status;
  if (current.replicas !== status.replicas || current.readyReplicas !== status.readyReplicas || current.updatedReplicas !== status.updatedReplicas) return { kind: 'status', status };
  return { kind: 'idle' };
}

function createOrdinal(cluster: Cluster, set: StatefulSet, ordinal: number, now: Tick): Cluster {
  const podName = `${set.name}-${ordinal}`;
  let next = cluster;
  const claimNames: string[] = [];
  for (const claim of set.volumeClaimTemplates) {
    const claimName = `${claim.name}-${set.name}-${ordinal}`;
    claimNames.push(claimName);
    if (next.pvcs.has(objectKey(set.namespace, claimName))) continue;
    next = clusterEnsurePvc(next, set.namespace, claimName, claim.storageMiB, set.template.labels, now);
    // stateful_set_utils.go / stateful_pod_control.go recordClaimEvent
    next = recordEvent(next, { type: 'Normal', reason: 'SuccessfulCreate', message: `create Claim ${claimName} Pod ${podName} in StatefulSet ${set.name} success`, involvedObject: `StatefulSet/${set.name}`, source: 'statefulset-controller' }, now);
  }
  next = clusterCreatePod(
    next,
    {
      name: podName,
      namespace: set.namespace,
      labels: {
        ...set.template.labels,
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': String(ordinal),
        'controller-revision-hash': revisionHash(set),
      },
      annotations: set.template.annotations,
      ownerReference: { kind: 'StatefulSet', name: set.name },
      containers: set.template.containers.map((container) => ({ name: container.name, image: container.image, imagePullPolicy: container.imagePullPolicy, requests: container.resources.requests })),
      nodeSelector: set.template.nodeSelector,
      ...(set.template.affinity === null ? {} : { affinity: set.template.affinity }),
      tolerations: set.template.tolerations,
      claimNames,
    },
    now,
  );
  // stateful_pod_control.go recordPodEvent: "create Pod %s in StatefulSet %s successful"
  return recordEvent(next, { type: 'Normal', reason: 'SuccessfulCreate', message: `create Pod ${podName} in StatefulSet ${set.name} successful`, involvedObject: `StatefulSet/${set.name}`, source: 'statefulset-controller' }, now);
}

/** One sync of StatefulSet `key`; asserts it had something to do (see {@link statefulSetPlan}). */
export function statefulSetSync(cluster: Cluster, key: string, now: Tick): Cluster {
  const set = cluster.statefulSets[key];
  assert(set !== undefined, `statefulset ${key} does not exist`);
  const plan = statefulSetPlan(cluster, set);
  switch (plan.kind) {
    case 'create':
      return plan.ordinals.reduce((next, ordinal) => createOrdinal(next, set, ordinal, now), cluster);
    case 'delete':
      return plan.podNames.reduce((next, podName) => {
        const deleted = clusterDeletePod(next, set.namespace, podName, now);
        return recordEvent(deleted, { type: 'Normal', reason: 'SuccessfulDelete', message: `delete Pod ${podName} in StatefulSet ${set.name} successful`, involvedObject: `StatefulSet/${set.name}`, source: 'statefulset-controller' }, now);
      }, cluster);
    case 'status':
      return writeSet(cluster, { ...set, status: plan.status }, key);
    case 'idle':
      throw new Error(`statefulset ${key} has nothing to sync`);
    default:
      return unreachable(plan, 'statefulset plan');
  }
}
