/**
 * Plugs the OpsRequest controller into the KubeBlocks world as an extension: the OpsRequest slice
 * lives in `world.ext.ops`, the Cluster spec and InstanceSet status are reached through the
 * KubeBlocks objects, and the user's requests (create, cancel) are this extension's actions.
 * Reusable by any scenario whose world extension carries an `ops` slice.
 */
import { assert } from '../../sim/assert.ts';
import type { ObservedObject } from '../../sim/model.ts';
import type { Tick } from '../../sim/ticks.ts';
import { compareInstanceNames } from '../../machines/kubeblocks/instance-names.ts';
import { instanceSetCondition } from '../../machines/kubeblocks/instanceset-status.ts';
import type { ExtensionAction, KubeBlocksExtension } from '../../machines/kubeblocks/kubeblocks-runtime.ts';
import { instanceSetPods } from '../../machines/kubeblocks/kubeblocks-view.ts';
import { jsonEqual } from '../../machines/kubeblocks/memo.ts';
import { applyWrite, type KubeBlocksWorld } from '../../machines/kubeblocks/kubeblocks-world.ts';
import type { InstanceSet } from '../../machines/kubeblocks/kubeblocks-objects.ts';
import {
  opsCancel,
  opsCreate,
  opsNextDueTick,
  opsOnClusterChanged,
  opsReconcile,
  opsRequeueFire,
  opsRequeuesDue,
  shapedOpsSlice,
  type OpsHostPort,
  type OpsSlice,
} from '../../machines/kubeblocks-opsrequest/opsrequest.host.ts';
import type { OpsRequestSpec } from '../../machines/kubeblocks-opsrequest/opsrequest.objects.ts';
import type { OpsProfile } from '../../machines/kubeblocks-opsrequest/profile.ts';
import type { InstanceSetProgressView } from '../../machines/kubeblocks-opsrequest/progress.ts';

/** The extension state this module needs in `world.ext`. */
export interface OpsExt {
  readonly ops: OpsSlice;
}

export type OpsWorld<X extends OpsExt = OpsExt> = KubeBlocksWorld<X>;

/** An OpsRequest controller step or user request, routed back by `owner: 'opsrequest'`. */
export type OpsAction = ExtensionAction &
  (
    | { readonly kind: 'controller'; readonly op: 'reconcile'; readonly name: string }
    | { readonly kind: 'timer'; readonly op: 'requeue'; readonly name: string }
    | { readonly kind: 'user'; readonly op: 'opsrequest.create'; readonly name: string; readonly spec: OpsRequestSpec }
    | { readonly kind: 'user'; readonly op: 'opsrequest.cancel'; readonly name: string }
  );

// The pod names listed in a False condition's JSON message (GetPodNameSetFromInstanceSetCondition).
function podsInCondition(its: InstanceSet, type: 'InstanceReady' | 'InstanceAvailable' | 'InstanceFailure'): readonly string[] {
  const condition = instanceSetCondition(its.status, type);
  if (condition === undefined || condition.message === '') return [];
  const wanted = type === 'InstanceFailure' ? 'True' : 'False';
  if (condition.status !== wanted) return [];
  const parsed: unknown = JSON.parse(condition.message);
  assert(Array.isArray(parsed), `condition ${type} message must be a JSON list`);
  return parsed as string[];
}

/** The port through which the OpsRequest host reads and writes a KubeBlocks world. */
export function opsPort<X extends OpsExt>(): OpsHostPort<OpsWorld<X>> {
  const existingPods = (world: OpsWorld<X>, itsName: string): string[] =>
    instanceSetPods(world, itsName)
      .map((pod) => pod.name)
      .sort(compareInstanceNames);
  // Pods that exist and are not Terminating (a pod deleted while its node is unreachable lingers).
  const livePods = (world: OpsWorld<X>, itsName: string): string[] =>
    instanceSetPods(world, itsName)
      .filter((pod) => pod.deletionTick === null)
      .map((pod) => pod.name)
      .sort(compareInstanceNames);
  // The view of a Cluster reads only that (immutable) object: built once per object.
  const clusterViews = new WeakMap<KubeBlocksWorld['kb']['clusters'][string], { readonly name: string; readonly view: NonNullable<ReturnType<OpsHostPort<OpsWorld<X>>['cluster']>> }>();
  return {
    slice: (world) => world.ext.ops,
    withSlice: (world, slice) => ({ ...world, ext: { ...world.ext, ops: slice === world.ext.ops ? slice : shapedOpsSlice(slice) } }),
    now: (world) => world.now,
    cluster: (world, name) => {
      const cluster = world.kb.clusters[name];
      if (cluster === undefined) return undefined;
      const cached = clusterViews.get(cluster);
      if (cached !== undefined && cached.name === name) return cached.view;
      const view = {
        name,
        phase: cluster.status.phase,
        components: cluster.spec.componentSpecs.map((spec) => ({
          name: spec.name,
          itsName: `${name}-${spec.name}`,
          replicas: spec.replicas,
          offlineInstances: spec.offlineInstances,
          phase: cluster.status.components.find((entry) => entry.name === spec.name)?.phase ?? '',
        })),
      };
      clusterViews.set(cluster, { name, view });
      return view;
    },
    // Approximation: `status.currentRevisions` lists the pods the InstanceSet saw at its last status
    // reconcile; the live pod list is the same source one reconcile earlier.
    instanceSet: (world, itsName): InstanceSetProgressView | undefined => {
      const its = world.kb.instanceSets[itsName];
      if (its === undefined) return undefined;
      return {
        currentPods: existingPods(world, itsName),
        notReady: podsInCondition(its, 'InstanceReady'),
        notAvailable: podsInCondition(its, 'InstanceAvailable'),
        failed: podsInCondition(its, 'InstanceFailure'),
        members: its.status.membersStatus === null ? null : its.status.membersStatus.map((member) => member.podName),
      };
    },
    writeClusterComponents: (world, clusterName, components) => {
      const cluster = world.kb.clusters[clusterName];
      assert(cluster !== undefined, `Cluster ${clusterName} does not exist`);
      const componentSpecs = cluster.spec.componentSpecs.map((spec) => {
        const change = components.find((component) => component.name === spec.name);
        return change === undefined ? spec : { ...spec, replicas: change.replicas, offlineInstances: change.offlineInstances };
      });
      if (jsonEqual(componentSpecs, cluster.spec.componentSpecs)) return world;
      return applyWrite(world, { kind: 'cluster.put', cluster: { ...cluster, generation: cluster.generation + 1, spec: { ...cluster.spec, componentSpecs } } });
    },
    recordEvent: (world, event) => applyWrite(world, { kind: 'event', event }),
    livePods,
  };
}

