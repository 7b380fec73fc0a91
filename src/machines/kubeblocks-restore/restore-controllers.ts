/**
 * The controllers of the restore path, each `reconcile(world, key) → world` over a KubeBlocks world
 * with the restore extension (`world.ext.restore`):
 *
 * - **backup** (`controllers/dataprotection/backup_controller.go`): picks a ready target pod of the
 *   source cluster, writes `kubeblocks.io/cluster-snapshot` (PatchBackupObjectMeta), runs the backup
 *   job, and completes;
 * - **restore-ops** (`pkg/operations/restore.go`, RestoreOpsHandler, stepping the shared OpsRequest
 *   machine): builds the new cluster from the snapshot under the {@link RestoreProfile} and creates
 *   it with `kubeblocks.io/restore-from-backup`, then follows the cluster phase (§4.5);
 * - **prepare** (`pkg/controller/plan/restore.go`, DoPrepareData): one prepareData Restore CR per
 *   instance template and one for the default template, scheduled like the component's pods;
 * - **restore** (the dataprotection Restore controller): one Job per replica (all at once for
 *   `Parallel`, one after the other for `Serial`), each Job's pod retried when lost;
 * - the **component** controller wrapped by {@link restoreGatedComponentController}: the
 *   componentRestoreTransformer runs before the workload transformer and stops the reconcile
 *   (`NeedWaiting`) until every prepareData Restore is Completed, so no InstanceSet exists before.
 */
import { assert } from '../../sim/assert.ts';
import { checkLimit } from '../../sim/limits.ts';
import { machineStep, stateValueText, type HostEffect } from '../../sim/machine-host.ts';
import { machineInitState } from '../kubeblocks/memo.ts';
import { hash32 } from '../../sim/prng.ts';
import { objectKey, podCondition, podIsReady, type PodInput } from '../../sim/cluster/index.ts';
import { applyWrite, kubeblocksNamespace, workItem } from '../kubeblocks/kubeblocks-world.ts';
import type { KbController, ReconcileResult } from '../kubeblocks/kubeblocks-controller.ts';
import type { Cluster as KbCluster, Component } from '../kubeblocks/kubeblocks-objects.ts';
import { newCluster } from '../kubeblocks/cluster-controller.ts';
import { opsRequestMachine, type OpsCondition } from '../kubeblocks-opsrequest/opsrequest.machine.ts';
import type { OpsRequestEvent } from '../kubeblocks-opsrequest/opsrequest.events.ts';
import { annotationRestoreFromBackup, backupWithClusterSnapshot, restoreSourceOf, type Backup, type ClusterObjectForRestore, type ClusterSpecForRestore } from './cluster-snapshot.ts';
import { backupMachine, restoreMachine, type BackupEvent, type RestoreEvent } from './dataprotection.machine.ts';
import { restoreCrsMax, restoreJobAttemptsMax, type BackupObject, type RestoreCr, type RestoreJob, type RestoreOpsObject, type RestoreWorld } from './restore-objects.ts';
import type { RestoreProfile } from './restore-profile.ts';
import { restoreActionPrecheck, restoreReconcileAction, opsAbortedTimeoutMessage } from './restore-ops-rules.ts';
import { restoreFailed, restoreMarkDirty, restoreRequeueAfter, withRestore } from './restore-queue.ts';
import { applySchedulingPolicyToPod, restoreJobPodLabels, restoreJobScheduling } from './scheduling-policy.ts';
import { labelAppInstance } from './scheduling-types.ts';
import { RestoreBuildError, clusterFromBackup } from './snapshot-sanitize.ts';

/** What the restore controllers need besides the world. */
export interface RestoreConfig {
  readonly profile: RestoreProfile;
  /** The restore container image (the ActionSet's); must be in the registry. */
  readonly restoreImage: string;
}

function hex8(text: string): string {
  return hash32(text).toString(16).padStart(8, '0');
}

// --- backup -----------------------------------------------------------------------------------

/** The KubeBlocks Cluster as a snapshot stores it (its annotations kept by the extension). */
export function clusterObjectOf(world: RestoreWorld, cluster: KbCluster): ClusterObjectForRestore<KbCluster['spec']> {
  const annotations = world.ext.restore.clusterAnnotations[cluster.name];
  return {
    apiVersion: 'apps.kubeblocks.io/v1',
    kind: 'Cluster',
    metadata: { name: cluster.name, namespace: kubeblocksNamespace, ...(annotations !== undefined ? { annotations } : {}) },
    spec: cluster.spec as KbCluster['spec'] & ClusterSpecForRestore,
  };
}

function backupPhase(backup: BackupObject): string {
  return stateValueText(backup.lifecycle.value);
}

