/**
 * The Backup object and the `kubeblocks.io/cluster-snapshot` annotation the backup controller writes
 * on it (reference kubeblocks.md §4.1; `controllers/dataprotection/backup_controller.go`,
 * `PatchBackupObjectMeta` → `setClusterSnapshotAnnotation` → `getClusterObjectString`).
 *
 * The snapshot is the source Cluster as stored: apiVersion/kind, name, namespace, every annotation
 * except `kubeblocks.io/ops-request` and `kubectl.kubernetes.io/last-applied-configuration`, and the
 * *entire* spec, scheduling policies included (no status, no labels). It is a JSON string, as upstream.
 */
import { assert } from '../../sim/assert.ts';
import type { ClusterScheduling, ComponentScheduling } from './scheduling-policy.ts';

export const annotationClusterSnapshot = 'kubeblocks.io/cluster-snapshot';
export const annotationOpsRequest = 'kubeblocks.io/ops-request';
export const annotationLastApplied = 'kubectl.kubernetes.io/last-applied-configuration';
export const annotationRestoreFromBackup = 'kubeblocks.io/restore-from-backup';

/** A cluster service as far as restore sanitizing reads it (`appsv1.ClusterService`). */
export interface ClusterServiceSpec {
  readonly name: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly ports?: readonly { readonly name: string; readonly port: number; readonly nodePort?: number }[];
  readonly selector?: Readonly<Record<string, string>>;
}

/** A componentSpec as restore reads it: scheduling plus the fields restore resets. */
export interface ComponentSpecForRestore extends ComponentScheduling {
  readonly componentDef?: string;
  readonly offlineInstances?: readonly string[];
  readonly tls?: boolean;
}

/** A sharding as restore reads it (`shardings[].template` is a componentSpec). */
export interface ShardingSpecForRestore {
  readonly name: string;
  readonly shards: number;
  readonly template: ComponentSpecForRestore & { readonly systemAccounts?: readonly { readonly name: string; readonly secretRef?: string }[] };
}

/** The part of a Cluster spec a snapshot carries and a restore rewrites. */
export interface ClusterSpecForRestore extends ClusterScheduling {
  readonly terminationPolicy?: string;
  readonly componentSpecs: readonly ComponentSpecForRestore[];
  readonly services?: readonly ClusterServiceSpec[];
  readonly shardings?: readonly ShardingSpecForRestore[];
}

/** A Cluster as the snapshot stores it. */
export interface ClusterObjectForRestore<S extends ClusterSpecForRestore = ClusterSpecForRestore> {
  readonly apiVersion: string;
  readonly kind: 'Cluster';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec: S;
}

/** Backup phases (`apis/dataprotection/v1alpha1/backup_types.go`, `BackupPhase`). */
export type BackupPhase = 'New' | 'Running' | 'Completed' | 'Failed' | 'Deleting';

/** A dataprotection Backup, reduced to what restore reads. */
export interface Backup {
  readonly name: string;
  readonly namespace: string;
  /** The source cluster (`app.kubernetes.io/instance` label on the backup). */
  readonly clusterName: string;
  readonly phase: BackupPhase;
  readonly annotations: Readonly<Record<string, string>>;
  /** `status.backupMethod.name`. */
  readonly backupMethod: string;
}

/** Serialized snapshot length limit; a larger cluster object is a modelling error, not truncated. */
export const clusterSnapshotLengthMax = 64 * 1024;

/**
 * `getClusterObjectString`: the cluster as the snapshot annotation stores it. Deterministic:
 * annotations are written in sorted key order.
 */
export function clusterSnapshotString<S extends ClusterSpecForRestore>(cluster: ClusterObjectForRestore<S>): string {
  const annotations: Record<string, string> = {};
  for (const key of Object.keys(cluster.metadata.annotations ?? {}).sort()) {
    if (key === annotationOpsRequest || key === annotationLastApplied) continue;
    annotations[key] = (cluster.metadata.annotations ?? {})[key] as string;
  }
  const stored: ClusterObjectForRestore<S> = {
    apiVersion: cluster.apiVersion,
    kind: 'Cluster',
    metadata: {
      name: cluster.metadata.name,
      namespace: cluster.metadata.namespace,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: cluster.spec,
  };
  const text = JSON.stringify(stored);
  assert(text.length <= clusterSnapshotLengthMax, `cluster snapshot of ${cluster.metadata.name} is ${text.length} characters, above clusterSnapshotLengthMax`);
  return text;
}

/**
 * `PatchBackupObjectMeta`: the backup after the controller processed it — the snapshot annotation
 * set from the source cluster as it is *now* (later edits of the source do not reach the backup).
 */
export function backupWithClusterSnapshot<S extends ClusterSpecForRestore>(backup: Backup, cluster: ClusterObjectForRestore<S>): Backup {
  assert(backup.clusterName === cluster.metadata.name, `backup ${backup.name} targets ${backup.clusterName}, not ${cluster.metadata.name}`);
  return { ...backup, annotations: { ...backup.annotations, [annotationClusterSnapshot]: clusterSnapshotString(cluster) } };
}

/** Options of a Restore OpsRequest that reach the restore annotation (`spec.restore`). */
export interface RestoreAnnotationOptions {
  readonly volumeRestorePolicy: 'Parallel' | 'Serial';
  readonly deferPostReadyUntilClusterRunning: boolean;
  readonly restorePointInTime?: string;
}

/**
 * `GetRestoreFromBackupAnnotation` (`pkg/dataprotection/restore/utils.go`): JSON
 * `{<componentName>: {name, namespace, volumeRestorePolicy, doReadyRestoreAfterClusterRunning, …}}`
 * for every component of the source cluster.
 */
export function restoreFromBackupAnnotation(backup: Backup, componentNames: readonly string[], options: RestoreAnnotationOptions): string {
  assert(componentNames.length > 0, `restore from ${backup.name} needs at least one component`);
  const byComponent: Record<string, Record<string, string>> = {};
  for (const name of componentNames.slice().sort()) {
    byComponent[name] = {
      name: backup.name,
      namespace: backup.namespace,
      volumeRestorePolicy: options.volumeRestorePolicy,
      doReadyRestoreAfterClusterRunning: String(options.deferPostReadyUntilClusterRunning),
      ...(options.restorePointInTime !== undefined ? { restoreTime: options.restorePointInTime } : {}),
    };
  }
  return JSON.stringify(byComponent);
}

/** The backup source of `componentName` in a cluster's restore annotation, or null. */
export function restoreSourceOf(annotation: string | undefined, componentName: string): { readonly name: string; readonly namespace: string } | null {
  if (annotation === undefined || annotation.length === 0) return null;
  const parsed = JSON.parse(annotation) as Record<string, { name?: string; namespace?: string }>;
  const source = parsed[componentName];
  if (source === undefined || source.name === undefined) return null;
  return { name: source.name, namespace: source.namespace ?? '' };
}
