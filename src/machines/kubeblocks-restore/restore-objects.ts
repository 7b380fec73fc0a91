/**
 * The restore path's objects inside a KubeBlocks world (`world.ext.restore`): Backups, Restore
 * OpsRequests, dataprotection Restore CRs with their jobs, the annotations restore puts on Clusters,
 * and this extension's own work queue. Plain JSON data.
 */
import type { MachineState } from '../../sim/machine-host.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { KubeBlocksWorld } from '../kubeblocks/kubeblocks-world.ts';
import type { OpsCondition, OpsRequestContext } from '../kubeblocks-opsrequest/opsrequest.machine.ts';
import type { PodScheduling } from './scheduling-types.ts';

/** A dataprotection Backup (`dataprotection.kubeblocks.io/v1alpha1`). */
export interface BackupObject {
  readonly name: string;
  /** The source cluster (`spec.target` resolves to its pods). */
  readonly clusterName: string;
  readonly backupMethod: string;
  /** `metadata.annotations`: `kubeblocks.io/cluster-snapshot` once the controller processed it. */
  readonly annotations: Readonly<Record<string, string>>;
  readonly createdTick: Tick;
  /** When the backup job finishes (set when it starts). */
  readonly jobDueTick: Tick | null;
  /** The Backup machine (`dataprotection.machine.ts`); its state value is `status.phase`. */
  readonly lifecycle: MachineState;
}

/** A Restore OpsRequest: `spec.type: Restore`, `spec.restore.backupName`, `spec.clusterName`. */
export interface RestoreOpsObject {
  readonly name: string;
  readonly backupName: string;
  /** The cluster it creates. */
  readonly clusterName: string;
  readonly volumeRestorePolicy: 'Parallel' | 'Serial';
  /** `spec.timeoutSeconds`; null means none (the default). */
  readonly timeoutSeconds: number | null;
  readonly createdTick: Tick;
  /** `status.startTimestamp`, set at Pending → Creating. */
  readonly startTick: Tick | null;
  readonly conditions: readonly OpsCondition[];
  /** The shared OpsRequest machine (`kubeblocks-opsrequest`); its state value is `status.phase`. */
  readonly lifecycle: MachineState<OpsRequestContext>;
}

/** One restore Job (one per restored replica) and its current pod. */
export interface RestoreJob {
  readonly name: string;
  /** The pod the Job controller runs now (a new one after the previous was lost). */
  readonly podName: string;
  readonly attempt: number;
  readonly succeeded: boolean;
}

/** A dataprotection Restore CR of the prepareData stage (`pkg/controller/plan/restore.go`). */
export interface RestoreCr {
  /** `<cluster>-<component>-<uid8>-preparedata[-<template>]`. */
  readonly name: string;
  readonly clusterName: string;
  /** The Component object it belongs to (`<cluster>-<component>`). */
  readonly componentName: string;
  readonly backupName: string;
  /** Instance template name, `''` for the default template. */
  readonly templateName: string;
  readonly replicas: number;
  readonly volumeRestorePolicy: 'Parallel' | 'Serial';
  /** `spec.prepareDataConfig.schedulingSpec`, from the component's pod spec (buildSchedulingSpec). */
  readonly scheduling: PodScheduling;
  readonly jobs: readonly RestoreJob[];
  /** The Restore machine; its state value is `status.phase`. */
  readonly lifecycle: MachineState;
}

/** Durations of the dataprotection jobs, in ticks (drawn per run). */
export interface RestoreTiming {
  /** Duration of a backup job, once started. */
  readonly backupJobTicks: number;
  /** How long a restore job's pod runs (Ready) before its Job succeeds. */
  readonly restoreJobTicks: number;
}

/** The restore extension's part of a world. */
export interface RestoreState {
  readonly timing: RestoreTiming;
  readonly backups: Readonly<Record<string, BackupObject>>;
  readonly opsRequests: Readonly<Record<string, RestoreOpsObject>>;
  readonly restores: Readonly<Record<string, RestoreCr>>;
  /**
   * Annotations restore reads and writes on Clusters, by cluster name: the snapshot's annotations
   * and `kubeblocks.io/restore-from-backup` (the KubeBlocks world's Cluster object has no
   * annotations of its own).
   */
  readonly clusterAnnotations: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Dirty work items of this extension's controllers (`backup/b1`, `restore-ops/r1`, `restore/<cr>`, `prepare/<component>`), sorted. */
  readonly dirty: readonly string[];
  /** RequeueAfter timers of those controllers. */
  readonly requeues: readonly { readonly item: string; readonly dueTick: Tick }[];
  /** Consecutive failures per item, for controller-runtime's backoff. */
  readonly failures: Readonly<Record<string, number>>;
  /** Clusters a user deleted (the deletion cascade is collapsed into one step). */
  readonly deletedClusters: readonly string[];
}

/** The world a restore scenario runs in. */
export type RestoreWorld = KubeBlocksWorld<{ readonly restore: RestoreState }>;

export function restoreStateCreate(timing: RestoreTiming): RestoreState {
  return { timing, backups: {}, opsRequests: {}, restores: {}, clusterAnnotations: {}, dirty: [], requeues: [], failures: {}, deletedClusters: [] };
}

/** Backups one world may hold. */
export const backupsMax = 8;
/** Restore OpsRequests one world may hold. */
export const restoreOpsMax = 8;
/** Restore CRs one world may hold. */
export const restoreCrsMax = 32;
/** Attempts of one restore Job (its pods lost and recreated) before the model calls it a loop. */
export const restoreJobAttemptsMax = 32;
/** Dirty items of the extension's queue. */
export const restoreQueueLengthMax = 256;
