/**
 * The InstanceSet controller (controllers/workloads/instanceset_controller.go), reconcilers in the
 * upstream order Status → RevisionUpdate → ReplicasAlignment → Update (reference §2). The
 * role-probe event handler (§2.8) is in `role-event.ts`.
 *
 * Model choices, named: an image change is rolled out by re-creating pods (podUpdatePolicy
 * `ReCreate`), one pod per reconcile within maxUnavailable 1; terminating pods are deleted at once
 * by the substrate, so `terminating` is never observed.
 */
import { hash32 } from '../../sim/prng.ts';
import { machineStep, stateValueText, type HostEffect } from '../../sim/machine-host.ts';
import type { Affinity, PodInput, Pod, StringMap, Toleration } from '../../sim/cluster/index.ts';
import { instanceSetMachine, type InstanceSetMachineEvent } from '../kubeblocks-instanceset/instanceset.machine.ts';
import { alignmentPlan, desiredInstances, instanceTemplateOf, type AlignmentPlan, type DesiredInstance } from './instance-names.ts';
import {
  appInstanceLabelKey,
  instanceSetLabelKey,
  instanceTemplateLabelKey,
  podNameLabelKey,
  revisionLabelKey,
  roleLabelKey,
  type InstancePodView,
} from './instance-pod.ts';
import { computeInstanceSetStatus, instanceSetCondition, podCountsAvailable, podCountsReady, podImageMatched } from './instanceset-status.ts';
import type { KubeBlocksProfile } from './kubeblocks-profile.ts';
import type { InstanceSet, SchedulingPolicy } from './kubeblocks-objects.ts';
import { instanceSetPodViews, instanceSetPods, kubeblocksPod, podUidAnnotation } from './kubeblocks-view.ts';
import { kubeblocksNamespace, workItem, type KbWrite, type KubeBlocksWorld } from './kubeblocks-world.ts';
import type { KbController, ReconcileResult } from './kubeblocks-controller.ts';
import { jsonEqual } from './memo.ts';

// A revision is a pure function of the InstanceSet's name and spec and is asked for once per pod
// per reconcile: cached per (immutable, shared) spec object.
const revisionCache = new WeakMap<InstanceSet['spec'], { readonly itsName: string; readonly byTemplate: Map<string, string> }>();

/** The revision of the template that pod `desired` comes from (`controller-revision-hash`). */
export function instanceRevision(its: InstanceSet, templateName: string): string {
  let bySpec = revisionCache.get(its.spec);
  if (bySpec === undefined || bySpec.itsName !== its.name) {
    bySpec = { itsName: its.name, byTemplate: new Map() };
    revisionCache.set(its.spec, bySpec);
  }
  let revision = bySpec.byTemplate.get(templateName);
  if (revision === undefined) {
    revision = computeRevision(its, templateName);
    bySpec.byTemplate.set(templateName, revision);
  }
  return revision;
}

function computeRevision(its: InstanceSet, templateName: string): string {
  const template = instanceTemplateOf(its.spec, templateName);
  const image = template?.image ?? its.spec.template.image;
  const scheduling = template?.schedulingPolicy ?? its.spec.template.schedulingPolicy;
  return `${its.name}-${hash32(JSON.stringify({ image, scheduling })).toString(16).padStart(8, '0')}`;
}

function podInput(view: KubeBlocksWorld, its: InstanceSet, desired: DesiredInstance): PodInput {
  const template = instanceTemplateOf(its.spec, desired.templateName);
  const scheduling = (template?.schedulingPolicy ?? its.spec.template.schedulingPolicy ?? {}) as SchedulingPolicy & {
    nodeSelector?: StringMap;
    affinity?: Affinity;
    tolerations?: readonly Toleration[];
  };
  const labels: Record<string, string> = {
    ...its.spec.podLabels,
    [instanceSetLabelKey]: its.name,
    [podNameLabelKey]: desired.name,
    [revisionLabelKey]: instanceRevision(its, desired.templateName),
  };
  if (desired.templateName !== '') labels[instanceTemplateLabelKey] = desired.templateName;
  const input: PodInput = {
    name: desired.name,
    namespace: kubeblocksNamespace,
    labels,
    // The pod's incarnation: unique because every substrate write bumps resourceVersion.
    annotations: { [podUidAnnotation]: `${desired.name}-${view.k8s.resourceVersion + 1}` },
    ownerReference: { kind: 'InstanceSet', name: its.name },
    containers: [{ name: its.spec.template.containerName, image: template?.image ?? its.spec.template.image }],
    claimNames: its.spec.volumeClaimTemplates.map((claim) => `${claim.name}-${desired.name}`),
    ...(scheduling.nodeSelector === undefined ? {} : { nodeSelector: scheduling.nodeSelector }),
    ...(scheduling.affinity === undefined ? {} : { affinity: scheduling.affinity }),
    ...(scheduling.tolerations === undefined ? {} : { tolerations: scheduling.tolerations }),
  };
  return input;
}

