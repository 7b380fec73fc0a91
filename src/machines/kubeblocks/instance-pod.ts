/**
 * What the InstanceSet controller reads from one of its pods: the facts of
 * `pkg/controller/instanceset/reconciler_status.go` and `pkg/controllerutil/pod_utils.go`, in a
 * shape independent of how the substrate stores pods. The model builds these views from the
 * substrate's pods (see `kubeblocks-view.ts`), so the status rules stay pure and testable.
 */
import type { Tick } from '../../sim/ticks.ts';

/** The pod label that carries a KubeBlocks role (`constant.RoleLabelKey`). */
export const roleLabelKey = 'kubeblocks.io/role';
/** The pod label naming the cluster (`constant.AppInstanceLabelKey`). */
export const appInstanceLabelKey = 'app.kubernetes.io/instance';
/** The pod label naming the component (`constant.KBAppComponentLabelKey`). */
export const componentNameLabelKey = 'apps.kubeblocks.io/component-name';
/** The pod label naming the managing tool (`constant.AppManagedByLabelKey`). */
export const managedByLabelKey = 'app.kubernetes.io/managed-by';
/** The value of {@link managedByLabelKey} on KubeBlocks objects (`constant.AppName`). */
export const managedByKubeBlocks = 'kubeblocks';
/** The pod label naming the pod itself, used as a pod-service selector (`constant.KBAppPodNameLabelKey`). */
export const podNameLabelKey = 'apps.kubeblocks.io/pod-name';
/** The pod label naming its instance template (`constant.KBAppInstanceTemplateLabelKey`). */
export const instanceTemplateLabelKey = 'apps.kubeblocks.io/instance-template';
/** The pod label carrying the template revision (`controller-revision-hash`). */
export const revisionLabelKey = 'controller-revision-hash';
/** The pod label selecting pods of one InstanceSet (`workloads.kubeblocks.io/instance`). */
export const instanceSetLabelKey = 'workloads.kubeblocks.io/instance';

/** One container of a pod: its spec image and what the kubelet reports about it. */
export interface InstanceContainerView {
  readonly name: string;
  readonly specImage: string;
  /** `status.containerStatuses[].image`; null while no status entry exists. */
  readonly statusImage: string | null;
  /** `status.containerStatuses[].imageID`. */
  readonly statusImageId: string | null;
  /** `state.waiting.message`, when the container waits with a message (ImagePullBackOff, CrashLoopBackOff…). */
  readonly waitingMessage: string | null;
  /** `state.terminated.exitCode`, when the container is terminated. */
  readonly terminatedExitCode: number | null;
  readonly running: boolean;
}

/** Pod phase as the API reports it; `''` before the API server has set one. */
export type InstancePodPhase = '' | 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

/** One pod of an InstanceSet, as its controller reads it. */
export interface InstancePodView {
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly nodeName: string | null;
  readonly phase: InstancePodPhase;
  /** `metadata.deletionTimestamp` is set. */
  readonly terminating: boolean;
  /** The pod's `Ready` condition is True. */
  readonly ready: boolean;
  /** lastTransitionTime of the `Ready` condition (for `minReadySeconds`), or null. */
  readonly readySinceTick: Tick | null;
  /** lastTransitionTime of the `ContainersReady` condition, or null (§2.4). */
  readonly containersReadyTransitionTick: Tick | null;
  readonly containers: readonly InstanceContainerView[];
}
