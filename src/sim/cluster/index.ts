/**
 * The simulated Kubernetes substrate every operator model runs on (issue 3).
 *
 * A {@link Cluster} is plain JSON data: nodes (labels incl. `kubernetes.io/hostname` and
 * `topology.kubernetes.io/zone`, allocatable, taints, `unschedulable`, a `Ready` condition, disks
 * with UUIDs, an image cache), pods, PVCs, StatefulSets, PDBs, an image registry and the Events log.
 * Every write bumps `cluster.resourceVersion` and stamps it on the object it touched: a controller
 * remembers the `resourceVersion` it last reconciled and is dirty when the object's differs.
 * All functions are pure; the ones where time matters take an explicit `now`.
 *
 * - Build: `clusterCreate({ nodes: nodePool(3, ['zone-a', 'zone-b']), images: ['apecloud/spilo:16'] })`.
 * - Write: `clusterCreatePod`, `clusterDeletePod`, `clusterPatchPodMetadata`, `clusterCreateStatefulSet`,
 *   `clusterScaleStatefulSet`, `clusterUpdateStatefulSetTemplate`, `clusterDeleteStatefulSet`,
 *   `clusterCreatePdb`, `clusterEvictPod`, `clusterEnsurePvc`, node operations (`clusterNodeDown`,
 *   `clusterNodeUp`, `clusterCordon`, `clusterUncordon`, `clusterDrain`, `clusterNodeReplace`) and
 *   the registry (`clusterRegistryPush`, `clusterRegistryRepoint`).
 * - Low level: `writePod(cluster, 'ns/name', pod | null)` and `writeNode(cluster, node, schedulingRelevant)`
 *   write one object with resourceVersion and indexes kept right (a status patch, a role label).
 * - Read: `cluster.pods.get('ns/name')` (pods are a {@link Table}: `get`, `has`, `keys()`, `values()`,
 *   iteration of `[key, pod]`; JSON as the plain record), `podIsReady`, `podCondition`, `nodeIsReady`, `pdbStatus`,
 *   `scheduleEvaluate` (a dry-run scheduling cycle), `cluster.index.podsByNode.get(...)`, `eventsAbout`.
 * - Step: `clusterActions(cluster, now, { faults })` lists the enabled substrate steps (scheduler,
 *   kubelet sync/start/ready, StatefulSet controller, taint eviction, drain retries, and the fault
 *   kinds the model offers: node.down/up/cordon/uncordon/drain/replace, image.repoint, pod.delete,
 *   pod.restart, statefulset.delete); `clusterSystemActions(cluster, now)` and
 *   `clusterFaultActions(cluster, { faults })` are its two parts, for a model that lists its
 *   environment moves apart (`Model.systemActions` / `Model.environmentActions`);
 *   `clusterApply(cluster, action, now)` performs one; `clusterNextDueTick(cluster)` is the earliest
 *   tick a delayed step becomes due; `clusterSettle(cluster, now)` brings down nodes back up.
 *
 * Semantics worth knowing: a node that goes down gets `Ready=Unknown` and the unreachable taints,
 * its pods `Ready=False` at once and, 300 ticks later (DefaultTolerationSeconds), a deletion that
 * leaves them Terminating (`deletionTick`) until the node is back or replaced; deleting a pod on a
 * Ready node removes it at once. An unschedulable pod is retried only after a change that can make
 * it fit (`schedulingEpoch`), so a quiet cluster offers no action. `scheduler.preemptionMessage`
 * (in `clusterCreate`'s input) appends upstream's `preemption: …` suffix to FailedScheduling.
 *
 * Example: an operator model embedding the substrate next to its own objects and clock.
 *
 * ```ts
 * interface World { readonly now: Tick; readonly cluster: Cluster; readonly myOperator: MyState }
 * type Action = ClusterAction | MyAction | TimeAction;
 * const faults: ClusterActionOptions = { faults: ['node.down', 'node.replace'] };
 * const model: Model<World, Action, Options> = {
 *   actions: (w) => [
 *     ...clusterActions(w.cluster, w.now, faults),
 *     ...myReconcileActions(w), // enabled when a watched object's resourceVersion moved
 *     timeAction(w.now, minDue(clusterNextDueTick(w.cluster), myNextDue(w)), 10),
 *   ],
 *   apply: (w, a) =>
 *     isClusterAction(a) ? { ...w, cluster: clusterApply(w.cluster, a, w.now) }
 *     : a.kind === 'time' ? { ...w, now: a.to }
 *     : myApply(w, a), // e.g. { ...w, cluster: clusterCreatePod(w.cluster, {...}, w.now) }
 *   settle: (w) => ({ ...w, cluster: clusterSettle(w.cluster, w.now) }),
 *   now: (w) => w.now,
 *   // …
 * };
 * ```
 */