function machineWrites(its: InstanceSet, effects: readonly HostEffect[]): KbWrite[] {
  const writes: KbWrite[] = [];
  for (const effect of effects) {
    const id = `instanceset/${its.name}/${effect.kind === 'effect' ? effect.type : effect.id}`;
    if (effect.kind === 'timer.schedule') {
      writes.push({ kind: 'timer.schedule', id, delayTicks: effect.delayTicks, payload: { kind: 'machine', objectKind: 'InstanceSet', name: its.name, event: effect.event } });
    } else if (effect.kind === 'timer.cancel') {
      writes.push({ kind: 'timer.cancel', id });
    }
  }
  return writes;
}

// Desired pod name → its template name, per spec (a lookup per pod instead of a scan of the desired list),
// and the desired revision by pod name the status pass asks (a pure function of the name and spec,
// as `instanceRevision` is): one closure per spec rather than one per reconcile.
const templatesCache = new WeakMap<InstanceSet['spec'], { readonly itsName: string; readonly templates: ReadonlyMap<string, string>; readonly revisionByPod: (name: string) => string | undefined }>();

function templatesEntry(its: InstanceSet): { readonly templates: ReadonlyMap<string, string>; readonly revisionByPod: (name: string) => string | undefined } {
  const cached = templatesCache.get(its.spec);
  if (cached !== undefined && cached.itsName === its.name) return cached;
  const templates = new Map<string, string>();
  // The first entry wins, as Array.find did.
  for (const instance of desiredInstances(its.name, its.spec)) if (!templates.has(instance.name)) templates.set(instance.name, instance.templateName);
  const revisionByPod = (name: string): string | undefined => {
    const templateName = templates.get(name);
    return templateName === undefined ? undefined : instanceRevision(its, templateName);
  };
  const entry = { itsName: its.name, templates, revisionByPod };
  templatesCache.set(its.spec, entry);
  return entry;
}

/** The desired revision of each pod name of `its` (`status.updateRevisions`), one function per spec and name (exported for its test). */
export function revisionByPodOf(its: InstanceSet): (name: string) => string | undefined {
  return templatesEntry(its).revisionByPod;
}

function desiredTemplates(its: InstanceSet): ReadonlyMap<string, string> {
  return templatesEntry(its).templates;
}

// The readiness machine's events, one object per answer (machine events are read, never kept or changed).
const observedReady: InstanceSetMachineEvent = { type: 'instances.observed', instanceReady: true };
const observedNotReady: InstanceSetMachineEvent = { type: 'instances.observed', instanceReady: false };

// pkg/controller/instanceset/reconciler_status.go: status, then the readiness machine.
function statusWrites(profile: KubeBlocksProfile, view: KubeBlocksWorld, its: InstanceSet, pods: readonly InstancePodView[]): { its: InstanceSet; writes: KbWrite[] } {
  const result = computeInstanceSetStatus(profile, its, pods, instanceRevision(its, ''), revisionByPodOf(its), view.now);
  const step = machineStep(instanceSetMachine, its.readiness, instanceReadyIn(result.status) ? observedReady : observedNotReady);
  // The stored InstanceSet itself when its status and readiness are the very objects it holds.
  const next: InstanceSet = result.status === its.status && step.state === its.readiness ? its : { ...its, status: result.status, readiness: step.state };
  const writes = machineWrites(its, step.effects);
  // jsonEqual is JSON-text equality without building the texts (memo.ts).
  if (!jsonEqual(next.status, its.status) || step.changed) writes.unshift({ kind: 'instanceset.put', instanceSet: next });
  if (result.recheckAt !== null && result.recheckAt > view.now) {
    writes.push({ kind: 'timer.schedule', id: `requeue/instanceset/${its.name}`, delayTicks: result.recheckAt - view.now, payload: { kind: 'requeue', item: workItem('instanceset', its.name) } });
  }
  return { its: next, writes };
}

