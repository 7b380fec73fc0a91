// Proves the Restore OpsRequest handler rules of pkg/operations/restore.go (Action precheck,
// ReconcileAction) as kubeblocks.md §4.5 states them for v1.0.0 … v1.0.3-beta.7.
import { describe, expect, it } from 'vitest';
import type { Backup } from './cluster-snapshot.ts';
import { isRestoreOpsTerminal, restoreActionPrecheck, restoreReconcileAction } from './restore-ops-rules.ts';

const backup: Backup = { name: 'b1', namespace: 'default', clusterName: 'my1', phase: 'Completed', annotations: {}, backupMethod: 'xtrabackup' };

describe('Action precheck', () => {
  // Proves a missing backup and a backup that is not Completed are Fatal with upstream's text.
  it('fails without a completed backup', () => {
    expect(restoreActionPrecheck('b1', 'default', undefined)).toBe('backup b1 not found in namespace default');
    expect(restoreActionPrecheck('b1', 'default', { ...backup, phase: 'Running' })).toBe('backup b1 status is Running, only completed backup can be used to restore');
    expect(restoreActionPrecheck('b1', 'default', backup)).toBeNull();
  });
});

describe('ReconcileAction', () => {
  // Proves the ops succeeds only on a Running cluster and otherwise waits, with no timeout of its own.
  it('follows the cluster phase', () => {
    expect(restoreReconcileAction('c', { phase: 'Running', deleting: false }).phase).toBe('Succeed');
    expect(restoreReconcileAction('c', { phase: 'Creating', deleting: false }).phase).toBe('Running');
    expect(restoreReconcileAction('c', { phase: '', deleting: false }).phase).toBe('Running');
    expect(restoreReconcileAction('c', { phase: 'Abnormal', deleting: false }).phase).toBe('Running');
  });
  // Proves Failed, deleting and missing clusters fail the ops.
  it('fails on a Failed, deleting or missing cluster', () => {
    expect(restoreReconcileAction('c', { phase: 'Failed', deleting: false })).toEqual({ phase: 'Failed', message: 'restore failed' });
    expect(restoreReconcileAction('c', { phase: 'Creating', deleting: true }).phase).toBe('Failed');
    expect(restoreReconcileAction('c', null).phase).toBe('Failed');
  });
  // Proves the terminal set is Succeed, Failed, Aborted.
  it('knows the terminal phases', () => {
    expect(['Pending', 'Creating', 'Running', 'Succeed', 'Failed', 'Aborted'].filter((phase) => isRestoreOpsTerminal(phase as never))).toEqual(['Succeed', 'Failed', 'Aborted']);
  });
});
