/**
 * The Kubernetes scheduling vocabulary KubeBlocks passes through to pods, in the shape of the
 * upstream API (`k8s.io/api/core/v1`: Affinity, PodAffinityTerm, Toleration,
 * TopologySpreadConstraint; `metav1.LabelSelector`) so a cluster spec reads like the YAML a user
 * applies. Plain JSON data: no classes, no Maps.
 *
 * A `labelSelector` may be `null` or absent: upstream a null selector matches no pods, and
 * KubeBlocks v1.0.0 dereferenced it while restoring (PR #9413), so the model keeps the case.
 */

/** `metav1.LabelSelectorRequirement`. */
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** `metav1.LabelSelector`: matchLabels AND every matchExpression. */
export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** `corev1.PodAffinityTerm`. Null/absent `namespaces` means the incoming pod's own namespace. */
export interface PodAffinityTerm {
  readonly labelSelector?: LabelSelector | null;
  readonly topologyKey: string;
  readonly namespaces?: readonly string[];
}

/** `corev1.WeightedPodAffinityTerm` (weight 1..100). */
export interface WeightedPodAffinityTerm {
  readonly weight: number;
  readonly podAffinityTerm: PodAffinityTerm;
}

/** `corev1.PodAffinity` / `corev1.PodAntiAffinity` (same shape). */
export interface PodAffinityRules {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[];
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedPodAffinityTerm[];
}

/** `corev1.NodeSelectorRequirement` (only what the model needs: In / NotIn / Exists). */
export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values?: readonly string[];
}

/** `corev1.NodeSelectorTerm`. */
export interface NodeSelectorTerm {
  readonly matchExpressions?: readonly NodeSelectorRequirement[];
}

/** `corev1.NodeAffinity`. */
export interface NodeAffinity {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: { readonly nodeSelectorTerms: readonly NodeSelectorTerm[] };
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { readonly weight: number; readonly preference: NodeSelectorTerm }[];
}

/** `corev1.Affinity`. */
export interface Affinity {
  readonly nodeAffinity?: NodeAffinity;
  readonly podAffinity?: PodAffinityRules;
  readonly podAntiAffinity?: PodAffinityRules;
}

/** `corev1.Toleration`. */
export interface Toleration {
  readonly key?: string;
  readonly operator?: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** `corev1.TopologySpreadConstraint`. */
export interface TopologySpreadConstraint {
  readonly maxSkew: number;
  readonly topologyKey: string;
  readonly whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  readonly labelSelector?: LabelSelector | null;
}

/**
 * KubeBlocks `SchedulingPolicy` (`apis/apps/v1/types.go`), found on `Cluster.spec`,
 * `componentSpecs[]`, `componentSpecs[].instances[]` and `shardings[].template`.
 */
export interface SchedulingPolicy {
  readonly schedulerName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly nodeName?: string;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
}

/** The scheduling part of a pod spec, as `ApplySchedulingPolicyToPodSpec` writes it. */
export interface PodScheduling {
  readonly schedulerName?: string;
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly nodeName?: string;
  readonly affinity?: Affinity;
  readonly tolerations?: readonly Toleration[];
  readonly topologySpreadConstraints?: readonly TopologySpreadConstraint[];
}

/** Upstream label keys (`pkg/constant/labels.go`). */
export const labelAppInstance = 'app.kubernetes.io/instance';
export const labelAppManagedBy = 'app.kubernetes.io/managed-by';
export const labelAppName = 'app.kubernetes.io/name';
export const labelComponentName = 'apps.kubeblocks.io/component-name';
export const labelHostname = 'kubernetes.io/hostname';
/** The value of `app.kubernetes.io/managed-by` on KubeBlocks workloads (`constant.AppName`). */
export const managedByKubeBlocks = 'kubeblocks';
/** The value on dataprotection restore jobs (`dptypes.AppName`). */
export const managedByDataProtection = 'kubeblocks-dataprotection';
/** `dataprotection.kubeblocks.io/restore` on restore job pods (`BuildRestoreLabels`). */
export const labelRestoreName = 'dataprotection.kubeblocks.io/restore';