function instanceReadyIn(status: InstanceSet['status']): boolean {
  for (const condition of status.conditions) if (condition.type === 'InstanceReady' && condition.status === 'True') return true;
  return false;
}

// pkg/controller/instanceset/reconciler_instance_alignment.go: create or delete one pod (OrderedReady).
// Alignment and update both plan over the same pods in one reconcile, and consecutive reconciles
// mostly over the same pod names (the plan reads nothing else): the last plan is kept with the
// desired instances and the pod names it was made for, and reused after a check of every name.
let lastPlan: { readonly desired: readonly DesiredInstance[]; readonly names: readonly string[]; readonly plan: AlignmentPlan } | null = null;

/** The alignment plan of `its` over `pods`; exactly `alignmentPlan(desiredInstances(its.name, its.spec), pod names)`. */
export function planFor(its: InstanceSet, pods: readonly InstancePodView[]): AlignmentPlan {
  const desired = desiredInstances(its.name, its.spec);
  if (lastPlan !== null && lastPlan.desired === desired && sameNames(lastPlan.names, pods)) return lastPlan.plan;
  const names = pods.map((pod) => pod.name);
  const plan = alignmentPlan(desired, names);
  lastPlan = { desired, names, plan };
  return plan;
}

function sameNames(names: readonly string[], pods: readonly InstancePodView[]): boolean {
  if (names.length !== pods.length) return false;
  for (let index = 0; index < names.length; index++) if (names[index] !== (pods[index] as InstancePodView).name) return false;
  return true;
}

function alignmentWrites(profile: KubeBlocksProfile, view: KubeBlocksWorld, its: InstanceSet, pods: readonly InstancePodView[]): readonly KbWrite[] {
  const plan = planFor(its, pods);
  // Aligned (the steady state): nothing to create or delete, so no closure or list is made.
  if (plan.create.length === 0 && plan.delete.length === 0) return noWrites;
  const desired = desiredInstances(its.name, its.spec);
  // Built only when a pod is to be created (the steady state creates none).
  let byName: Map<string, InstancePodView> | null = null;
  const available = (name: string): boolean => {
    if (byName === null) {
      byName = new Map();
      for (const pod of pods) if (!byName.has(pod.name)) byName.set(pod.name, pod);
    }
    const pod = byName.get(name);
    return pod !== undefined && podCountsAvailable(profile, pod, its.spec.minReadySeconds, view.now);
  };
  const writes: KbWrite[] = [];
  const createBudget = its.spec.podManagementPolicy === 'Parallel' ? its.spec.parallelConcurrency - pods.filter((pod) => !available(pod.name)).length : 1;
  for (const instance of plan.create.slice(0, Math.max(0, createBudget))) {
    const position = desired.findIndex((candidate) => candidate.name === instance.name);
    const predecessor = position > 0 ? desired[position - 1] : undefined;
    // OrderedReady: a pod is created only once its predecessor is Available.
    if (its.spec.podManagementPolicy === 'OrderedReady' && predecessor !== undefined && !available(predecessor.name)) break;
    writes.push({ kind: 'pod.create', pod: podInput(view, its, instance), claims: its.spec.volumeClaimTemplates.map((claim) => ({ name: `${claim.name}-${instance.name}`, storageMiB: claim.storageMiB })) });
  }
  const surplus = plan.delete[0];
  if (surplus !== undefined && writes.length === 0) writes.push({ kind: 'pod.delete', name: surplus });
  return writes;
}

const noWrites: readonly KbWrite[] = Object.freeze([]);

// The `aligned` log write of an InstanceSet, one object per work item (writes are read, never changed).
const alignedLogs = new Map<string, KbWrite>();
/** InstanceSets whose `aligned` log write is kept; past it the map is cleared (same writes either way). */
const alignedLogsMax = 1_000;

function alignedLog(itsName: string): KbWrite {
  let write = alignedLogs.get(itsName);
  if (write === undefined) {
    write = { kind: 'log', item: workItem('instanceset', itsName), line: null };
    if (alignedLogs.size >= alignedLogsMax) alignedLogs.clear();
    alignedLogs.set(itsName, write);
  }
  return write;
}

