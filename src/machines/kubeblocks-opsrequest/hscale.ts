/**
 * HorizontalScaling semantics as pure functions: which pod names a component has, how an
 * OpsRequest's `scaleIn` / `scaleOut` fields change `replicas` and `offlineInstances`, and which
 * pods the ops therefore waits to see created or deleted.
 *
 * Facts: shared/reference/kubeblocks.md §2.6 (names) and §3.4 (HScale). Upstream:
 * `pkg/operations/horizontal_scaling.go` (getExpectedCompValues, autoSyncReplicaChanges,
 * getCreateAndDeletePodSet), `apis/operations/v1alpha1/opsrequest_validation.go`
 * (validateHorizontalScalingSpec), `pkg/controller/instanceset/instance_util.go`
 * (GenerateInstanceNamesFromTemplate). Only the default instance template is modelled
 * (no `instances[]` / `newInstances[]`), which is all a Kafka broker component uses.
 */
import { assert } from '../../sim/assert.ts';
import { checkLimit } from '../../sim/limits.ts';
import type { OpsProfile } from './profile.ts';

/** `scaleOut` of one component (operations.kubeblocks.io/v1alpha1). */
export interface ScaleOut {
  readonly replicaChanges?: number;
  readonly offlineInstancesToOnline?: readonly string[];
}

/** `scaleIn` of one component. */
export interface ScaleIn {
  readonly replicaChanges?: number;
  readonly onlineInstancesToOffline?: readonly string[];
}

/**
 * One entry of `spec.horizontalScaling`. `replicas` is the deprecated absolute count of the 0.9
 * API (the 1.0 API sets an absolute count by editing the Cluster); it cannot be combined with
 * `scaleIn` / `scaleOut`.
 */
export interface HorizontalScaling {
  readonly componentName: string;
  readonly replicas?: number;
  readonly scaleOut?: ScaleOut;
  readonly scaleIn?: ScaleIn;
}

/** The part of a component spec HScale reads and writes (`status.lastConfiguration` has the same shape). */
export interface ComponentShape {
  readonly replicas: number;
  readonly offlineInstances: readonly string[];
}

/** The ComponentDefinition default `replicasLimit` (apis/apps/v1: 1…16384). */
export const replicasLimitMin = 1;
export const replicasLimitMax = 16384;
/** Pods one generated name set may hold in this simulator (far below upstream's limit). */
export const podNamesPerComponentMax = 64;

/** The ordinal of `<its>-<n>`, or null for a name that is not of this InstanceSet. */
export function ordinalOf(itsName: string, podName: string): number | null {
  if (!podName.startsWith(`${itsName}-`)) return null;
  const text = podName.slice(itsName.length + 1);
  if (!/^(0|[1-9][0-9]*)$/.test(text)) return null;
  return Number(text);
}

/**
 * The pod names an InstanceSet generates: ordinals upward from 0, skipping names listed in
 * `offlineInstances`, until `replicas` names exist (instance_util.go: GenerateInstanceNamesFromTemplate).
 * Sorted by ordinal.
 */
export function podNamesOf(itsName: string, shape: ComponentShape): readonly string[] {
  assert(Number.isSafeInteger(shape.replicas) && shape.replicas >= 0, `replicas ${shape.replicas} must be a non-negative integer`);
  checkLimit('podNamesPerComponentMax', shape.replicas, podNamesPerComponentMax, `component ${itsName} asks for ${shape.replicas} pods`);
  const offline = new Set(shape.offlineInstances);
  const names: string[] = [];
  for (let ordinal = 0; names.length < shape.replicas; ordinal++) {
    const name = `${itsName}-${ordinal}`;
    if (!offline.has(name)) names.push(name);
  }
  return names;
}

/** Why the spec is invalid (`ValidateOps`, re-run on every reconcile in Pending and Creating), or null. */
export function validateHorizontalScaling(hs: HorizontalScaling, shape: ComponentShape): string | null {
  // opsrequest_validation.go: validateHorizontalScalingSpec; `shape` is lastConfiguration when saved, else the live spec.
  const { scaleIn, scaleOut } = hs;
  if (hs.replicas !== undefined && (scaleIn !== undefined || scaleOut !== undefined)) {
    return `"replicas" has been deprecated and cannot be used with "scaleOut" and "scaleIn"`;
  }
  if (hs.replicas !== undefined) return null;
  if (scaleIn !== undefined) {
    const names = scaleIn.onlineInstancesToOffline ?? [];
    if (scaleIn.replicaChanges !== undefined && names.length > scaleIn.replicaChanges) {
      return `the length of onlineInstancesToOffline can't be greater than the "replicaChanges" for the component`;
    }
    if (scaleIn.replicaChanges !== undefined && scaleIn.replicaChanges > shape.replicas) {
      return `"scaleIn.replicaChanges" can't be greater than ${shape.replicas} for component "${hs.componentName}"`;
    }
  }
  if (scaleOut !== undefined) {
    const names = scaleOut.offlineInstancesToOnline ?? [];
    if (scaleOut.replicaChanges !== undefined && names.length > scaleOut.replicaChanges) {
      return `the length of offlineInstancesToOnline can't be greater than the "replicaChanges" for the component`;
    }
    for (const name of names) {
      if (!shape.offlineInstances.includes(name)) {
        return `cannot find the offline instance "${name}" in component "${hs.componentName}" for scaleOut operation`;
      }
    }
  }
  return null;
}

