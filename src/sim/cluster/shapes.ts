/**
 * One object shape per substrate part. Every write builds the next cluster with a spread
 * (`{ ...cluster, pods, index }`), and V8 gives each spread site's result a map of its own: a warm
 * KubeBlocks swarm met 12 maps of `Cluster` and 12 of `ClusterIndex`, so every read and spread of
 * them went megamorphic. A model's step rebuilds its result's cluster here, once, from a literal
 * with the keys in the order `clusterCreate` makes them: the same data, the same key order (so
 * JSON and traces are unchanged), one map. Untouched parts keep their identity. Pods and nodes
 * (7 maps each, pod statuses 23) are rebuilt the same way by the one place that writes them
 * (`writePod`, `writeNode`), in the key order of `podFromInput` and `nodeFromInput`.
 */
import type { Cluster, ClusterIndex, Node, Pod, PodKubelet, PodSchedulingState, PodSpec, PodStatus } from './types.ts';

function shapedIndex(index: ClusterIndex): ClusterIndex {
  return { podsByNode: index.podsByNode, podsByLabel: index.podsByLabel, podsWithAffinity: index.podsWithAffinity, requestedByNode: index.requestedByNode };
}

/** `after` (a step's result from `before`) rebuilt in the one shape of its kind, or `after` itself when the step left it. */
export function shapedCluster(before: Cluster, after: Cluster): Cluster {
  if (after === before) return after;
  return {
    resourceVersion: after.resourceVersion,
    schedulingEpoch: after.schedulingEpoch,
    registryVersion: after.registryVersion,
    timing: after.timing,
    scheduler: after.scheduler,
    nodeNames: after.nodeNames,
    nodes: after.nodes,
    pods: after.pods,
    pvcs: after.pvcs,
    statefulSets: after.statefulSets,
    pdbs: after.pdbs,
    registry: after.registry,
    events: after.events,
    index: after.index === before.index ? after.index : shapedIndex(after.index),
  };
}

function shapedPodSpec(spec: PodSpec): PodSpec {
  return { containers: spec.containers, nodeSelector: spec.nodeSelector, affinity: spec.affinity, tolerations: spec.tolerations, volumes: spec.volumes, nodeName: spec.nodeName };
}

function shapedPodStatus(status: PodStatus): PodStatus {
  return { phase: status.phase, conditions: status.conditions, containerStatuses: status.containerStatuses };
}

function shapedPodKubelet(kubelet: PodKubelet): PodKubelet {
  return { startDueTick: kubelet.startDueTick, readyDueTick: kubelet.readyDueTick, pullFailedRegistryVersion: kubelet.pullFailedRegistryVersion };
}

function shapedPodScheduling(scheduling: PodSchedulingState): PodSchedulingState {
  return { failedEpoch: scheduling.failedEpoch };
}

/**
 * `pod` stamped with `resourceVersion`, in the one shape of a pod; its parts that differ from
 * `before` (the stored version, if any) rebuilt in theirs, the others kept.
 */
export function shapedPod(pod: Pod, resourceVersion: number, before: Pod | undefined): Pod {
  return {
    name: pod.name,
    namespace: pod.namespace,
    resourceVersion,
    creationTick: pod.creationTick,
    labels: pod.labels,
    annotations: pod.annotations,
    ownerReference: pod.ownerReference,
    deletionTick: pod.deletionTick,
    spec: pod.spec === before?.spec ? pod.spec : shapedPodSpec(pod.spec),
    status: pod.status === before?.status ? pod.status : shapedPodStatus(pod.status),
    kubelet: pod.kubelet === before?.kubelet ? pod.kubelet : shapedPodKubelet(pod.kubelet),
    scheduling: pod.scheduling === before?.scheduling ? pod.scheduling : shapedPodScheduling(pod.scheduling),
  };
}

/** `node` stamped with `resourceVersion`, in the one shape of a node. */
export function shapedNode(node: Node, resourceVersion: number): Node {
  return {
    name: node.name,
    resourceVersion,
    labels: node.labels,
    allocatable: node.allocatable,
    taints: node.taints,
    unschedulable: node.unschedulable,
    conditions: node.conditions,
    disks: node.disks,
    imageCache: node.imageCache,
    incarnation: node.incarnation,
    drain: node.drain,
  };
}
