/**
 * How KubeBlocks turns the scheduling policies of a Cluster into the scheduling part of a pod spec,
 * and the labels it puts on the pods those policies select.
 *
 * Levels, from the upstream code:
 * - Cluster `spec.schedulingPolicy` and `componentSpecs[].schedulingPolicy`: the component's policy,
 *   when set, *replaces* the cluster's (no merge), then the operator-wide data-plane affinity and
 *   tolerations are merged in (`pkg/controller/scheduling/scheduling_utils.go`,
 *   `BuildSchedulingPolicy` / `buildSchedulingPolicy` / `MergeAffinity`).
 * - Instance templates (`componentSpecs[].instances[].schedulingPolicy`): when set, every field of
 *   the pod's scheduling is *overwritten* by the template's, even the ones the template leaves empty
 *   (`pkg/controller/instanceset/instance_util.go`, `buildInstanceTemplateExt` →
 *   `scheduling.ApplySchedulingPolicyToPodSpec`).
 * - Restore job pods (prepareData) take affinity, tolerations and topology spread constraints from
 *   the component's pod spec (`pkg/controller/plan/restore.go`, `buildSchedulingSpec`), never from
 *   an instance template.
 */
import { assert } from '../../sim/assert.ts';
import { jsonEqual } from '../kubeblocks/memo.ts';
import type {
  Affinity,
  PodAffinityRules,
  PodScheduling,
  SchedulingPolicy,
} from './scheduling-types.ts';
import {
  labelAppInstance,
  labelAppManagedBy,
  labelComponentName,
  labelRestoreName,
  managedByDataProtection,
  managedByKubeBlocks,
} from './scheduling-types.ts';

/** The scheduling-relevant part of a `componentSpecs[].instances[]` entry. */
export interface InstanceTemplateScheduling {
  readonly name: string;
  readonly replicas?: number;
  /** `null` (the KubeBlocks world's spelling) and absent both mean nil. */
  readonly schedulingPolicy?: SchedulingPolicy | null;
}

/** The scheduling-relevant part of a `componentSpecs[]` entry. */
export interface ComponentScheduling {
  readonly name: string;
  readonly replicas: number;
  readonly schedulingPolicy?: SchedulingPolicy | null;
  readonly instances?: readonly InstanceTemplateScheduling[];
}

/** The scheduling-relevant part of a Cluster spec. */
export interface ClusterScheduling {
  readonly schedulingPolicy?: SchedulingPolicy | null;
  readonly componentSpecs: readonly ComponentScheduling[];
}

/**
 * The operator-wide data-plane settings (`CfgKeyDataPlaneAffinity` in the KubeBlocks config);
 * empty by default. Data-plane tolerations are left out on purpose: in the version read,
 * `buildSchedulingPolicy` merges the policy's tolerations into a local copy of the data-plane list
 * (`MergeList(&policy.Tolerations, &tolerations, …)`) and never writes it back, so a pod keeps
 * exactly the policy's tolerations.
 */
export interface DataPlaneScheduling {
  readonly affinity?: Affinity;
}

// Deep structural equality for JSON data (upstream: equality.Semantic.DeepEqual): jsonEqual from ../kubeblocks/memo.ts.

/**
 * `intctrlutil.MergeList(src, dst, cmp)`: each src item replaces an equal dst item or is appended.
 * With DeepEqual as cmp that means: dst, then the src items dst does not already hold.
 */
function mergeList<T>(source: readonly T[] | undefined, destination: readonly T[] | undefined): readonly T[] | undefined {
  if (source === undefined || source.length === 0) return destination;
  const merged = (destination ?? []).slice();
  for (const item of source) {
    const index = merged.findIndex((existing) => jsonEqual(existing, item));
    if (index >= 0) merged[index] = item;
    else merged.push(item);
  }
  return merged;
}