function putBackup(world: RestoreWorld, backup: BackupObject): RestoreWorld {
  const state = world.ext.restore;
  return withRestore(world, { ...state, backups: { ...state.backups, [backup.name]: backup } });
}

function stepBackup(backup: BackupObject, event: BackupEvent): BackupObject {
  const step = machineStep(backupMachine, backup.lifecycle, event);
  assert(step.changed, `backup ${backup.name} in ${backupPhase(backup)} ignored ${event.type}`);
  return { ...backup, lifecycle: step.state };
}

/** The Backup as `Action` reads it. */
export function backupView(backup: BackupObject): Backup {
  return { name: backup.name, namespace: kubeblocksNamespace, clusterName: backup.clusterName, phase: backupPhase(backup) as Backup['phase'], annotations: backup.annotations, backupMethod: backup.backupMethod };
}

function readyTargetPod(world: RestoreWorld, clusterName: string): string | null {
  const keys = world.k8s.index.podsByLabel.get(`${labelAppInstance}=${clusterName}`) ?? [];
  for (const key of keys) {
    const pod = world.k8s.pods.get(key);
    if (pod !== undefined && podIsReady(pod)) return pod.name;
  }
  return null;
}

/** The backup controller's reconcile of Backup `name`. */
export function reconcileBackup(world: RestoreWorld, name: string): RestoreWorld {
  const backup = world.ext.restore.backups[name];
  if (backup === undefined) return world;
  const phase = backupPhase(backup);
  if (phase === 'New') {
    const cluster = world.kb.clusters[backup.clusterName];
    if (cluster === undefined) return putBackup(world, stepBackup(backup, { type: 'backup.failed' }));
    const target = readyTargetPod(world, backup.clusterName);
    if (target === null) return restoreFailed(world, 'backup', name, `no available target pod of cluster ${backup.clusterName} for backup ${name}`);
    // PatchBackupObjectMeta: the snapshot is the source cluster as stored right now.
    const processed = backupWithClusterSnapshot(backupView(backup), clusterObjectOf(world, cluster));
    const started = { ...stepBackup(backup, { type: 'backup.processed' }), annotations: processed.annotations, jobDueTick: world.now + world.ext.restore.timing.backupJobTicks };
    return restoreRequeueAfter(putBackup(world, started), `backup/${name}`, world.ext.restore.timing.backupJobTicks);
  }
  if (phase === 'Running' && backup.jobDueTick !== null && world.now >= backup.jobDueTick) {
    return putBackup(world, stepBackup(backup, { type: 'backup.jobSucceeded' }));
  }
  return world;
}

// --- restore OpsRequest ----------------------------------------------------------------------

function opsPhase(ops: RestoreOpsObject): string {
  return stateValueText(ops.lifecycle.value);
}

function putOps(world: RestoreWorld, ops: RestoreOpsObject): RestoreWorld {
  const state = world.ext.restore;
  return withRestore(world, { ...state, opsRequests: { ...state.opsRequests, [ops.name]: ops } });
}

// Steps the shared OpsRequest machine and performs its setCondition effects (status + Event).
function stepOps(world: RestoreWorld, ops: RestoreOpsObject, event: OpsRequestEvent): RestoreWorld {
  const step = machineStep(opsRequestMachine, ops.lifecycle, event);
  if (!step.changed) return world;
  let next = world;
  const conditions: OpsCondition[] = [...ops.conditions];
  for (const effect of step.effects as readonly HostEffect[]) {
    // The message is built only on failure (this runs for every OpsRequest machine step).
    if (effect.kind !== 'effect' || effect.type !== 'setCondition') assert(false, `unexpected OpsRequest effect ${JSON.stringify(effect)}`);
    const condition = effect.params as OpsCondition;
    conditions.push(condition);
    next = applyWrite(next, { kind: 'event', event: { type: condition.eventType, reason: condition.reason, message: condition.message, involvedObject: `OpsRequest/${ops.name}`, source: 'ops-request-controller' } });
  }
  // The controller watches its own OpsRequests: a status change is reconciled again.
  return restoreMarkDirty(putOps(next, { ...ops, lifecycle: step.state, conditions: conditions.slice(-8) }), `restore-ops/${ops.name}`);
}

