/**
 * The simulated Kubernetes cluster as plain, JSON-serializable data: nodes with disks and an image
 * cache, pods, PVCs, StatefulSets, PodDisruptionBudgets, an image registry and the Events log.
 * Field names follow the upstream API (`spec.nodeName`, `status.containerStatuses[].imageID`);
 * where the simulator needs bookkeeping upstream keeps elsewhere (kubelet due ticks, the scheduler
 * queue) it lives in a field named for it (`kubelet`, `scheduling`), so worlds stay self-contained.
 *
 * Every write bumps `Cluster.resourceVersion` and stamps the new value on the object it touched,
 * so an operator controller can tell cheaply whether what it watches changed.
 */
import type { KubeEvent } from '../events.ts';
import type { Tick } from '../ticks.ts';
import type { Table } from './table.ts';

/** Plain string map (labels, annotations, nodeSelector). Keys are never numeric-looking. */
export type StringMap = Readonly<Record<string, string>>;

/** CPU in millicores and memory in MiB. */
export interface Resources {
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  readonly key: string;
  /** Empty string when the taint has no value (`node.kubernetes.io/unreachable`). */
  readonly value: string;
  readonly effect: TaintEffect;
}

export interface Toleration {
  /** Absent with operator `Exists` tolerates every taint. */
  readonly key?: string;
  /** Defaults to `Equal`. */
  readonly operator?: 'Equal' | 'Exists';
  readonly value?: string;
  /** Absent tolerates every effect. */
  readonly effect?: TaintEffect;
  /** NoExecute only: how long the pod stays bound after the taint appears; absent means forever. */
  readonly tolerationSeconds?: number;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTick: Tick;
}

/** A disk of a node. Re-imaging the node (replace) gives it a new `uuid`. */
export interface Disk {
  readonly name: string;
  readonly uuid: string;
  readonly capacityMiB: number;
}

export interface Node {
  readonly name: string;
  readonly resourceVersion: number;
  /** Always holds `kubernetes.io/hostname` and `topology.kubernetes.io/zone`. */
  readonly labels: StringMap;
  readonly allocatable: Resources;
  /** Taints in node order; the fault ones (`node.kubernetes.io/unreachable`) are added and removed by the substrate. */
  readonly taints: readonly Taint[];
  /** `spec.unschedulable` (cordon). */
  readonly unschedulable: boolean;
  /** Holds one condition of type `Ready`. */
  readonly conditions: readonly Condition[];
  readonly disks: readonly Disk[];
  /** Image reference (registry-qualified, `docker.io/library/nginx:1.25`) → digest as pulled. */
  readonly imageCache: StringMap;
  /** How many times the node was re-imaged (replace); disk UUIDs derive from it. */
  readonly incarnation: number;
  /** A drain in progress (kubectl retries refused evictions every 5 s), or null. */
  readonly drain: NodeDrain | null;
}

