/**
 * Pods and PVCs: creating them from a compact input (API-server defaulting included), deleting
 * them, and reading their conditions.
 */
import { assert } from '../assert.ts';
import type { Tick } from '../ticks.ts';
import { imagePullPolicyDefault } from './match.ts';
import { objectKey, podRef, recordEvent, writePod } from './store.ts';
import type {
  Affinity,
  Cluster,
  Condition,
  Container,
  ImagePullPolicy,
  OwnerReference,
  PersistentVolumeClaim,
  Pod,
  Resources,
  StringMap,
  Toleration,
} from './types.ts';

export interface ContainerInput {
  readonly name: string;
  readonly image: string;
  /** Defaulted as the API server does: `Always` for `:latest` or no tag, else `IfNotPresent`. */
  readonly imagePullPolicy?: ImagePullPolicy;
  readonly requests?: Resources;
}

export interface PodInput {
  readonly name: string;
  /** Defaults to `default`. */
  readonly namespace?: string;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
  readonly ownerReference?: OwnerReference;
  readonly containers: readonly ContainerInput[];
  readonly nodeSelector?: StringMap;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  /** PVC claim names, mounted as volumes named after the claim. */
  readonly claimNames?: readonly string[];
}

/** The container as the API server stores it after defaulting. */
export function containerFromInput(input: ContainerInput): Container {
  assert(input.name.length > 0 && input.image.length > 0, 'a container needs a name and an image');
  return {
    name: input.name,
    image: input.image,
    imagePullPolicy: input.imagePullPolicy ?? imagePullPolicyDefault(input.image),
    resources: { requests: input.requests ?? { cpuMillis: 100, memoryMiB: 128 } },
  };
}

/** The conditions of a pod the scheduler has not looked at yet. */
function pendingConditions(): readonly Condition[] {
  return [];
}

/** A new Pending pod object (not yet written). */
export function podFromInput(input: PodInput, now: Tick): Pod {
  assert(input.containers.length > 0, `pod ${input.name} needs a container`);
  const containers = input.containers.map(containerFromInput);
  return {
    name: input.name,
    namespace: input.namespace ?? 'default',
    resourceVersion: 0,
    creationTick: now,
    labels: input.labels ?? {},
    annotations: input.annotations ?? {},
    ownerReference: input.ownerReference ?? null,
    deletionTick: null,
    spec: {
      containers,
      nodeSelector: input.nodeSelector ?? {},
      affinity: input.affinity ?? null,
      tolerations: input.tolerations ?? [],
      volumes: (input.claimNames ?? []).map((claimName) => ({ name: claimName, claimName })),
      nodeName: null,
    },
    status: {
      phase: 'Pending',
      conditions: pendingConditions(),
      containerStatuses: containers.map((container) => ({
        name: container.name,
        image: container.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating', message: '' } },
      })),
    },
    kubelet: { startDueTick: null, readyDueTick: null, pullFailedRegistryVersion: null },
    scheduling: { failedEpoch: null },
  };
}

/** Creates a Pending pod; the scheduler picks it up. Fails if the name is taken. */
export function clusterCreatePod(cluster: Cluster, input: PodInput, now: Tick): Cluster {
  const pod = podFromInput(input, now);
  const key = objectKey(pod.namespace, pod.name);
  assert(!cluster.pods.has(key), `pod ${key} already exists`);
  return writePod(cluster, key, pod);
}

