/**
 * The restore path as a {@link KubeBlocksExtension}: its controllers' reconciles and requeue timers
 * as actions, the watches that make them dirty, and the user requests a scenario offers (create a
 * Backup, create a Restore OpsRequest, delete a Cluster). Compose it with
 * `kubeblocksRuntime({ extensions: [restoreExtension(config)], controllers: [gated component] })`
 * (see `restoreRuntimeControllers`).
 */
import { assert } from '../../sim/assert.ts';
import { checkLimit } from '../../sim/limits.ts';
import { stateValueText } from '../../sim/machine-host.ts';
import { machineInitState } from '../kubeblocks/memo.ts';
import type { ObservedObject } from '../../sim/model.ts';
import { clusterDeletePod, clusterDeletePvc } from '../../sim/cluster/index.ts';
import { componentController } from '../kubeblocks/component-controller.ts';
import type { KbController } from '../kubeblocks/kubeblocks-controller.ts';
import type { KubeBlocksProfile } from '../kubeblocks/kubeblocks-profile.ts';
import { changedPodKeys, type ExtensionAction, type KubeBlocksExtension } from '../kubeblocks/kubeblocks-runtime.ts';
import { kubeblocksNamespace, splitWorkItem } from '../kubeblocks/kubeblocks-world.ts';
import { opsRequestMachine } from '../kubeblocks-opsrequest/opsrequest.machine.ts';
import { isOpsTerminal, type OpsPhase } from '../kubeblocks-opsrequest/opsrequest.machine.ts';
import { backupMachine } from './dataprotection.machine.ts';
import {
  componentRestoreSource,
  prepareDataPlan,
  reconcileBackup,
  reconcilePrepare,
  reconcileRestoreCr,
  reconcileRestoreOps,
  restoreGatedComponentController,
  type RestoreConfig,
} from './restore-controllers.ts';
import { backupsMax, restoreOpsMax, type RestoreOpsObject, type RestoreWorld } from './restore-objects.ts';
import { restoreDueRequeue, restoreFireRequeue, restoreMarkDirty, restoreNextDueTick, restoreSucceeded, restoreTake, withRestore } from './restore-queue.ts';
import { labelAppInstance } from './scheduling-types.ts';

/** The extension's name: `owner` of its actions. */
export const restoreExtensionName = 'kubeblocks-restore';

interface RestoreReconcileAction extends ExtensionAction {
  readonly kind: 'controller';
  readonly op: 'reconcile';
  readonly item: string;
}

interface RestoreTimerAction extends ExtensionAction {
  readonly kind: 'timer';
  readonly op: 'requeue';
  readonly item: string;
}

const kindOfController: Readonly<Record<string, string>> = { backup: 'Backup', 'restore-ops': 'OpsRequest', restore: 'Restore', prepare: 'Component' };

/** Reconcile labels remembered by work item; past it the cache is cleared (same labels either way). */
export const restoreLabelsCachedMax = 10_000;
const reconcileLabels = new Map<string, string>();

function reconcileLabel(item: string): string {
  let label = reconcileLabels.get(item);
  if (label === undefined) {
    label = reconcileLabelOf(item);
    if (reconcileLabels.size >= restoreLabelsCachedMax) reconcileLabels.clear();
    reconcileLabels.set(item, label);
  }
  return label;
}

function reconcileLabelOf(item: string): string {
  const { controller, key } = splitWorkItem(item);
  if (controller === 'prepare') return `reconcile Component ${key} (restore prepareData)`;
  return `reconcile ${kindOfController[controller] ?? controller} ${key}`;
}

function reconcileItem(world: RestoreWorld, item: string, config: RestoreConfig): RestoreWorld {
  const { controller, key } = splitWorkItem(item);
  const taken = restoreTake(world, item);
  const failuresBefore = taken.ext.restore.failures[item] ?? 0;
  let next: RestoreWorld;
  switch (controller) {
    case 'backup':
      next = reconcileBackup(taken, key);
      break;
    case 'restore-ops':
      next = reconcileRestoreOps(taken, key, config);
      break;
    case 'restore':
      next = reconcileRestoreCr(taken, key, config);
      break;
    case 'prepare':
      next = reconcilePrepare(taken, key);
      break;
    default:
      throw new Error(`unknown restore controller ${controller}`);
  }
  // A reconcile that did not fail resets the item's backoff.
  return (next.ext.restore.failures[item] ?? 0) === failuresBefore && failuresBefore > 0 ? restoreSucceeded(next, item) : next;
}