export interface NodeDrain {
  readonly startedTick: Tick;
  readonly retryDueTick: Tick;
  /** kubectl's last refusal line, e.g. `error when evicting pods/"im-1" -n longhorn-system (will retry after 5s): …`. */
  readonly lastError: string | null;
}

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** `{}` (both absent) selects everything; a null selector (in a term) selects nothing. */
export interface LabelSelector {
  readonly matchLabels?: StringMap;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface PodAffinityTerm {
  /** Absent or null selects no pods. */
  readonly labelSelector?: LabelSelector | null;
  /** Empty/absent together with an absent `namespaceSelector`: the incoming pod's own namespace. */
  readonly namespaces?: readonly string[];
  /** `{}` selects every namespace; namespaces carry only `kubernetes.io/metadata.name`. */
  readonly namespaceSelector?: LabelSelector;
  readonly topologyKey: string;
}

export interface WeightedPodAffinityTerm {
  /** 1..100 */
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

export interface PodAffinityRules {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[];
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedPodAffinityTerm[];
}

/** Node affinity, reduced to label requirements (matchExpressions over node labels). */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

export interface NodeAffinity {
  /** ORed terms; each term's expressions are ANDed. */
  readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms: readonly NodeSelectorTerm[] };
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { readonly weight: number; readonly preference: NodeSelectorTerm }[];
}

export interface Affinity {
  readonly nodeAffinity?: NodeAffinity;
  readonly podAffinity?: PodAffinityRules;
  readonly podAntiAffinity?: PodAffinityRules;
}

export type ImagePullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface Container {
  readonly name: string;
  /** As written in the spec (`apecloud/spilo:16`). */
  readonly image: string;
  readonly imagePullPolicy: ImagePullPolicy;
  readonly resources: { readonly requests: Resources };
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly nodeSelector: StringMap;
  readonly affinity: Affinity | null;
  readonly tolerations: readonly Toleration[];
  /** `persistentVolumeClaim.claimName` of each volume. */
  readonly volumes: readonly { readonly name: string; readonly claimName: string }[];
  /** Set by the scheduler's bind; null while unscheduled. */
  readonly nodeName: string | null;
}

export type ContainerState =
  | { readonly waiting: { readonly reason: string; readonly message: string } }
  | { readonly running: { readonly startedTick: Tick } }
  | { readonly terminated: { readonly reason: string; readonly exitCode: number } };

export interface ContainerStatus {
  readonly name: string;
  /** What the runtime resolved, registry-qualified (`docker.io/apecloud/spilo:16`). */
  readonly image: string;
  /** `docker.io/apecloud/spilo@sha256:…`: the digest actually running. Empty before the image is resolved. */
  readonly imageID: string;
  readonly ready: boolean;
  readonly started: boolean;
  readonly restartCount: number;
  readonly state: ContainerState;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodStatus {
  readonly phase: PodPhase;
  /** `PodScheduled` and `Ready` (with `ContainersReady`), upstream reasons. */
  readonly conditions: readonly Condition[];
  readonly containerStatuses: readonly ContainerStatus[];
}

export interface OwnerReference {
  readonly kind: string;
  readonly name: string;
}

/** Simulator bookkeeping of the kubelet for one pod: the ticks its delayed steps become due. */
export interface PodKubelet {
  /** Containers start at this tick (set when the kubelet admitted the pod and resolved its images). */
  readonly startDueTick: Tick | null;
  /** Readiness flips to true at this tick (set when containers started). */
  readonly readyDueTick: Tick | null;
  /** The registry version a failed pull saw; the kubelet retries once the registry changes. */
  readonly pullFailedRegistryVersion: number | null;
}

/** Simulator bookkeeping of the scheduling queue for one pod. */
export interface PodSchedulingState {
  /** `Cluster.schedulingEpoch` at the last failed attempt; the pod is retried when the epoch moves. */
  readonly failedEpoch: number | null;
}

export interface Pod {
  readonly name: string;
  readonly namespace: string;
  readonly resourceVersion: number;
  readonly creationTick: Tick;
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly ownerReference: OwnerReference | null;
  /**
   * `metadata.deletionTimestamp`: set when the pod was deleted while its node was unreachable, so no
   * kubelet could confirm termination. The pod stays (Terminating) until its node is back or gone.
   */
  readonly deletionTick: Tick | null;
  readonly spec: PodSpec;
  readonly status: PodStatus;
  readonly kubelet: PodKubelet;
  readonly scheduling: PodSchedulingState;
}

export interface PersistentVolumeClaim {
  readonly name: string;
  readonly namespace: string;
  readonly resourceVersion: number;
  readonly labels: StringMap;
  readonly storageMiB: number;
  readonly creationTick: Tick;
}

export type PodManagementPolicy = 'OrderedReady' | 'Parallel';

export interface PodTemplate {
  readonly labels: StringMap;
  readonly annotations: StringMap;
  readonly containers: readonly Container[];
  readonly nodeSelector: StringMap;
  readonly affinity: Affinity | null;
  readonly tolerations: readonly Toleration[];
}

export interface StatefulSet {
  readonly name: string;
  readonly namespace: string;
  readonly resourceVersion: number;
  readonly replicas: number;
  readonly podManagementPolicy: PodManagementPolicy;
  readonly template: PodTemplate;
  readonly volumeClaimTemplates: readonly { readonly name: string; readonly storageMiB: number }[];
  /** Bumped when the template changes; pods carry `controller-revision-hash: <name>-<revision>`. */
  readonly revision: number;
  readonly status: {
    readonly replicas: number;
    readonly readyReplicas: number;
    readonly updatedReplicas: number;
  };
}

export interface PodDisruptionBudget {
  readonly name: string;
  readonly namespace: string;
  readonly resourceVersion: number;
  readonly selector: LabelSelector;
  readonly minAvailable: number;
}

/**
 * Derived indexes, maintained on every write (copy-on-write of the touched entries only). The keyed
 * ones are {@link Table}s (read with `get`), as they hold an entry per node or per distinct label.
 */
export interface ClusterIndex {
  /** Node name → keys of the pods bound to it, sorted. */
  readonly podsByNode: Table<readonly string[]>;
  /** `key=value` → keys of the pods carrying that label, sorted; a label no pod carries has no entry. */
  readonly podsByLabel: Table<readonly string[]>;
  /** Keys of the bound pods that declare pod affinity or anti-affinity (checked in reverse), sorted. */
  readonly podsWithAffinity: readonly string[];
  /** Node name → sum of the container requests of the pods bound to it. */
  readonly requestedByNode: Table<Resources>;
}

/** Virtual delays of the substrate, in ticks. */
export interface ClusterTiming {
  /** Time to pull an image that is not cached. */
  readonly pullDelayTicks: Tick;
  /** Time from admission (image present) to containers running. */
  readonly startDelayTicks: Tick;
  /** Time from containers running to the readiness probe passing. */
  readonly readyDelayTicks: Tick;
  /** kubectl drain's retry interval after a refused eviction (5 s upstream). */
  readonly drainRetryTicks: Tick;
}

/** How the scheduler words its messages, by Kubernetes version. */
export interface SchedulerProfile {
  /**
   * Append DefaultPreemption's PostFilter message (reference §5.3), e.g. `… rules. preemption: 0/3
   * nodes are available: 3 No preemption victims found for incoming pod.`; recent versions print it,
   * the exact wording is version-specific (reference §8), so it is off by default.
   */
  readonly preemptionMessage: boolean;
}

export interface Cluster {
  /** Bumped by every write; the touched object carries the new value. */
  readonly resourceVersion: number;
  /** Bumped by changes that can make an unschedulable pod fit (node update, pod delete/bind/relabel). */
  readonly schedulingEpoch: number;
  /** Bumped by every registry change (push, re-point). */
  readonly registryVersion: number;
  readonly timing: ClusterTiming;
  readonly scheduler: SchedulerProfile;
  /** Node names, sorted: the scheduler's and the actions' iteration order. */
  readonly nodeNames: readonly string[];
  /** Keyed by node name, in creation order. A {@link Table} like `pods` (read with `nodes.get(name)`). */
  readonly nodes: Table<Node>;
  /**
   * Keyed by `namespace/name`, in creation order (a pod deleted and created again goes last). A
   * {@link Table}, not a plain record: read it with `pods.get('ns/name')`, `pods.has(key)`,
   * `pods.keys()`, `pods.values()` or `for (const [key, pod] of pods)`; `JSON.stringify` writes it
   * as the plain record `{ "ns/name": pod, … }`. Write it through the store (writePod), never by hand.
   */
  readonly pods: Table<Pod>;
  /** Keyed by `namespace/name`, in creation order; a {@link Table} like `pods`. */
  readonly pvcs: Table<PersistentVolumeClaim>;
  readonly statefulSets: Readonly<Record<string, StatefulSet>>;
  readonly pdbs: Readonly<Record<string, PodDisruptionBudget>>;
  /** Registry-qualified `repo:tag` → current digest (`sha256:…`). */
  readonly registry: StringMap;
  readonly events: readonly KubeEvent[];
  readonly index: ClusterIndex;
}
