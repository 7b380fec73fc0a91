/**
 * The Kubernetes scheduling vocabulary KubeBlocks passes through to pods, in the shape of the
 * upstream API (`k8s.io/api/core/v1`: Affinity, PodAffinityTerm, Toleration,
 * TopologySpreadConstraint; `metav1.LabelSelector`) so a cluster spec reads like the YAML a user
 * applies. Plain JSON data: no classes, no Maps.
 *
 * A `labelSelector` may be `null` or absent: upstream a null selector matches no pods, and
 * KubeBlocks v1.0.0 dereferenced it while restoring (PR #9413), so the model keeps the case.
 */

// The pod-level vocabulary is the substrate's own (`src/sim/cluster/types.ts`), so a rendered policy
// lands on a substrate pod without conversion; this module adds what only KubeBlocks has.
import type { Affinity, LabelSelector, Toleration } from '../../sim/cluster/types.ts';
export type {
  Affinity,
  LabelSelector,
  LabelSelectorRequirement,
  NodeAffinity,
  NodeSelectorTerm,
  PodAffinityRules,
  PodAffinityTerm,
  Toleration,
  WeightedPodAffinityTerm,
} from '../../sim/cluster/types.ts';

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
