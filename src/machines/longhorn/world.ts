/**
 * The Longhorn world: plain JSON data (DESIGN.md §1). Kubernetes nodes with their data disk, the
 * Longhorn Node CRs and instance managers, volumes, engines and replicas (each carrying the plain
 * snapshot of its XState machine), workload pods, the controllers' work queue, timers and Events.
 *
 * Objects are kept in arrays sorted by name; updates copy only the object that changes.
 */
import type { Clock } from '../../sim/clock.ts';
import type { KubeEvent } from '../../sim/events.ts';
import type { MachineState } from '../../sim/machine-host.ts';
import type { ControllerError } from '../../sim/model.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { InstanceContext } from './instance.machine.ts';
import type { VolumeContext } from '../longhorn-volume/longhorn-volume.machine.ts';
import type { LonghornProfile, LonghornSettings } from './settings.ts';

/** A Kubernetes Node and the machine behind it. `present=false` while the Node object is deleted. */
export interface KubeNode {
  readonly name: string;
  readonly present: boolean;
  /** Kubelet reporting Ready. */
  readonly ready: boolean;
  /** `spec.unschedulable` (cordoned). */
  readonly unschedulable: boolean;
  /** The data disk's filesystem: the UUID in `longhorn-disk.cfg` and the fsid-based default disk name. */
  readonly diskUUID: string;
  readonly diskName: string;
  /** The instance-manager pod on this node: absent when evicted or when the node is gone. */
  readonly imPod: 'running' | 'starting' | 'absent' | 'unknown';
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/** One entry of a Longhorn Node's `status.diskStatus` (one data disk per node here). */
export interface LonghornDiskStatus {
  readonly diskName: string;
  readonly diskPath: string;
  /** The recorded `diskUUID`. */
  readonly diskUUID: string;
  readonly ready: Condition;
  readonly schedulable: Condition;
}

/** The Longhorn Node CR (`nodes.longhorn.io`). Deleted when its Kubernetes Node disappears. */
export interface LonghornNode {
  readonly name: string;
  readonly ready: Condition;
  readonly schedulable: Condition;
  readonly disk: LonghornDiskStatus;
  /** The instance-manager PodDisruptionBudget (`minAvailable: 1`) exists. */
  readonly imPdb: boolean;
}

/** An instance process inside an instance manager (engine or replica). */
export interface ImProcess {
  readonly name: string;
  readonly node: string;
  readonly state: 'starting' | 'running';
  /** For a replica: the disk UUID the data lives on (the data directory). */
  readonly diskUUID: string;
}

export type DesireState = 'running' | 'stopped';

export interface Replica {
  readonly name: string;
  readonly volumeName: string;
  readonly engineName: string;
  readonly nodeID: string;
  /** The UUID of the disk holding the data (`spec.diskID`). */
  readonly diskID: string;
  readonly diskPath: string;
  readonly dataDirectoryName: string;
  readonly desireState: DesireState;
  readonly healthyAt: Tick | null;
  readonly lastHealthyAt: Tick | null;
  readonly failedAt: Tick | null;
  readonly lastFailedAt: Tick | null;
  readonly rebuildRetryCount: number;
  readonly instance: MachineState<InstanceContext>;
}

export type ReplicaMode = 'RW' | 'WO' | 'ERR';

export interface ReplicaModeEntry {
  readonly replica: string;
  readonly mode: ReplicaMode;
}

export interface Engine {
  readonly name: string;
  readonly volumeName: string;
  readonly nodeID: string;
  readonly desireState: DesireState;
  /** `spec.replicaAddressMap`, as sorted replica names. */
  readonly replicaAddresses: readonly string[];
  /** `status.replicaModeMap`, sorted by replica name. */
  readonly replicaModeMap: readonly ReplicaModeEntry[];
  readonly salvageRequested: boolean;
  readonly instance: MachineState<InstanceContext>;
}

export interface Volume {
  readonly name: string;
  readonly numberOfReplicas: number;
  readonly staleReplicaTimeoutTicks: Tick;
  /** `spec.nodeID`, from the attachment tickets (VolumeAttachment controller). */
  readonly nodeID: string;
  /** Attachment tickets: the nodes CSI asked to attach to, oldest first. */
  readonly tickets: readonly string[];
  /** When CSI last added a ticket (ControllerPublishVolume's wait starts there). */
  readonly publishedAt: Tick | null;
  readonly machine: MachineState<VolumeContext>;
  readonly scheduled: Condition;
  readonly lastDegradedAt: Tick | null;
  readonly remountRequestedAt: Tick | null;
  /** Running RW replicas the last robustness decision saw (for the safety property). */
  readonly lastRobustnessCheck: { readonly robustness: string; readonly runningRw: number } | null;
  readonly replicaCounter: number;
}

export type PodPhase = 'Pending' | 'ContainerCreating' | 'Running';

export interface Pod {
  readonly name: string;
  readonly workload: string;
  readonly volumeName: string;
  readonly nodeName: string;
  readonly phase: PodPhase;
}

export interface Workload {
  readonly name: string;
  readonly volumeName: string;
  readonly replicas: 0 | 1;
  readonly podCounter: number;
}

export type UpgradeStep = 'cordoned' | 'draining' | 'drained' | 'replaced' | 'rejoined';

/** The rolling upgrade: nodes done so far and the one in flight (maxUnavailable 1). */
export interface Upgrade {
  readonly done: readonly string[];
  readonly current: string;
  readonly step: UpgradeStep | 'idle';
  /** A replaced machine can rejoin from this tick on (re-install and provisioning take time). */
  readonly rejoinAtTick: Tick;
}

export type LonghornTimer =
  | { readonly kind: 'requeue'; readonly key: string }
  | { readonly kind: 'rebuild'; readonly engine: string; readonly replica: string }
  | { readonly kind: 'process.start'; readonly process: string }
  | { readonly kind: 'im.start'; readonly node: string }
  /** Nothing happens: time only has to reach this tick (a machine finished provisioning). */
  | { readonly kind: 'wake' };

export interface LonghornWorld {
  readonly profile: LonghornProfile;
  readonly settings: LonghornSettings;
  readonly clock: Clock<LonghornTimer>;
  readonly nodes: readonly KubeNode[];
  readonly lhNodes: readonly LonghornNode[];
  readonly processes: readonly ImProcess[];
  readonly volumes: readonly Volume[];
  readonly engines: readonly Engine[];
  readonly replicas: readonly Replica[];
  readonly workloads: readonly Workload[];
  readonly pods: readonly Pod[];
  readonly upgrade: Upgrade;
  /** Controller keys (`Volume/v-1`, `Replica/…`) whose objects changed since their last reconcile. */
  readonly dirty: readonly string[];
  readonly events: readonly KubeEvent[];
  readonly errors: readonly ControllerError[];
  readonly diskCounter: number;
  /** Ticks a replica rebuild takes (drawn per run). */
  readonly rebuildTicks: number;
  /** Ticks an instance-manager pod takes to become running on a node (image pull; longer on an empty cache). */
  readonly imStartTicks: number;
  /** Ticks a replaced machine takes to re-install and rejoin. */
  readonly provisionTicks: number;
  /** Facts for `sometimes` properties and safety checks, set once and never cleared. */
  readonly seen: {
    readonly rebuildCompleted: boolean;
    readonly drainRefusedByPdb: boolean;
    /** A description of the first system write that failed or deleted the last data-holding replica. */
    readonly lastReplicaLost: string | null;
  };
}
