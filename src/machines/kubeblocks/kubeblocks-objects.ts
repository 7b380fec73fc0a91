/**
 * The KubeBlocks API objects of the simulated world: Cluster (apps.kubeblocks.io/v1), Component
 * (apps.kubeblocks.io/v1) and InstanceSet (workloads.kubeblocks.io/v1), reduced to the fields the
 * lifecycles read (reference §1–§2). Plain JSON data: no classes, no Maps, no functions.
 *
 * Ownership, as upstream: the cluster controller creates one Component per `componentSpecs[]`
 * entry, named `<cluster>-<component>`; the component controller creates one InstanceSet with the
 * same name; the InstanceSet controller creates pods `<its>-<ordinal>` (or
 * `<its>-<template>-<ordinal>`) on the substrate, labelled as in `instance-pod.ts`.
 */
import type { MachineState } from '../../sim/machine-host.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { ClusterPhase, ComponentPhase } from './kubeblocks-phases.ts';

/** Explicit ordinals of an instance template (`kbappsv1.Ordinals`, discrete values only here). */
export type Ordinals = readonly number[];

/**
 * Where pods may go (`schedulingPolicy` of Cluster / Component / InstanceSet template): the
 * KubeBlocks `SchedulingPolicy` of issue 7 (`kubeblocks-restore/scheduling-types.ts`), whose pod
 * fields (nodeSelector, tolerations, affinity) are the substrate scheduler's; `null` means
 * "schedule anywhere".
 */
export type { SchedulingPolicy } from '../kubeblocks-restore/scheduling-types.ts';
import type { SchedulingPolicy } from '../kubeblocks-restore/scheduling-types.ts';

/** An instance template (`spec.instances[]`): a named group of pods with its own overrides. */
export interface InstanceTemplate {
  readonly name: string;
  readonly replicas: number;
  /** Explicit ordinals; empty means count upward from 0. */
  readonly ordinals: Ordinals;
  /** Image override for the main container; null keeps the default template's. */
  readonly image: string | null;
  readonly schedulingPolicy: SchedulingPolicy | null;
}

/** A role of the workload (`spec.roles[]`), e.g. PostgreSQL `primary` (exclusive) and `secondary`. */
export interface ReplicaRole {
  readonly name: string;
  /** Higher updates later (leader last); also orders `membersStatus`. */
  readonly updatePriority: number;
  readonly isExclusive: boolean;
}

/** The parts of a component spec shared by `Cluster.spec.componentSpecs[]` and `Component.spec`. */
export interface ComponentShape {
  readonly replicas: number;
  readonly offlineInstances: readonly string[];
  readonly instances: readonly InstanceTemplate[];
  /** The main container's image (resolved from the ComponentVersion's serviceVersion). */
  readonly image: string;
  readonly volumeClaimTemplates: readonly VolumeClaimTemplate[];
  readonly stop: boolean;
  readonly schedulingPolicy: SchedulingPolicy | null;
}

/** One entry of `Cluster.spec.componentSpecs`. */
export interface ClusterComponentSpec extends ComponentShape {
  /** Short name, e.g. `postgresql`; the Component object is `<cluster>-<name>`. */
  readonly name: string;
  /** The ComponentDefinition it uses (e.g. `postgresql-16`). */
  readonly componentDef: string;
}

/** One entry of `Cluster.status.components` (§1.5). */
export interface ClusterComponentStatus {
  readonly name: string;
  readonly phase: ComponentPhase | '';
  readonly message: string;
}

export interface ClusterStatus {
  readonly phase: ClusterPhase | '';
  readonly observedGeneration: number;
  readonly components: readonly ClusterComponentStatus[];
  /** `Ready` when Running, else `NotReady` listing Failed components (§1.5). */
  readonly readyCondition: { readonly status: 'True' | 'False'; readonly reason: string; readonly message: string } | null;
}

export interface Cluster {
  readonly name: string;
  readonly generation: number;
  readonly deleting: boolean;
  readonly spec: {
    readonly componentSpecs: readonly ClusterComponentSpec[];
    readonly terminationPolicy: 'DoNotTerminate' | 'Delete' | 'WipeOut';
    readonly schedulingPolicy: SchedulingPolicy | null;
  };
  readonly status: ClusterStatus;
  /** The Cluster lifecycle machine (`kubeblocks-cluster`); its state value is the phase. */
  readonly lifecycle: MachineState;
}