function nodeReady(cluster: Cluster, nodeName: string | null): boolean {
  if (nodeName === null) return true;
  const node = cluster.nodes.get(nodeName);
  return node === undefined || node.conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

export interface DeleteOptions {
  /** `--grace-period=0 --force`: remove the object even though no kubelet confirmed termination. */
  readonly force?: boolean;
}

/**
 * Deletes a pod. On a Ready node (or unbound) the pod is gone at once (graceful termination is not
 * modelled); on an unreachable node it only gets a `deletionTick` and stays Terminating until the
 * node returns or is replaced, unless `force`. Its PVCs stay either way.
 */
export function clusterDeletePod(cluster: Cluster, namespace: string, name: string, now: Tick, options: DeleteOptions = {}): Cluster {
  const key = objectKey(namespace, name);
  const pod = cluster.pods.get(key);
  assert(pod !== undefined, `pod ${key} does not exist`);
  if (!options.force && !nodeReady(cluster, pod.spec.nodeName)) {
    return pod.deletionTick === null ? writePod(cluster, key, { ...pod, deletionTick: now }) : cluster;
  }
  let next = writePod(cluster, key, null);
  if (pod.spec.nodeName !== null && nodeReady(cluster, pod.spec.nodeName) && pod.status.containerStatuses.some((status) => status.started)) {
    for (const container of pod.spec.containers) {
      // pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer: "Stopping container %s"
      next = recordEvent(next, { type: 'Normal', reason: 'Killing', message: `Stopping container ${container.name}`, involvedObject: `Pod/${podRef(pod)}`, source: 'kubelet' }, now);
    }
  }
  return next;
}

/** True while the pod is Terminating (deleted, waiting for its unreachable node). */
export function podIsTerminating(pod: Pod): boolean {
  return pod.deletionTick !== null;
}

/** Replaces labels and/or annotations of a pod (a patch by an operator). */
export function clusterPatchPodMetadata(cluster: Cluster, namespace: string, name: string, patch: { readonly labels?: StringMap; readonly annotations?: StringMap }): Cluster {
  const key = objectKey(namespace, name);
  const pod = cluster.pods.get(key);
  assert(pod !== undefined, `pod ${key} does not exist`);
  return writePod(cluster, key, {
    ...pod,
    labels: patch.labels ? { ...pod.labels, ...patch.labels } : pod.labels,
    annotations: patch.annotations ? { ...pod.annotations, ...patch.annotations } : pod.annotations,
  });
}

/** The condition of `type` on a pod, or undefined. */
export function podCondition(pod: Pod, type: string): Condition | undefined {
  return pod.status.conditions.find((condition) => condition.type === type);
}

/** Running and Ready, as the StatefulSet controller and PDBs read it (podutil.IsPodReady). */
export function podIsReady(pod: Pod): boolean {
  return pod.status.phase === 'Running' && podCondition(pod, 'Ready')?.status === 'True';
}

/** Sets (or replaces) condition `condition.type`, keeping `lastTransitionTick` when the status did not change. */
export function withCondition(conditions: readonly Condition[], condition: Condition): readonly Condition[] {
  const position = conditions.findIndex((existing) => existing.type === condition.type);
  if (position < 0) return [...conditions, condition];
  const existing = conditions[position] as Condition;
  if (existing.status === condition.status && existing.reason === condition.reason && existing.message === condition.message) return conditions;
  const stamped = existing.status === condition.status ? { ...condition, lastTransitionTick: existing.lastTransitionTick } : condition;
  return [...conditions.slice(0, position), stamped, ...conditions.slice(position + 1)];
}

/** Creates a PVC if none of that name exists (StatefulSets reuse PVCs by name). */
export function clusterEnsurePvc(cluster: Cluster, namespace: string, name: string, storageMiB: number, labels: StringMap, now: Tick): Cluster {
  const key = objectKey(namespace, name);
  if (cluster.pvcs.has(key)) return cluster;
  const resourceVersion = cluster.resourceVersion + 1;
  const pvc: PersistentVolumeClaim = { name, namespace, resourceVersion, labels, storageMiB, creationTick: now };
  return { ...cluster, resourceVersion, pvcs: cluster.pvcs.with(key, pvc) };
}

/** Deletes a PVC (never done by the substrate itself: PVCs outlive pods and StatefulSets). */
export function clusterDeletePvc(cluster: Cluster, namespace: string, name: string): Cluster {
  const key = objectKey(namespace, name);
  assert(cluster.pvcs.has(key), `pvc ${key} does not exist`);
  return { ...cluster, resourceVersion: cluster.resourceVersion + 1, pvcs: cluster.pvcs.without(key) };
}