function mergePodRules(source: PodAffinityRules | undefined, destination: PodAffinityRules | undefined): PodAffinityRules | undefined {
  if (source === undefined) return destination;
  const required = mergeList(source.requiredDuringSchedulingIgnoredDuringExecution, destination?.requiredDuringSchedulingIgnoredDuringExecution);
  const preferred = mergeList(source.preferredDuringSchedulingIgnoredDuringExecution, destination?.preferredDuringSchedulingIgnoredDuringExecution);
  return {
    ...(required !== undefined ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
    ...(preferred !== undefined ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  };
}

/**
 * `MergeAffinity(src, dst)`: src's terms are merged into a copy of dst (dst's terms first).
 * Node affinity is kept from dst unless dst has none (the model does not merge node selector terms).
 */
export function mergeAffinity(source: Affinity | undefined, destination: Affinity | undefined): Affinity | undefined {
  if (source === undefined) return destination;
  if (destination === undefined) return source;
  const podAffinity = mergePodRules(source.podAffinity, destination.podAffinity);
  const podAntiAffinity = mergePodRules(source.podAntiAffinity, destination.podAntiAffinity);
  const nodeAffinity = destination.nodeAffinity ?? source.nodeAffinity;
  return {
    ...(nodeAffinity !== undefined ? { nodeAffinity } : {}),
    ...(podAffinity !== undefined ? { podAffinity } : {}),
    ...(podAntiAffinity !== undefined ? { podAntiAffinity } : {}),
  };
}

function isEmptyAffinity(affinity: Affinity | undefined): boolean {
  return affinity === undefined || jsonEqual(affinity, {});
}

/**
 * `BuildSchedulingPolicy(cluster, compSpec)`: undefined when neither the cluster nor the component
 * sets a policy; otherwise the component's policy (or else the cluster's) with the data-plane
 * affinity and tolerations merged in.
 */
export function buildSchedulingPolicy(
  cluster: ClusterScheduling,
  componentName: string,
  dataPlane: DataPlaneScheduling = {},
): SchedulingPolicy | undefined {
  const component = cluster.componentSpecs.find((spec) => spec.name === componentName);
  assert(component !== undefined, `cluster has no componentSpec ${componentName}`);
  const chosen = component.schedulingPolicy ?? cluster.schedulingPolicy;
  if (chosen === undefined || chosen === null) return undefined;
  // buildSchedulingPolicy: MergeAffinity(policy.Affinity, dataPlaneAffinity); an empty data-plane
  // affinity object still makes Affinity non-nil upstream, which changes nothing a scheduler reads.
  const affinity = isEmptyAffinity(dataPlane.affinity) ? chosen.affinity : mergeAffinity(chosen.affinity, dataPlane.affinity);
  const { affinity: _affinity, ...rest } = chosen;
  return { ...rest, ...(affinity !== undefined ? { affinity } : {}) };
}

/**
 * `ApplySchedulingPolicyToPodSpec(podSpec, policy)`: a nil policy leaves the pod as is; a set
 * policy overwrites every scheduling field, including with empty values.
 */
export function applySchedulingPolicyToPod(pod: PodScheduling, policy: SchedulingPolicy | null | undefined): PodScheduling {
  if (policy === undefined || policy === null) return pod;
  return { ...policy };
}

/** The scheduling of the component's default pods (and the source of restore job scheduling). */
export function componentPodScheduling(cluster: ClusterScheduling, componentName: string, dataPlane: DataPlaneScheduling = {}): PodScheduling {
  return applySchedulingPolicyToPod({}, buildSchedulingPolicy(cluster, componentName, dataPlane));
}

/**
 * The scheduling of a pod of instance template `templateName` (or of the default template when
 * `templateName` is null): the component's, then overwritten by the template's policy if it has one.
 */
export function instancePodScheduling(
  cluster: ClusterScheduling,
  componentName: string,
  templateName: string | null,
  dataPlane: DataPlaneScheduling = {},
): PodScheduling {
  const base = componentPodScheduling(cluster, componentName, dataPlane);
  if (templateName === null) return base;
  const component = cluster.componentSpecs.find((spec) => spec.name === componentName);
  assert(component !== undefined, `cluster has no componentSpec ${componentName}`);
  const template = (component.instances ?? []).find((instance) => instance.name === templateName);
  assert(template !== undefined, `component ${componentName} has no instance template ${templateName}`);
  return applySchedulingPolicyToPod(base, template.schedulingPolicy);
}

/**
 * `buildSchedulingSpec(comp)` for a prepareData restore job: affinity, tolerations and topology
 * spread constraints of the component's pod spec; nodeSelector, nodeName and schedulerName are not
 * copied (`pkg/controller/plan/restore.go`).
 */
export function restoreJobScheduling(component: PodScheduling): PodScheduling {
  return {
    ...(component.affinity !== undefined ? { affinity: component.affinity } : {}),
    ...(component.tolerations !== undefined ? { tolerations: component.tolerations } : {}),
    ...(component.topologySpreadConstraints !== undefined ? { topologySpreadConstraints: component.topologySpreadConstraints } : {}),
  };
}

/** `constant.GetCompLabels(cluster, comp)`: the labels every pod of a component carries. */
export function componentPodLabels(clusterName: string, componentName: string): Readonly<Record<string, string>> {
  assert(clusterName.length > 0 && componentName.length > 0, 'component labels need a cluster and a component name');
  return {
    [labelAppInstance]: clusterName,
    [labelAppManagedBy]: managedByKubeBlocks,
    [labelComponentName]: componentName,
  };
}

/** `BuildRestoreLabels(restoreName)` (`pkg/dataprotection/restore/utils.go`): restore job pods carry no instance label. */
export function restoreJobPodLabels(restoreName: string): Readonly<Record<string, string>> {
  assert(restoreName.length > 0, 'restore job labels need a restore name');
  return {
    [labelAppManagedBy]: managedByDataProtection,
    [labelRestoreName]: restoreName,
  };
}