/** The restore Action: build the cluster from the backup and create it. */
function restoreAction(world: RestoreWorld, ops: RestoreOpsObject, config: RestoreConfig): RestoreWorld {
  const backup = world.ext.restore.backups[ops.backupName];
  const fatal = restoreActionPrecheck(ops.backupName, kubeblocksNamespace, backup === undefined ? undefined : backupView(backup));
  if (fatal !== null) return stepOps(world, ops, { type: 'action.failed', message: fatal });
  assert(backup !== undefined, 'precheck passed without a backup');
  if (world.kb.clusters[ops.clusterName] !== undefined) return stepOps(world, ops, { type: 'action.applied' });
  let restored: ClusterObjectForRestore<KbCluster['spec']>;
  try {
    restored = clusterFromBackup<KbCluster['spec'] & ClusterSpecForRestore>(backupView(backup), { clusterName: ops.clusterName, namespace: kubeblocksNamespace, volumeRestorePolicy: ops.volumeRestorePolicy, deferPostReadyUntilClusterRunning: false }, config.profile);
  } catch (error) {
    if (!(error instanceof RestoreBuildError)) throw error;
    // A Fatal error fails the ops; a panic is recovered by controller-runtime and requeued.
    if (error.type === 'Fatal') return stepOps(world, ops, { type: 'action.failed', message: error.message });
    return restoreFailed(world, 'restore-ops', ops.name, `panic: ${error.message} [recovered]`);
  }
  const cluster = newCluster({ name: ops.clusterName, componentSpecs: restored.spec.componentSpecs, terminationPolicy: restored.spec.terminationPolicy, schedulingPolicy: restored.spec.schedulingPolicy ?? null });
  let next = applyWrite(world, { kind: 'cluster.put', cluster });
  const state = next.ext.restore;
  next = withRestore(next, { ...state, clusterAnnotations: { ...state.clusterAnnotations, [ops.clusterName]: restored.metadata.annotations ?? {} } });
  return stepOps(next, next.ext.restore.opsRequests[ops.name] as RestoreOpsObject, { type: 'action.applied' });
}

/** The OpsRequest controller's reconcile of Restore ops `name`. */
export function reconcileRestoreOps(world: RestoreWorld, name: string, config: RestoreConfig): RestoreWorld {
  const ops = world.ext.restore.opsRequests[name];
  if (ops === undefined) return world;
  switch (opsPhase(ops)) {
    case 'New':
      return stepOps(world, ops, { type: 'ops.observed' });
    case 'Pending': {
      // Restore has no FromClusterPhases gate and no queue: it starts at once.
      const started = stepOps(world, ops, { type: 'ops.started' });
      const after = started.ext.restore.opsRequests[name] as RestoreOpsObject;
      return putOps(started, { ...after, startTick: world.now });
    }
    case 'Creating':
      return restoreAction(world, ops, config);
    case 'Running':
      return reconcileRunningRestore(world, ops);
    default:
      return world;
  }
}

function reconcileRunningRestore(world: RestoreWorld, ops: RestoreOpsObject): RestoreWorld {
  if (ops.timeoutSeconds !== null && ops.startTick !== null) {
    const deadline = ops.startTick + ops.timeoutSeconds;
    if (world.now >= deadline) return stepOps(world, ops, { type: 'timeout.expired', message: opsAbortedTimeoutMessage });
  }
  const cluster = world.kb.clusters[ops.clusterName];
  const verdict = restoreReconcileAction(ops.clusterName, cluster === undefined ? null : { phase: cluster.status.phase, deleting: cluster.deleting });
  if (verdict.phase === 'Succeed') return stepOps(world, ops, { type: 'progress.succeeded' });
  if (verdict.phase === 'Failed') return stepOps(world, ops, { type: 'progress.failed', message: verdict.message ?? 'restore failed' });
  if (ops.timeoutSeconds !== null && ops.startTick !== null) return restoreRequeueAfter(world, `restore-ops/${ops.name}`, ops.startTick + ops.timeoutSeconds - world.now);
  return world;
}

// --- prepareData Restore CRs -------------------------------------------------------------------

/** The backup a component restores from, per its cluster's `kubeblocks.io/restore-from-backup`. */
export function componentRestoreSource(world: RestoreWorld, component: Component): string | null {
  const annotation = world.ext.restore.clusterAnnotations[component.clusterName]?.[annotationRestoreFromBackup];
  return restoreSourceOf(annotation, component.shortName)?.name ?? null;
}

/** DoPrepareData: the Restore CRs component `component` needs (name, template, replicas). */
export function prepareDataPlan(component: Component): readonly { readonly name: string; readonly templateName: string; readonly replicas: number }[] {
  const base = `${component.name}-${hex8(`${component.clusterName}/uid`)}-preparedata`;
  const plan: { name: string; templateName: string; replicas: number }[] = [];
  let templateReplicas = 0;
  for (const template of component.spec.instances) {
    templateReplicas += template.replicas;
    if (template.replicas > 0) plan.push({ name: `${base}-${template.name}`, templateName: template.name, replicas: template.replicas });
  }
  const rest = component.spec.replicas - templateReplicas;
  if (rest > 0) plan.push({ name: base, templateName: '', replicas: rest });
  return plan;
}

