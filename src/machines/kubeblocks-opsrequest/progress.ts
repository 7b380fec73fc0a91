/**
 * OpsRequest progress: per-pod progress details of a HorizontalScaling component, the
 * `completed/expected` counts, and the generic completion rule (kubeblocks.md §3.3–§3.4).
 *
 * Upstream: `pkg/operations/ops_progress_util.go` (handleComponentProgressForScalingReplicas,
 * handleScaleOutProgressWithInstanceSet, handleScaleInProgressWithInstanceSet,
 * updateProgressDetailForHScale, setComponentStatusProgressDetail) and
 * `pkg/operations/ops_comp_helper.go` (reconcileActionWithComponentOps).
 */
import type { PodSets } from './hscale.ts';

/** A progress detail's status (`ProgressStatus`). */
export type ProgressStatus = 'Pending' | 'Processing' | 'Succeed' | 'Failed';

/** One `status.components[c].progressDetails[]` entry. */
export interface ProgressDetail {
  /** `<component>/<Create|Delete>`. */
  readonly group: string;
  /** `Pod/<name>`. */
  readonly objectKey: string;
  readonly status: ProgressStatus;
  readonly message: string;
}

/** What the progress rules read from an InstanceSet's status. */
export interface InstanceSetProgressView {
  /** Keys of `status.currentRevisions`: the pods that exist. */
  readonly currentPods: readonly string[];
  /** Pod names in the `InstanceReady` condition message while it is False. */
  readonly notReady: readonly string[];
  /** Pod names in the `InstanceAvailable` condition message while it is False. */
  readonly notAvailable: readonly string[];
  /** Pod names in the `InstanceFailure` condition message. */
  readonly failed: readonly string[];
  /** `membersStatus` pod names; null when the workload has no roles (then roles are not checked). */
  readonly members: readonly string[] | null;
}

/** The progress of one component: counts and the details that were written. */
export interface ComponentProgress {
  readonly expectCount: number;
  readonly completedCount: number;
  readonly details: readonly ProgressDetail[];
}

// updateProgressDetailForHScale: "<prefix> <create|delete> pod: Pod/<name> in Component: <c>".
function detail(componentName: string, key: 'Create' | 'Delete', podName: string, status: ProgressStatus): ProgressDetail {
  const prefix = status === 'Succeed' ? 'Successfully' : status === 'Processing' ? 'Start to' : status === 'Pending' ? 'wait to' : '';
  const objectKey = `Pod/${podName}`;
  return {
    group: `${componentName}/${key}`,
    objectKey,
    status,
    message: `${prefix} ${key.toLowerCase()} pod: ${objectKey} in Component: ${componentName}`,
  };
}

// setComponentStatusProgressDetail: a Failed detail is only replaced by a later Succeed.
function mergeDetail(previous: readonly ProgressDetail[], next: ProgressDetail): ProgressDetail {
  const before = previous.find((entry) => entry.objectKey === next.objectKey && entry.group === next.group);
  if (before !== undefined && before.status === 'Failed' && next.status !== 'Succeed') return before;
  return next;
}

/** The status of a pod the ops waits to see created, or null while it is created but not yet available. */
function createdPodStatus(view: InstanceSetProgressView, podName: string): ProgressStatus | null {
  if (!view.currentPods.includes(podName)) return 'Pending';
  if (view.failed.includes(podName)) return 'Failed';
  if (view.notReady.includes(podName)) return 'Processing';
  if (view.notAvailable.includes(podName)) return null;
  if (view.members !== null && !view.members.includes(podName)) return null;
  return 'Succeed';
}

/** The status of a pod the ops waits to see deleted. */
function deletedPodStatus(view: InstanceSetProgressView, podName: string): ProgressStatus {
  if (!view.currentPods.includes(podName)) return 'Succeed';
  return view.notReady.includes(podName) ? 'Processing' : 'Pending';
}

/**
 * handleComponentProgressForScalingReplicas: expectCount = |created| + |deleted|; a created pod is
 * complete when Succeed or Failed, a deleted pod when gone. An empty change is 0/0.
 */
export function scalingReplicasProgress(
  componentName: string,
  sets: PodSets,
  view: InstanceSetProgressView,
  previous: readonly ProgressDetail[],
): ComponentProgress {
  const expectCount = sets.created.length + sets.deleted.length;
  if (expectCount === 0) return { expectCount: 0, completedCount: 0, details: previous };
  const written: ProgressDetail[] = [];
  let completedCount = 0;
  for (const podName of sets.created) {
    const status = createdPodStatus(view, podName);
    if (status === 'Succeed' || status === 'Failed') completedCount++;
    // A created-but-not-available pod keeps whatever detail it had (upstream `continue`s).
    if (status !== null) written.push(mergeDetail(previous, detail(componentName, 'Create', podName, status)));
  }
  for (const podName of sets.deleted) {
    const status = deletedPodStatus(view, podName);
    if (status === 'Succeed') completedCount++;
    written.push(mergeDetail(previous, detail(componentName, 'Delete', podName, status)));
  }
  const keys = new Set(written.map((entry) => `${entry.group}|${entry.objectKey}`));
  const kept = previous.filter((entry) => !keys.has(`${entry.group}|${entry.objectKey}`));
  return { expectCount, completedCount, details: kept.concat(written) };
}

/** The cluster's phase of a component, as `status.components[c].phase` mirrors it. */
export type ComponentPhaseText = string;

/** One component's input to the completion rule. */
export interface ComponentCompletionInput {
  readonly progress: ComponentProgress;
  /** HScale sets `noWaitComponentCompleted`, so the component phase is not awaited. */
  readonly noWaitComponentCompleted: boolean;
  readonly componentPhase: ComponentPhaseText;
  readonly replicas: number;
}

/** The phase ReconcileAction reports: still Running, or Succeed / Failed. */
export type ProgressOutcome = 'Running' | 'Succeed' | 'Failed';

/** reconcileActionWithComponentOps' completion rule (kubeblocks.md §3.3, after PR #9908). */
export function componentCompleted(input: ComponentCompletionInput): boolean {
  const { progress } = input;
  if (progress.expectCount !== progress.completedCount) return false;
  if (input.noWaitComponentCompleted) return true;
  const settled = ['Running', 'Stopped', 'Failed'].includes(input.componentPhase);
  return settled && !(input.replicas > 0 && progress.completedCount === 0);
}

/** Succeed when every component is completed without a Failed detail, Failed with one, else Running. */
export function opsOutcome(components: readonly ComponentCompletionInput[]): ProgressOutcome {
  if (!components.every(componentCompleted)) return 'Running';
  const anyFailed = components.some((component) => component.progress.details.some((entry) => entry.status === 'Failed'));
  return anyFailed ? 'Failed' : 'Succeed';
}

/** `status.progress`: "<sum completed>/<sum expected>". */
export function progressText(components: readonly { readonly progress: ComponentProgress }[]): string {
  const completed = components.reduce((sum, component) => sum + component.progress.completedCount, 0);
  const expected = components.reduce((sum, component) => sum + component.progress.expectCount, 0);
  return `${completed}/${expected}`;
}