function clustersChanged(before: RestoreWorld, after: RestoreWorld): readonly string[] {
  if (before.kb.clusters === after.kb.clusters) return [];
  const names = new Set([...Object.keys(before.kb.clusters), ...Object.keys(after.kb.clusters)]);
  return [...names].filter((name) => before.kb.clusters[name] !== after.kb.clusters[name]).sort();
}

// Watches: restore job pods wake their Restore; a Cluster change wakes the Restore ops creating it;
// a component that restores from a backup and lacks a prepareData Restore wakes the prepare step.
function watch(before: RestoreWorld, after: RestoreWorld): RestoreWorld {
  let world = after;
  for (const key of changedPodKeys(before, after)) {
    const pod = after.k8s.pods.get(key) ?? before.k8s.pods.get(key);
    const restoreName = pod?.labels['dataprotection.kubeblocks.io/restore'];
    if (restoreName !== undefined && restoreName in world.ext.restore.restores) world = restoreMarkDirty(world, `restore/${restoreName}`);
  }
  for (const clusterName of clustersChanged(before, after)) {
    for (const ops of Object.values(world.ext.restore.opsRequests)) {
      if (ops.clusterName === clusterName && !isOpsTerminal(stateValueText(ops.lifecycle.value) as OpsPhase)) world = restoreMarkDirty(world, `restore-ops/${ops.name}`);
    }
  }
  if (before.kb.components !== after.kb.components || before.ext.restore.clusterAnnotations !== after.ext.restore.clusterAnnotations) {
    for (const component of Object.values(world.kb.components)) {
      if (componentRestoreSource(world, component) === null) continue;
      if (prepareDataPlan(component).some((entry) => world.ext.restore.restores[entry.name] === undefined)) world = restoreMarkDirty(world, `prepare/${component.name}`);
    }
  }
  return world;
}

// The environment settled (pods on lost nodes may be gone without an action we watched): the
// informers resync, so every restore object that is not finished is reconciled once more.
function resync(world: RestoreWorld): RestoreWorld {
  let next = world;
  const state = world.ext.restore;
  for (const backup of Object.values(state.backups)) if (!['Completed', 'Failed'].includes(stateValueText(backup.lifecycle.value))) next = restoreMarkDirty(next, `backup/${backup.name}`);
  for (const cr of Object.values(state.restores)) if (!['Completed', 'Failed'].includes(stateValueText(cr.lifecycle.value))) next = restoreMarkDirty(next, `restore/${cr.name}`);
  for (const ops of Object.values(state.opsRequests)) if (!isOpsTerminal(stateValueText(ops.lifecycle.value) as OpsPhase)) next = restoreMarkDirty(next, `restore-ops/${ops.name}`);
  return next;
}

function observeRestore(world: RestoreWorld): ObservedObject[] {
  const state = world.ext.restore;
  const objects: ObservedObject[] = [
    ...Object.values(state.backups).map((backup) => ({ kind: 'Backup', name: backup.name, phase: stateValueText(backup.lifecycle.value) })),
    ...Object.values(state.opsRequests).map((ops) => ({ kind: 'OpsRequest', name: ops.name, phase: stateValueText(ops.lifecycle.value) })),
    ...Object.values(state.restores).map((cr) => ({ kind: 'Restore', name: cr.name, phase: stateValueText(cr.lifecycle.value) })),
  ];
  // Unbound pods, so a report can say since when a pod has been Pending.
  for (const key of [...world.k8s.pods.keys()].sort()) {
    const pod = world.k8s.pods.get(key);
    if (pod !== undefined && pod.spec.nodeName === null) objects.push({ kind: 'Pod', name: pod.name, phase: 'Pending' });
  }
  return objects;
}

/** Reconcile actions kept per work item; past it the cache is cleared (same actions either way). */
export const restoreActionsCachedMax = 10_000;

/** The restore extension under `config`. */
export function restoreExtension(config: RestoreConfig): KubeBlocksExtension<RestoreWorld> {
  // A reconcile action depends on its work item only: built once per item (items recur run after run).
  const reconciles = new Map<string, RestoreReconcileAction>();
  const reconcileAction = (item: string): RestoreReconcileAction => {
    let action = reconciles.get(item);
    if (action === undefined) {
      action = { kind: 'controller', owner: restoreExtensionName, op: 'reconcile', item, label: reconcileLabel(item) };
      if (reconciles.size >= restoreActionsCachedMax) reconciles.clear();
      reconciles.set(item, action);
    }
    return action;
  };
  return {
    name: restoreExtensionName,
    actions(world) {
      const out: ExtensionAction[] = world.ext.restore.dirty.map(reconcileAction);
      const due = restoreDueRequeue(world);
      if (due !== undefined) out.push({ kind: 'timer', owner: restoreExtensionName, op: 'requeue', item: due.item, label: `timer requeue/${due.item}` } as RestoreTimerAction);
      return out;
    },
    apply(world, action) {
      const owned = action as RestoreReconcileAction | RestoreTimerAction;
      if (owned.op === 'requeue') return restoreFireRequeue(world, owned.item);
      assert(owned.op === 'reconcile', `unknown restore action ${action.label}`);
      return reconcileItem(world, owned.item, config);
    },
    afterApply: watch,
    settle: resync,
    nextDueTick: restoreNextDueTick,
    observe: observeRestore,
  };
}

