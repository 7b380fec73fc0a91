/**
 * The two dataprotection lifecycles the restore path waits on, as XState machines:
 *
 * - **Backup** (`apis/dataprotection/v1alpha1/backup_types.go`, `BackupPhase`):
 *   `New` → `Running` when the backup controller has picked its target and patched the object
 *   meta (the `kubeblocks.io/cluster-snapshot` annotation is written then,
 *   `PatchBackupObjectMeta`) → `Completed` when the backup job succeeds, or `Failed`.
 * - **Restore** (`apis/dataprotection/v1alpha1/restore_types.go`, `RestorePhase`), prepareData stage
 *   only: `Running` once its jobs exist → `Completed` when every job succeeded, or `Failed` when a
 *   job failed. A job whose pod is never scheduled neither succeeds nor fails, and the Restore has
 *   no deadline of its own: it stays `Running`.
 *
 * The controllers decide the facts; the machines own the phase that follows.
 */
import { setup } from 'xstate';

export const backupPhases = ['New', 'Running', 'Completed', 'Failed'] as const;
export type BackupMachinePhase = (typeof backupPhases)[number];

export type BackupEvent = { readonly type: 'backup.processed' } | { readonly type: 'backup.jobSucceeded' } | { readonly type: 'backup.failed' };
export const backupEventTypes: readonly BackupEvent['type'][] = ['backup.processed', 'backup.jobSucceeded', 'backup.failed'];

export const backupMachine = setup({
  types: { events: {} as BackupEvent },
}).createMachine({
  id: 'backup',
  initial: 'New',
  states: {
    New: { on: { 'backup.processed': { target: 'Running' }, 'backup.failed': { target: 'Failed' } } },
    Running: { on: { 'backup.jobSucceeded': { target: 'Completed' }, 'backup.failed': { target: 'Failed' } } },
    Completed: {},
    Failed: {},
  },
});

/** Per phase: the events it handles and the ones it ignores on purpose (walked by a test). */
export const backupEventTable: Readonly<Record<BackupMachinePhase, { readonly handled: readonly BackupEvent['type'][]; readonly ignored: readonly BackupEvent['type'][] }>> = {
  New: { handled: ['backup.processed', 'backup.failed'], ignored: ['backup.jobSucceeded'] },
  Running: { handled: ['backup.jobSucceeded', 'backup.failed'], ignored: ['backup.processed'] },
  Completed: { handled: [], ignored: ['backup.processed', 'backup.jobSucceeded', 'backup.failed'] },
  Failed: { handled: [], ignored: ['backup.processed', 'backup.jobSucceeded', 'backup.failed'] },
};

export const restorePhases = ['New', 'Running', 'Completed', 'Failed'] as const;
export type RestoreMachinePhase = (typeof restorePhases)[number];

export type RestoreEvent = { readonly type: 'restore.jobsCreated' } | { readonly type: 'restore.jobsSucceeded' } | { readonly type: 'restore.jobFailed' };
export const restoreEventTypes: readonly RestoreEvent['type'][] = ['restore.jobsCreated', 'restore.jobsSucceeded', 'restore.jobFailed'];

export const restoreMachine = setup({
  types: { events: {} as RestoreEvent },
}).createMachine({
  id: 'restore',
  initial: 'New',
  states: {
    New: { on: { 'restore.jobsCreated': { target: 'Running' } } },
    Running: { on: { 'restore.jobsSucceeded': { target: 'Completed' }, 'restore.jobFailed': { target: 'Failed' } } },
    Completed: {},
    Failed: {},
  },
});

export const restoreEventTable: Readonly<Record<RestoreMachinePhase, { readonly handled: readonly RestoreEvent['type'][]; readonly ignored: readonly RestoreEvent['type'][] }>> = {
  New: { handled: ['restore.jobsCreated'], ignored: ['restore.jobsSucceeded', 'restore.jobFailed'] },
  Running: { handled: ['restore.jobsSucceeded', 'restore.jobFailed'], ignored: ['restore.jobsCreated'] },
  Completed: { handled: [], ignored: ['restore.jobsCreated', 'restore.jobsSucceeded', 'restore.jobFailed'] },
  Failed: { handled: [], ignored: ['restore.jobsCreated', 'restore.jobsSucceeded', 'restore.jobFailed'] },
};