export type {
  StringMap,
  Resources,
  TaintEffect,
  Taint,
  Toleration,
  ConditionStatus,
  Condition,
  Disk,
  Node,
  NodeDrain,
  LabelSelectorRequirement,
  LabelSelector,
  PodAffinityTerm,
  WeightedPodAffinityTerm,
  PodAffinityRules,
  NodeSelectorTerm,
  NodeAffinity,
  Affinity,
  ImagePullPolicy,
  Container,
  PodSpec,
  ContainerState,
  ContainerStatus,
  PodPhase,
  PodStatus,
  OwnerReference,
  PodKubelet,
  PodSchedulingState,
  Pod,
  PersistentVolumeClaim,
  PodManagementPolicy,
  PodTemplate,
  StatefulSet,
  PodDisruptionBudget,
  ClusterIndex,
  ClusterTiming,
  SchedulerProfile,
  Cluster,
} from './types.ts';
export {
  clusterCreate,
  writePod,
  writeNode,
  nodePool,
  diskUuid,
  objectKey,
  podRef,
  recordEvent,
  podRequests,
  hostnameLabel,
  zoneLabel,
  clusterNodesMax,
  clusterPodsMax,
  clusterTimingDefaults,
  type NodeInput,
  type ClusterInput,
} from './store.ts';
export {
  selectorMatches,
  requirementMatches,
  toleratesTaint,
  firstUntoleratedTaint,
  imageNormalize,
  imageRepository,
  imagePullPolicyDefault,
} from './match.ts';
export {
  clusterCreatePod,
  clusterDeletePod,
  clusterPatchPodMetadata,
  clusterEnsurePvc,
  clusterDeletePvc,
  podCondition,
  podIsReady,
  podIsTerminating,
  withCondition,
  type DeleteOptions,
  type PodInput,
  type ContainerInput,
} from './pods.ts';
export {
  scheduleEvaluate,
  clusterSchedulePod,
  podIsSchedulable,
  fitErrorMessage,
  preemptionMessage,
  termMatchesPod,
  reasonUnschedulable,
  reasonNodeAffinity,
  reasonAffinityRules,
  reasonAntiAffinityRules,
  reasonExistingAntiAffinity,
  reasonUntoleratedTaint,
  type ScheduleVerdict,
} from './scheduler.ts';
export { kubeletSync, kubeletStart, kubeletReady, kubeletRestart, kubeletCanSync, kubeletCanStart, kubeletCanReady, kubeletCanRestart, nodeIsReady, runtimeStatusImage } from './kubelet.ts';
export { taintEvict, taintEvictionDueTick, defaultTolerationSeconds } from './taint-eviction.ts';
export {
  clusterCreateStatefulSet,
  clusterScaleStatefulSet,
  clusterUpdateStatefulSetTemplate,
  clusterDeleteStatefulSet,
  statefulSetPlan,
  statefulSetSync,
  revisionHash,
  statefulSetReplicasMax,
  type StatefulSetInput,
} from './statefulset.ts';
export {
  clusterNodeDown,
  clusterNodeUp,
  clusterCordon,
  clusterUncordon,
  clusterDrain,
  clusterDrainRetry,
  clusterNodeReplace,
  clusterCreatePdb,
  clusterDeletePdb,
  clusterEvictPod,
  pdbStatus,
  evictionRefusedMessage,
  clusterRegistryPush,
  clusterRegistryRepoint,
  type PdbInput,
} from './nodes.ts';
export {
  clusterActions,
  clusterSystemActions,
  clusterFaultActions,
  clusterApply,
  clusterNextDueTick,
  clusterSettle,
  isClusterAction,
  clusterFaultKinds,
  type ClusterAction,
  type ClusterActionOptions,
  type ClusterFaultKind,
} from './actions.ts';
export { Table, isTable, tableKeysChanged } from './table.ts';