/** The built-in component controller with the restore transformer in front (replaces `component`). */
export function restoreRuntimeControllers(profile: KubeBlocksProfile): readonly KbController<RestoreWorld>[] {
  return [restoreGatedComponentController(componentController(profile) as unknown as KbController<RestoreWorld>)];
}

// --- user requests ---------------------------------------------------------------------------

/** `kubectl create backup`: a Backup of `clusterName` (phase New); its controller picks it up. */
export function restoreCreateBackup(world: RestoreWorld, name: string, clusterName: string, backupMethod: string): RestoreWorld {
  const state = world.ext.restore;
  assert(state.backups[name] === undefined, `backup ${name} already exists`);
  checkLimit('backupsMax', Object.keys(state.backups).length + 1, backupsMax, `create ${name}`);
  const backup = { name, clusterName, backupMethod, annotations: {}, createdTick: world.now, jobDueTick: null, lifecycle: machineInitState(backupMachine) };
  return restoreMarkDirty(withRestore(world, { ...state, backups: { ...state.backups, [name]: backup } }), `backup/${name}`);
}

/** What a user writes in a Restore OpsRequest. */
export interface RestoreOpsInput {
  readonly name: string;
  readonly backupName: string;
  readonly clusterName: string;
  readonly volumeRestorePolicy: 'Parallel' | 'Serial';
  readonly timeoutSeconds: number | null;
}

/** `kubectl create opsrequest --type Restore`. */
export function restoreCreateOps(world: RestoreWorld, input: RestoreOpsInput): RestoreWorld {
  const state = world.ext.restore;
  assert(state.opsRequests[input.name] === undefined, `OpsRequest ${input.name} already exists`);
  checkLimit('restoreOpsMax', Object.keys(state.opsRequests).length + 1, restoreOpsMax, `create ${input.name}`);
  const lifecycle = machineInitState(opsRequestMachine, { name: input.name, clusterName: input.clusterName, type: 'Restore' }) as RestoreOpsObject['lifecycle'];
  const ops: RestoreOpsObject = { ...input, createdTick: world.now, startTick: null, conditions: [], lifecycle };
  return restoreMarkDirty(withRestore(world, { ...state, opsRequests: { ...state.opsRequests, [ops.name]: ops } }), `restore-ops/${ops.name}`);
}

/**
 * `kubectl delete cluster` with `terminationPolicy: Delete`, its cascade collapsed into one step:
 * the Cluster, its Components and InstanceSets, their pods and PVCs are gone.
 */
export function restoreDeleteCluster(world: RestoreWorld, clusterName: string): RestoreWorld {
  const cluster = world.kb.clusters[clusterName];
  assert(cluster !== undefined, `cluster ${clusterName} does not exist`);
  const drop = <T>(record: Readonly<Record<string, T>>, keep: (value: T) => boolean): Record<string, T> => Object.fromEntries(Object.entries(record).filter(([, value]) => keep(value)));
  let k8s = world.k8s;
  for (const key of world.k8s.index.podsByLabel.get(`${labelAppInstance}=${clusterName}`) ?? []) {
    const pod = world.k8s.pods.get(key);
    if (pod !== undefined) k8s = clusterDeletePod(k8s, pod.namespace, pod.name, world.now);
  }
  for (const key of k8s.pvcs.keys()) {
    const pvc = k8s.pvcs.get(key);
    if (pvc !== undefined && pvc.labels[labelAppInstance] === clusterName) k8s = clusterDeletePvc(k8s, kubeblocksNamespace, pvc.name);
  }
  const kb = {
    clusters: drop(world.kb.clusters, (value) => value.name !== clusterName),
    components: drop(world.kb.components, (value) => value.clusterName !== clusterName),
    instanceSets: drop(world.kb.instanceSets, (value) => value.clusterName !== clusterName),
  };
  const queue = world.queue.filter((item) => !item.endsWith(`/${clusterName}`) && !item.includes(`/${clusterName}-`));
  const state = world.ext.restore;
  return withRestore({ ...world, k8s, kb, queue }, { ...state, deletedClusters: [...state.deletedClusters, clusterName].sort() });
}