/** The prepare reconcile of Component `name`: creates its missing prepareData Restore CRs. */
export function reconcilePrepare(world: RestoreWorld, name: string): RestoreWorld {
  const component = world.kb.components[name];
  if (component === undefined) return world;
  const backupName = componentRestoreSource(world, component);
  if (backupName === null) return world;
  const ops = Object.values(world.ext.restore.opsRequests).find((candidate) => candidate.clusterName === component.clusterName);
  // buildSchedulingSpec: affinity, tolerations and spread constraints of the component's pod spec.
  const scheduling = restoreJobScheduling(applySchedulingPolicyToPod({}, component.spec.schedulingPolicy));
  let next = world;
  for (const entry of prepareDataPlan(component)) {
    if (next.ext.restore.restores[entry.name] !== undefined) continue;
    checkLimit('restoreCrsMax', Object.keys(next.ext.restore.restores).length + 1, restoreCrsMax, `create ${entry.name}`);
    const cr: RestoreCr = {
      name: entry.name,
      clusterName: component.clusterName,
      componentName: component.name,
      backupName,
      templateName: entry.templateName,
      replicas: entry.replicas,
      volumeRestorePolicy: ops?.volumeRestorePolicy ?? 'Parallel',
      scheduling,
      jobs: [],
      lifecycle: machineInitState(restoreMachine),
    };
    const state = next.ext.restore;
    next = restoreMarkDirty(withRestore(next, { ...state, restores: { ...state.restores, [cr.name]: cr } }), `restore/${cr.name}`);
  }
  return next;
}

// --- dataprotection Restore ----------------------------------------------------------------------

function putRestore(world: RestoreWorld, cr: RestoreCr): RestoreWorld {
  const state = world.ext.restore;
  return withRestore(world, { ...state, restores: { ...state.restores, [cr.name]: cr } });
}

function stepRestore(cr: RestoreCr, event: RestoreEvent): RestoreCr {
  const step = machineStep(restoreMachine, cr.lifecycle, event);
  assert(step.changed, `restore ${cr.name} ignored ${event.type}`);
  return { ...cr, lifecycle: step.state };
}

/** `builderRestoreJobName`: `restore-preparedata-<restoreUID[:8]>-<backup>-<index>`. */
export function restoreJobName(cr: RestoreCr, index: number): string {
  return `restore-preparedata-${hex8(`${cr.name}/uid`)}-${cr.backupName}-${index}`;
}

function jobPodName(jobName: string, attempt: number): string {
  return `${jobName}-${hash32(`${jobName}#${attempt}`).toString(36).slice(0, 5).padStart(5, '0')}`;
}

function jobPodInput(cr: RestoreCr, job: RestoreJob, config: RestoreConfig): PodInput {
  return {
    name: job.podName,
    namespace: kubeblocksNamespace,
    labels: { ...restoreJobPodLabels(cr.name), 'job-name': job.name },
    ownerReference: { kind: 'Job', name: job.name },
    containers: [{ name: 'restore', image: config.restoreImage }],
    ...(cr.scheduling.affinity !== undefined ? { affinity: cr.scheduling.affinity } : {}),
    ...(cr.scheduling.tolerations !== undefined ? { tolerations: cr.scheduling.tolerations } : {}),
  };
}

function startJob(world: RestoreWorld, cr: RestoreCr, job: RestoreJob, config: RestoreConfig): RestoreWorld {
  return applyWrite(world, { kind: 'pod.create', pod: jobPodInput(cr, job, config), claims: [] });
}

/** The Restore controller's reconcile of Restore CR `name`. */
export function reconcileRestoreCr(world: RestoreWorld, name: string, config: RestoreConfig): RestoreWorld {
  const cr = world.ext.restore.restores[name];
  if (cr === undefined) return world;
  const phase = stateValueText(cr.lifecycle.value);
  if (phase === 'New') {
    const count = cr.volumeRestorePolicy === 'Parallel' ? cr.replicas : 1;
    const jobs = Array.from({ length: count }, (_, index) => ({ name: restoreJobName(cr, index), podName: jobPodName(restoreJobName(cr, index), 0), attempt: 0, succeeded: false }));
    let next = world;
    for (const job of jobs) next = startJob(next, cr, job, config);
    return putRestore(next, stepRestore({ ...cr, jobs }, { type: 'restore.jobsCreated' }));
  }
  if (phase !== 'Running') return world;
  return progressJobs(world, cr, config);
}