/** How the extension offers user requests (`kind: 'user'` only): the scenario decides the vocabulary. */
export type OpsRequestVocabulary<X extends OpsExt> = (world: OpsWorld<X>) => readonly OpsAction[];

// A Cluster, or an InstanceSet of it, changed between two worlds (by identity: worlds share structure).
function clustersTouched<X extends OpsExt>(before: OpsWorld<X>, after: OpsWorld<X>): string[] {
  const touched = new Set<string>();
  if (before.kb.clusters !== after.kb.clusters) {
    for (const name of Object.keys(after.kb.clusters)) if (before.kb.clusters[name] !== after.kb.clusters[name]) touched.add(name);
  }
  if (before.kb.instanceSets !== after.kb.instanceSets) {
    for (const [name, its] of Object.entries(after.kb.instanceSets)) if (before.kb.instanceSets[name] !== its) touched.add(its.clusterName);
  }
  return [...touched].sort();
}

/** Actions kept per OpsRequest name; past it the cache is cleared (same actions either way). */
export const opsActionsCachedMax = 10_000;

function cachedAction(cache: Map<string, OpsAction>, name: string, build: () => OpsAction): OpsAction {
  let action = cache.get(name);
  if (action === undefined) {
    action = build();
    if (cache.size >= opsActionsCachedMax) cache.clear();
    cache.set(name, action);
  }
  return action;
}

/** The OpsRequest extension for `profile`, offering the user requests `vocabulary` lists. */
export function opsRequestExtension<X extends OpsExt>(profile: OpsProfile, vocabulary: OpsRequestVocabulary<X>): KubeBlocksExtension<OpsWorld<X>> {
  const port = opsPort<X>();
  // The controller's own steps (reconciles of the dirty OpsRequests, due requeues), built once per
  // name; then the user's requests. `systemActions`/`environmentActions` give the two kinds apart.
  const reconciles = new Map<string, OpsAction>();
  const requeues = new Map<string, OpsAction>();
  const ownSteps = (world: OpsWorld<X>): ExtensionAction[] => {
    const slice = world.ext.ops;
    const out: ExtensionAction[] = [];
    for (const name of slice.dirty) out.push(cachedAction(reconciles, name, () => ({ kind: 'controller', owner: 'opsrequest', op: 'reconcile', name, label: `reconcile OpsRequest ${name}` })));
    for (const name of opsRequeuesDue(slice, world.now)) out.push(cachedAction(requeues, name, () => ({ kind: 'timer', owner: 'opsrequest', op: 'requeue', name, label: `timer requeue/opsrequest/${name}` })));
    return out;
  };
  const userRequests = (world: OpsWorld<X>): readonly OpsAction[] => {
    const requests = vocabulary(world);
    // Not assert(cond, `…`): the message would be built for every request on every step.
    for (const request of requests) if (request.kind !== 'user') assert(false, `the OpsRequest vocabulary offered ${request.label}, which is not a user request`);
    return requests;
  };
  return {
    name: 'opsrequest',
    actions(world) {
      const out = ownSteps(world);
      for (const request of userRequests(world)) out.push(request);
      return out;
    },
    // The vocabulary lists user requests only (checked as they are listed), so the system moves
    // are the controller's own steps and the vocabulary is not asked for them.
    systemActions: ownSteps,
    environmentActions: userRequests,
    apply(world, action) {
      const ops = action as OpsAction;
      switch (ops.op) {
        case 'reconcile':
          return opsReconcile(world, port, profile, ops.name);
        case 'requeue':
          return opsRequeueFire(world, port, ops.name);
        case 'opsrequest.create':
          return opsCreate(world, port, ops.name, ops.spec);
        case 'opsrequest.cancel':
          return opsCancel(world, port, ops.name);
      }
    },
    afterApply(before, after) {
      let next = after;
      for (const clusterName of clustersTouched(before, after)) next = opsOnClusterChanged(next, port, clusterName);
      return next;
    },
    nextDueTick: (world): Tick | null => opsNextDueTick(world.ext.ops),
    observe: (world): readonly ObservedObject[] => world.ext.ops.opsRequests.map((ops) => ({ kind: 'OpsRequest', name: ops.name, phase: ops.status.phase })),
  };
}