/** Why the Action must fail (a Fatal error), or null. Checked against lastConfiguration. */
export function actionFatalError(itsName: string, last: ComponentShape, hs: HorizontalScaling, profile: OpsProfile): string | null {
  // horizontal_scaling.go Action: every name to take offline must be a currently generated pod.
  const online = new Set(podNamesOf(itsName, last));
  for (const name of hs.scaleIn?.onlineInstancesToOffline ?? []) {
    if (!online.has(name)) return `instance "${name}" specified in onlineInstancesToOffline is not online`;
  }
  const expected = expectedComponentValues(itsName, last, hs, profile);
  // Modelled wording: upstream rejects a count outside the ComponentDefinition replicasLimit.
  if (expected.replicas < replicasLimitMin || expected.replicas > replicasLimitMax) {
    return `the replicas of component "${hs.componentName}" after horizontally scaling must be within [${replicasLimitMin}, ${replicasLimitMax}], got ${expected.replicas}`;
  }
  return null;
}

/** `offlineInstances` after the ops: old list + names to take offline − names to bring back. */
export function expectedOfflineInstances(last: ComponentShape, hs: HorizontalScaling): readonly string[] {
  // horizontal_scaling.go: getCompExpectedOfflineInstances
  let offline = last.offlineInstances.slice();
  for (const name of hs.scaleIn?.onlineInstancesToOffline ?? []) {
    if (!offline.includes(name)) offline.push(name);
  }
  const toOnline = hs.scaleOut?.offlineInstancesToOnline ?? [];
  if (toOnline.length > 0) offline = offline.filter((name) => !toOnline.includes(name));
  return offline;
}

/** The scale-in change: explicit `replicaChanges` wins, otherwise the number of names taken offline. */
export function scaleInReplicaChanges(hs: HorizontalScaling): number {
  const scaleIn = hs.scaleIn;
  if (scaleIn === undefined) return 0;
  return scaleIn.replicaChanges ?? (scaleIn.onlineInstancesToOffline ?? []).length;
}

/** The scale-out change, by the profile's auto-sync rule when `replicaChanges` is not set. */
export function scaleOutReplicaChanges(itsName: string, last: ComponentShape, hs: HorizontalScaling, profile: OpsProfile): number {
  const scaleOut = hs.scaleOut;
  if (scaleOut === undefined) return 0;
  if (scaleOut.replicaChanges !== undefined) return scaleOut.replicaChanges;
  const names = scaleOut.offlineInstancesToOnline ?? [];
  if (names.length === 0) return 0;
  const offline = expectedOfflineInstances(last, hs);
  if (profile.flags.onlineAutoSyncUsesOldReplicas) {
    // v1.0.0 autoSyncReplicaChanges: names regenerated from the OLD count; the highest ordinal is missed (#9000).
    const podSet = new Set(podNamesOf(itsName, { replicas: last.replicas, offlineInstances: offline }));
    return names.filter((name) => podSet.has(name)).length;
  }
  // PR #9405 getToOnlineInsCountMap: raise provisionally, regenerate, count sorted names while present.
  const podSet = new Set(podNamesOf(itsName, { replicas: last.replicas + names.length, offlineInstances: offline }));
  let count = 0;
  for (const name of names.slice().sort()) {
    if (!podSet.has(name)) break;
    count++;
  }
  return count;
}

/** The component's `replicas` and `offlineInstances` the Action writes (getExpectedCompValues). */
export function expectedComponentValues(itsName: string, last: ComponentShape, hs: HorizontalScaling, profile: OpsProfile): ComponentShape {
  if (hs.replicas !== undefined) return { replicas: hs.replicas, offlineInstances: last.offlineInstances };
  const replicas = last.replicas + scaleOutReplicaChanges(itsName, last, hs, profile) - scaleInReplicaChanges(hs);
  return { replicas, offlineInstances: expectedOfflineInstances(last, hs) };
}

/** The pods an HScale ops waits to see created and deleted, sorted by ordinal. */
export interface PodSets {
  readonly created: readonly string[];
  readonly deleted: readonly string[];
}

function byOrdinal(itsName: string): (left: string, right: string) => number {
  return (left, right) => (ordinalOf(itsName, left) ?? -1) - (ordinalOf(itsName, right) ?? -1) || (left < right ? -1 : left > right ? 1 : 0);
}

/**
 * createdPodSet = expected names − last names; deletedPodSet = last names − expected names
 * (getCreateAndDeletePodSet). While the ops is Cancelling the two sets are swapped.
 */
export function createdAndDeletedPodSets(
  itsName: string,
  last: ComponentShape,
  hs: HorizontalScaling,
  profile: OpsProfile,
  cancelling: boolean,
): PodSets {
  const lastNames = podNamesOf(itsName, last);
  const expectedNames = podNamesOf(itsName, expectedComponentValues(itsName, last, hs, profile));
  const created = new Set(expectedNames.filter((name) => !lastNames.includes(name)));
  const deleted = lastNames.filter((name) => !expectedNames.includes(name));
  if (profile.flags.onlineNamesForcedIntoCreatedSet) {
    // v1.0.0: every name brought online is expected to appear, whether or not the spec creates it.
    for (const name of hs.scaleOut?.offlineInstancesToOnline ?? []) created.add(name);
  }
  const order = byOrdinal(itsName);
  const sets: PodSets = { created: [...created].sort(order), deleted: deleted.slice().sort(order) };
  return cancelling ? { created: sets.deleted, deleted: sets.created } : sets;
}