function progressJobs(world: RestoreWorld, cr: RestoreCr, config: RestoreConfig): RestoreWorld {
  let next = world;
  const jobs: RestoreJob[] = [];
  let wakeAt: number | null = null;
  for (const job of cr.jobs) {
    if (job.succeeded) {
      jobs.push(job);
      continue;
    }
    const pod = next.k8s.pods.get(objectKey(kubeblocksNamespace, job.podName));
    if (pod === undefined) {
      // The Job controller replaces a lost pod (backoffLimit is not reached by losses).
      checkLimit('restoreJobAttemptsMax', job.attempt + 1, restoreJobAttemptsMax, `job ${job.name}`);
      const retried = { ...job, attempt: job.attempt + 1, podName: jobPodName(job.name, job.attempt + 1) };
      next = startJob(next, cr, retried, config);
      jobs.push(retried);
      continue;
    }
    const readySince = podIsReady(pod) ? (podCondition(pod, 'Ready')?.lastTransitionTick ?? null) : null;
    if (readySince !== null && next.now >= readySince + next.ext.restore.timing.restoreJobTicks) {
      // The restore container exits 0: the Job succeeds; its finished pod no longer counts for scheduling.
      next = applyWrite(next, { kind: 'pod.delete', name: job.podName });
      jobs.push({ ...job, succeeded: true });
      continue;
    }
    if (readySince !== null) wakeAt = Math.min(wakeAt ?? Number.MAX_SAFE_INTEGER, readySince + next.ext.restore.timing.restoreJobTicks);
    jobs.push(job);
  }
  // Serial: the next job starts when the previous one succeeded.
  if (jobs.length < cr.replicas && jobs.every((job) => job.succeeded)) {
    const index = jobs.length;
    const job = { name: restoreJobName(cr, index), podName: jobPodName(restoreJobName(cr, index), 0), attempt: 0, succeeded: false };
    next = startJob(next, cr, job, config);
    jobs.push(job);
  }
  let updated: RestoreCr = { ...cr, jobs };
  if (jobs.length === cr.replicas && jobs.every((job) => job.succeeded)) {
    updated = stepRestore(updated, { type: 'restore.jobsSucceeded' });
    // The Component owns its Restore CRs: a status change wakes it.
    next = applyWrite(next, { kind: 'enqueue', item: workItem('component', cr.componentName) });
  }
  next = putRestore(next, updated);
  return wakeAt === null ? next : restoreRequeueAfter(next, `restore/${cr.name}`, wakeAt - next.now);
}

// --- the component controller with the restore transformer in front ------------------------------

/** `waiting for restore "<name>" successfully` (createRestoreAndWait, ErrorTypeNeedWaiting). */
export function needWaitingMessage(restoreName: string): string {
  return `waiting for restore "${restoreName}" successfully`;
}

/**
 * The component controller with componentRestoreTransformer before the workload: while a
 * prepareData Restore of the component is missing or not Completed, the reconcile records a
 * `NeedWaiting` Event and stops (ErrPrematureStop): no InstanceSet, no status recompute.
 */
export function restoreGatedComponentController(base: KbController<RestoreWorld>): KbController<RestoreWorld> {
  return {
    name: base.name,
    objectKind: base.objectKind,
    reconcile(view: RestoreWorld, key: string): ReconcileResult {
      const component = view.kb.components[key];
      if (component === undefined || componentRestoreSource(view, component) === null) return base.reconcile(view, key);
      for (const entry of prepareDataPlan(component)) {
        const cr = view.ext.restore.restores[entry.name];
        const phase = cr === undefined ? 'New' : stateValueText(cr.lifecycle.value);
        if (phase === 'Completed') continue;
        if (phase === 'Failed') return { writes: [], error: `restore "${entry.name}" status is Failed, you can describe it and re-restore the cluster.` };
        const message = needWaitingMessage(entry.name);
        return { writes: [{ kind: 'event', event: { type: 'Normal', reason: 'NeedWaiting', message, involvedObject: `Component/${component.name}`, source: 'component-controller' } }] };
      }
      return base.reconcile(view, key);
    },
  };
}

/** The cluster a pod belongs to: its instance label, or its restore CR's cluster. */
export function podClusterName(world: RestoreWorld, podLabels: Readonly<Record<string, string>>): string | null {
  const instance = podLabels[labelAppInstance];
  if (instance !== undefined) return instance;
  const restoreName = podLabels['dataprotection.kubeblocks.io/restore'];
  return restoreName === undefined ? null : (world.ext.restore.restores[restoreName]?.clusterName ?? null);
}
