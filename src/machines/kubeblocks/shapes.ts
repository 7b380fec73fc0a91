/**
 * One object shape per kind of KubeBlocks world part (as `pgo-replica-deleted/shapes.ts` does for
 * PGO). Steps build their results with spreads at many sites (`{ ...world, queue }`,
 * `{ ...before, clusters }`, `{ ...clock, timers }`), and V8 gives each site's result a map of its
 * own: a warm swarm (pg-image-mismatch, kafka-offline-online, restore-anti-affinity) met 36 world
 * maps, 15 `kb` maps and 10 clock maps, all with one key order, so reads and spreads of them went
 * megamorphic. The runtime rebuilds each step's result here, once, from literals with the keys in
 * the order `kubeblocksWorldCreate` and `clockCreate` make them: the same data and key order (JSON
 * and traces unchanged), one map per kind. Untouched parts keep their identity. The KubeBlocks
 * objects (14 Cluster, 9 Component, 10 InstanceSet maps) are rebuilt the same way, with their
 * status, by the one place that stores them (`applyWrite`'s puts), in the order of `newCluster`,
 * the cluster controller's new Component and `newInstanceSet`; their specs keep their identity
 * (the controllers' caches key on them).
 */
import type { Clock } from '../../sim/clock.ts';
import type { Cluster } from '../../sim/cluster/index.ts';
import type { Tick } from '../../sim/ticks.ts';
import { shapedCluster } from '../../sim/cluster/shapes.ts';
import type { Cluster as KbCluster, Component, InstanceSet } from './kubeblocks-objects.ts';
import type { KbTimerPayload, KubeBlocksObjects, KubeBlocksWorld } from './kubeblocks-world.ts';

function shapedKb(before: KubeBlocksObjects, after: KubeBlocksObjects): KubeBlocksObjects {
  return after === before ? after : { clusters: after.clusters, components: after.components, instanceSets: after.instanceSets };
}

function shapedClock(before: Clock<KbTimerPayload>, after: Clock<KbTimerPayload>): Clock<KbTimerPayload> {
  return after === before ? after : { now: after.now, sequence: after.sequence, timers: after.timers };
}

// The last world built here, in its kind's shape already: a step whose later stages hand it back
// unchanged is not rebuilt a second time (the same content either way: a rebuild copies fields).
let lastShaped: KubeBlocksWorld | null = null;

/** `after` (a step's result from `before`) with the parts the step replaced rebuilt in their one shape; `after` itself when the step changed nothing. */
export function shapedKbWorld<W extends KubeBlocksWorld>(before: W, after: W): W {
  if (after === before || after === lastShaped) return after;
  return shapedWorldOf(after, after.now, shapedCluster(before.k8s, after.k8s), shapedKb(before.kb, after.kb), shapedClock(before.clock, after.clock));
}

/**
 * `{ ...world, now, clock }` in the one shape: what {@link shapedKbWorld} makes of that spread, built
 * once (the time step of every run). `clock` is `world.clock` advanced.
 */
export function shapedKbWorldAt<W extends KubeBlocksWorld>(world: W, now: Tick, clock: Clock<KbTimerPayload>): W {
  return shapedWorldOf(world, now, world.k8s, world.kb, shapedClock(world.clock, clock));
}

/** `{ ...world, k8s }` in the one shape: what {@link shapedKbWorld} makes of that spread, built once (a substrate action's step). */
export function shapedKbWorldOn<W extends KubeBlocksWorld>(world: W, k8s: Cluster): W {
  return shapedWorldOf(world, world.now, shapedCluster(world.k8s, k8s), world.kb, world.clock);
}

// `after`'s fields with `now`, `k8s`, `kb` and `clock` as given, in the key order of kubeblocksWorldCreate.
function shapedWorldOf<W extends KubeBlocksWorld>(after: W, now: Tick, k8s: Cluster, kb: KubeBlocksObjects, clock: Clock<KbTimerPayload>): W {
  const world: KubeBlocksWorld = {
    now,
    k8s,
    kb,
    clock,
    queue: after.queue,
    failures: after.failures,
    errors: after.errors,
    logs: after.logs,
    roleProbes: after.roleProbes,
    marks: after.marks,
    engine: after.engine,
    ext: after.ext,
  };
  lastShaped = world;
  return world as W;
}

/** A Cluster to store, in the one shape of its kind (its spec kept). */
export function shapedKbClusterObject(cluster: KbCluster): KbCluster {
  const status = cluster.status;
  return {
    name: cluster.name,
    generation: cluster.generation,
    deleting: cluster.deleting,
    spec: cluster.spec,
    status: { phase: status.phase, observedGeneration: status.observedGeneration, components: status.components, readyCondition: status.readyCondition },
    lifecycle: cluster.lifecycle,
  };
}

/** A Component to store, in the one shape of its kind (its spec kept). */
export function shapedComponent(component: Component): Component {
  const status = component.status;
  return {
    name: component.name,
    clusterName: component.clusterName,
    shortName: component.shortName,
    componentDef: component.componentDef,
    generation: component.generation,
    clusterGeneration: component.clusterGeneration,
    deleting: component.deleting,
    spec: component.spec,
    status: { phase: status.phase, observedGeneration: status.observedGeneration, message: status.message },
    runningEvidence: component.runningEvidence,
    lifecycle: component.lifecycle,
  };
}

/** An InstanceSet to store, in the one shape of its kind (its spec kept). */
export function shapedInstanceSet(its: InstanceSet): InstanceSet {
  const status = its.status;
  return {
    name: its.name,
    clusterName: its.clusterName,
    componentName: its.componentName,
    generation: its.generation,
    componentGeneration: its.componentGeneration,
    deleting: its.deleting,
    spec: its.spec,
    status: {
      observedGeneration: status.observedGeneration,
      replicas: status.replicas,
      readyReplicas: status.readyReplicas,
      availableReplicas: status.availableReplicas,
      updatedReplicas: status.updatedReplicas,
      currentReplicas: status.currentReplicas,
      updateRevision: status.updateRevision,
      currentRevision: status.currentRevision,
      conditions: status.conditions,
      membersStatus: status.membersStatus,
    },
    readiness: its.readiness,
  };
}