export interface ComponentStatus {
  readonly phase: ComponentPhase | '';
  readonly observedGeneration: number;
  /** `status.message`: e.g. `InstanceSet/pg-postgresql` → failed pod names (§1.3). */
  readonly message: Readonly<Record<string, string>>;
}

/** The InstanceSet counts the component controller saw when it decided `Running`. */
export interface RunningEvidence {
  readonly tick: Tick;
  readonly specReplicas: number;
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly updatedReplicas: number;
}

export interface Component {
  /** `<cluster>-<component>`, e.g. `pg-postgresql`. */
  readonly name: string;
  readonly clusterName: string;
  /** The short name in the cluster spec (`postgresql`). */
  readonly shortName: string;
  readonly componentDef: string;
  readonly generation: number;
  /** Annotation `kubeblocks.io/generation`: the cluster generation that produced this spec. */
  readonly clusterGeneration: number;
  readonly deleting: boolean;
  readonly spec: ComponentShape & { readonly roles: readonly ReplicaRole[] };
  readonly status: ComponentStatus;
  /**
   * What the component controller observed of its InstanceSet when it last set `Running` (null
   * while not Running): the evidence the safety property checks.
   */
  readonly runningEvidence: RunningEvidence | null;
  /** The Component lifecycle machine (`kubeblocks-component`). */
  readonly lifecycle: MachineState;
}

/** An InstanceSet condition (§2.3). */
export interface InstanceSetCondition {
  readonly type: 'InstanceReady' | 'InstanceAvailable' | 'InstanceFailure';
  readonly status: 'True' | 'False';
  readonly reason: string;
  /** JSON array of pod names, as upstream writes it. */
  readonly message: string;
  readonly lastTransitionTick: Tick;
}

/** One `membersStatus` entry (§2.2). */
export interface MemberStatus {
  readonly podName: string;
  readonly role: string;
}

export interface InstanceSetStatus {
  readonly observedGeneration: number;
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly updatedReplicas: number;
  readonly currentReplicas: number;
  readonly updateRevision: string;
  readonly currentRevision: string;
  readonly conditions: readonly InstanceSetCondition[];
  /** Null when `spec.roles` is null; otherwise the role-carrying ready pods. */
  readonly membersStatus: readonly MemberStatus[] | null;
}

/** A volume claim template: each pod gets PVC `<name>-<pod>` that outlives it. */
export interface VolumeClaimTemplate {
  readonly name: string;
  readonly storageMiB: number;
}

export interface InstanceSetSpec {
  readonly replicas: number;
  readonly minReadySeconds: number;
  /** The default pod template, reduced to the main container. */
  readonly template: { readonly containerName: string; readonly image: string; readonly schedulingPolicy: SchedulingPolicy | null };
  readonly instances: readonly InstanceTemplate[];
  readonly offlineInstances: readonly string[];
  readonly podManagementPolicy: 'OrderedReady' | 'Parallel';
  /** `parallelPodManagementConcurrency` as a pod count (only with `Parallel`). */
  readonly parallelConcurrency: number;
  /** Null when the workload has no roles (then `membersStatus` stays null). */
  readonly roles: readonly ReplicaRole[] | null;
  readonly volumeClaimTemplates: readonly VolumeClaimTemplate[];
  /** Labels every pod carries (cluster, component, managed-by), from the component controller. */
  readonly podLabels: Readonly<Record<string, string>>;
}

export interface InstanceSet {
  readonly name: string;
  readonly clusterName: string;
  readonly componentName: string;
  readonly generation: number;
  /** Annotation `kubeblocks.io/generation`: the component generation last pushed into it. */
  readonly componentGeneration: number;
  readonly deleting: boolean;
  readonly spec: InstanceSetSpec;
  readonly status: InstanceSetStatus;
  /** The InstanceSet readiness machine (`kubeblocks-instanceset`). */
  readonly readiness: MachineState;
}