// pkg/controller/instanceset/reconciler_update.go: aligned first, then one gated pod at a time.
function updateWrites(profile: KubeBlocksProfile, view: KubeBlocksWorld, its: InstanceSet, pods: readonly InstancePodView[]): KbWrite[] {
  const plan = planFor(its, pods);
  if (plan.create.length > 0 || plan.delete.length > 0) {
    return [{ kind: 'log', item: workItem('instanceset', its.name), line: `InstanceSet ${kubeblocksNamespace}/${its.name} instances are not aligned` }];
  }
  const aligned = alignedLog(its.name);
  const first = firstOutdated(its, pods);
  if (first === undefined) return [aligned];
  const unavailable = pods.filter((pod) => pod !== first && !podCountsAvailable(profile, pod, its.spec.minReadySeconds, view.now));
  const gateOpen = podImageMatched(profile, first) && podCountsReady(profile, first) && podCountsAvailable(profile, first, its.spec.minReadySeconds, view.now) && (its.spec.roles === null || first.labels[roleLabelKey] !== undefined);
  if (!gateOpen || unavailable.length > 0) return [aligned];
  return [aligned, { kind: 'pod.delete', name: first.name }];
}

// A pod's update priority: its role's (0 without one), as `updateWrites` orders the outdated pods.
function updatePriority(its: InstanceSet, pod: InstancePodView): number {
  const roles = its.spec.roles;
  if (roles === null) return 0;
  const name = pod.labels[roleLabelKey];
  for (const role of roles) if (role.name === name) return role.updatePriority ?? 0;
  return 0;
}

// The update order of outdated pods: lowest priority first, then the greater name first.
function updateOrder(its: InstanceSet, left: InstancePodView, right: InstancePodView): number {
  return updatePriority(its, left) - updatePriority(its, right) || (left.name < right.name ? 1 : -1);
}

/** The first of the pods whose revision label is not the desired one, in update order, computed afresh (exported for its test). */
export function firstOutdatedPlain(its: InstanceSet, pods: readonly InstancePodView[]): InstancePodView | undefined {
  const templateOf = desiredTemplates(its);
  return pods.filter((pod) => pod.labels[revisionLabelKey] !== instanceRevision(its, templateOf.get(pod.name) ?? '')).sort((left, right) => updateOrder(its, left, right))[0];
}

/**
 * {@link firstOutdatedPlain} by one scan for the least outdated pod, without a filtered list, a
 * sort or closures (this runs on every aligned reconcile). With finite priorities and distinct
 * names the order is a strict total order, so the sort's first entry is that least pod; a NaN
 * priority or a repeated name (an inconsistent order, the sort's answer implementation-defined)
 * goes to the plain form.
 */
export function firstOutdated(its: InstanceSet, pods: readonly InstancePodView[]): InstancePodView | undefined {
  const templateOf = desiredTemplates(its);
  let best: InstancePodView | undefined;
  for (const pod of pods) {
    if (pod.labels[revisionLabelKey] === instanceRevision(its, templateOf.get(pod.name) ?? '')) continue;
    if (!Number.isFinite(updatePriority(its, pod)) || (best !== undefined && best.name === pod.name)) return firstOutdatedPlain(its, pods);
    if (best === undefined || updateOrder(its, pod, best) < 0) best = pod;
  }
  return best;
}

/** The InstanceSet controller under `profile`. */
export function instanceSetController(profile: KubeBlocksProfile): KbController {
  return {
    name: 'instanceset',
    objectKind: 'InstanceSet',
    reconcile(view: KubeBlocksWorld, key: string): ReconcileResult {
      const its = view.kb.instanceSets[key];
      if (its === undefined) return { writes: [] };
      const pods = instanceSetPodViews(view, its.name);
      const status = statusWrites(profile, view, its, pods);
      const align = alignmentWrites(profile, view, status.its, pods);
      const update = align.length === 0 ? updateWrites(profile, view, status.its, pods) : [];
      return { writes: status.writes.concat(align, update) };
    },
  };
}

/** Whether the readiness machine says the role-probe window after InstanceReady has elapsed. */
export function roleProbeWindowElapsed(its: InstanceSet): boolean {
  return stateValueText(its.readiness.value) === 'Ready.roleProbeWindowElapsed';
}

/** The not-ready pod names listed in `InstanceReady` (empty when it is True or absent). */
export function notReadyPodNames(its: InstanceSet): string[] {
  const condition = instanceSetCondition(its.status, 'InstanceReady');
  if (condition === undefined || condition.status === 'True' || condition.message === '') return [];
  return JSON.parse(condition.message) as string[];
}

/** The cluster an InstanceSet belongs to, from its pod labels. */
export function instanceSetClusterName(its: InstanceSet): string {
  return its.spec.podLabels[appInstanceLabelKey] ?? its.clusterName;
}
