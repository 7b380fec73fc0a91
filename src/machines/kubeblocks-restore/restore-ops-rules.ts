/**
 * The Restore OpsRequest handler's rules (`pkg/operations/restore.go`, `RestoreOpsHandler`;
 * reference kubeblocks.md §3.1 and §4.5), as pure decisions the OpsRequest lifecycle applies:
 *
 * - Restore is registered with `IsClusterCreation: true`: no `FromClusterPhases` gate, no queue.
 * - `Action` (phase `Creating`): build the cluster from the backup and create it. A missing backup,
 *   a backup not `Completed`, or a missing snapshot annotation is a Fatal error → `Failed`; an
 *   already existing cluster created by this ops is fine; a panic requeues (the ops stays `Creating`).
 * - `ReconcileAction` (phase `Running`), v1.0.0 … v1.0.3-beta.7: cluster not found → `Failed`;
 *   cluster `Running` → `Succeed`; cluster `Failed` or deleting → `Failed` ("restore failed");
 *   otherwise → stays `Running`. There is no timeout unless `spec.timeoutSeconds` is set.
 */
import type { Backup } from './cluster-snapshot.ts';

/** The ops phases a restore passes through (`apis/operations/v1alpha1/type.go`, `OpsPhase`). */
export type RestoreOpsPhase = 'Pending' | 'Creating' | 'Running' | 'Succeed' | 'Failed' | 'Aborted';

/** True for the phases an OpsRequest never leaves. */
export function isRestoreOpsTerminal(phase: RestoreOpsPhase): boolean {
  return phase === 'Succeed' || phase === 'Failed' || phase === 'Aborted';
}

/** What `Action` concludes before it builds the cluster: a Fatal message, or null to go on. */
export function restoreActionPrecheck(backupName: string, backupNamespace: string, backup: Backup | undefined): string | null {
  if (backup === undefined) return `backup ${backupName} not found in namespace ${backupNamespace}`;
  if (backup.phase !== 'Completed') {
    return `backup ${backupName} status is ${backup.phase}, only completed backup can be used to restore`;
  }
  return null;
}

/** The target cluster as `ReconcileAction` reads it; null when it does not exist. */
export interface RestoreTargetView {
  readonly phase: string;
  readonly deleting: boolean;
}

/** `ReconcileAction`'s verdict and, for `Failed`, upstream's error text. */
export interface RestoreReconcileVerdict {
  readonly phase: 'Running' | 'Succeed' | 'Failed';
  readonly message?: string;
}

/** `RestoreOpsHandler.ReconcileAction` (v1.0.0 … v1.0.3-beta.7 rule). */
export function restoreReconcileAction(clusterName: string, cluster: RestoreTargetView | null): RestoreReconcileVerdict {
  if (cluster === null) return { phase: 'Failed', message: `Cluster.apps.kubeblocks.io "${clusterName}" not found` };
  if (cluster.phase === 'Running') return { phase: 'Succeed' };
  if (cluster.phase === 'Failed' || cluster.deleting) return { phase: 'Failed', message: 'restore failed' };
  return { phase: 'Running' };
}

/** `Aborted` message when `spec.timeoutSeconds` passes while `Running` (`opsrequest_controller.go`). */
export const opsAbortedTimeoutMessage = 'Aborted due to exceeding the specified timeout period';
