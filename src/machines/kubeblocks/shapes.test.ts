import { describe, expect, it } from 'vitest';
import { clockCreate } from '../../sim/clock.ts';
import { clusterCreate, nodeFromInput, nodePool } from '../../sim/cluster/store.ts';
import { podFromInput } from '../../sim/cluster/pods.ts';
import { shapedCluster, shapedNode, shapedPod } from '../../sim/cluster/shapes.ts';
import type { Cluster, Node, Pod } from '../../sim/cluster/types.ts';
import { kubeblocksWorldCreate } from './kubeblocks-runtime.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';
import { kubeblocksWorldsOfRuns } from './reached-worlds.ts';
import { newCluster, postgresqlClusterInput } from './cluster-controller.ts';
import { kubeblocks103 } from './kubeblocks-profile.ts';
import { newInstanceSet } from './component-controller.ts';
import { opsSliceCreate, shapedOpsSlice, type OpsSlice } from '../kubeblocks-opsrequest/opsrequest.host.ts';
import { restoreStateCreate, type RestoreState, type RestoreWorld } from '../kubeblocks-restore/restore-objects.ts';
import { shapedRestoreState, withRestore } from '../kubeblocks-restore/restore-queue.ts';
import { enginePatroniWith } from './engine.ts';
import { shapedComponent, shapedInstanceSet, shapedKbClusterObject, shapedKbWorld } from './shapes.ts';

// The worlds real runs reach (shaped by the runtime already: the key orders below come from the constructors instead).
const worlds = kubeblocksWorldsOfRuns(['pg-image-mismatch', 'kafka-offline-online', 'restore-anti-affinity'], () => [1, 2, 3]);

// Key orders as the objects are first created.
const k8sFresh = clusterCreate({ nodes: nodePool(1) });
const podFresh = podFromInput({ name: 'p', containers: [{ name: 'c', image: 'img:1' }] }, 0);
const order = {
  world: Object.keys(kubeblocksWorldCreate(k8sFresh, [], {})),
  kb: Object.keys(kubeblocksWorldCreate(k8sFresh, [], {}).kb),
  clock: Object.keys(clockCreate()),
  k8s: Object.keys(k8sFresh),
  index: Object.keys(k8sFresh.index),
  node: Object.keys(nodeFromInput({ name: 'n' }, 0, 1, 0)),
  pod: Object.keys(podFresh),
  podSpec: Object.keys(podFresh.spec),
  podStatus: Object.keys(podFresh.status),
  podKubelet: Object.keys(podFresh.kubelet),
  podScheduling: Object.keys(podFresh.scheduling),
};

function expectPodOrder(pod: Pod): void {
  expect(Object.keys(pod)).toEqual(order.pod);
  expect(Object.keys(pod.spec)).toEqual(order.podSpec);
  expect(Object.keys(pod.status)).toEqual(order.podStatus);
  expect(Object.keys(pod.kubelet)).toEqual(order.podKubelet);
  expect(Object.keys(pod.scheduling)).toEqual(order.podScheduling);
}

// Every part of a world replaced by a fresh spread with a changed value, as a step makes them.
function changedWorld(world: KubeBlocksWorld): KubeBlocksWorld {
  const k8s: Cluster = { ...world.k8s, resourceVersion: world.k8s.resourceVersion + 1, index: { ...world.k8s.index, podsWithAffinity: [] } };
  return { ...world, now: world.now + 1, k8s, kb: { ...world.kb, clusters: {} }, clock: { ...world.clock, sequence: world.clock.sequence + 1 }, queue: ['x/y'] };
}

describe('shapes: one constructor per kind gives the same data in the key order of first creation', () => {
  it('shapedKbWorld and shapedCluster rebuild a step result equal to it, in creation key order, and keep untouched parts', () => {
    expect(worlds.length).toBeGreaterThan(1_000);
    for (let index = 1; index < worlds.length; index += 5) {
      const before = worlds[index - 1] as KubeBlocksWorld;
      const world = worlds[index] as KubeBlocksWorld;
      const changed = changedWorld(world);
      const shaped = shapedKbWorld(before, changed);
      expect(shaped).toStrictEqual(changed);
      expect(JSON.stringify(shaped)).toBe(JSON.stringify(changed));
      expect(Object.keys(shaped)).toEqual(order.world);
      expect(Object.keys(shaped.kb)).toEqual(order.kb);
      expect(Object.keys(shaped.clock)).toEqual(order.clock);
      expect(Object.keys(shaped.k8s)).toEqual(order.k8s);
      expect(Object.keys(shaped.k8s.index)).toEqual(order.index);
      // Against itself nothing is replaced.
      expect(shapedKbWorld(world, world)).toBe(world);
      // A step that replaced only the queue keeps every other part.
      const stepped = shapedKbWorld(world, { ...world, queue: [] });
      for (const key of Object.keys(world) as (keyof KubeBlocksWorld)[]) if (key !== 'queue') expect(stepped[key]).toBe(world[key]);
      expect(shapedCluster(world.k8s, { ...world.k8s, events: [] }).index).toBe(world.k8s.index);
    }
  });

  it('shapedPod and shapedNode equal the stamped spreads they replace, in creation key order, keeping the parts the write left', () => {
    const pods = [...new Set(worlds.flatMap((world) => [...world.k8s.pods.values()]))];
    expect(pods.length).toBeGreaterThan(100);
    for (const pod of pods) {
      const moved: Pod = { ...pod, deletionTick: 7, status: { ...pod.status, phase: 'Failed' }, spec: { ...pod.spec, nodeName: 'elsewhere' }, kubelet: { ...pod.kubelet, readyDueTick: 3 }, scheduling: { failedEpoch: 2 } };
      for (const [next, before] of [[pod, undefined], [pod, pod], [moved, pod]] as const) {
        const shaped = shapedPod(next, 99, before);
        expect(shaped).toStrictEqual({ ...next, resourceVersion: 99 });
        expect(JSON.stringify(shaped)).toBe(JSON.stringify({ ...next, resourceVersion: 99 }));
        expectPodOrder(shaped);
      }
      const kept = shapedPod({ ...pod, labels: {} }, 1, pod);
      for (const part of ['spec', 'status', 'kubelet', 'scheduling'] as const) expect(kept[part]).toBe(pod[part]);
    }
    const nodes = [...new Set(worlds.flatMap((world) => world.k8s.nodes.values()))];
    for (const node of nodes) {
      const drained: Node = { ...node, unschedulable: !node.unschedulable, imageCache: { a: 'b' }, drain: { startedTick: 1, retryDueTick: 2, lastError: 'e' } };
      expect(shapedNode(drained, 42)).toStrictEqual({ ...drained, resourceVersion: 42 });
      expect(Object.keys(shapedNode(drained, 42))).toEqual(order.node);
    }
  });

  it('the KubeBlocks objects a put stores equal the put objects, in the key order of their creation, with their specs kept', () => {
    // Key orders of first creation: newCluster, the cluster controller's new Component (the first stored one of a fresh world), newInstanceSet.
    const created = kubeblocksWorldCreate(k8sFresh, [postgresqlClusterInput(1, 'img:1')], {});
    expect(Object.keys(created.kb.components)).toHaveLength(0);
    const firstComponent = Object.values(worlds.find((world) => Object.keys(world.kb.components).length > 0)?.kb.components ?? {})[0];
    expect(firstComponent).toBeDefined();
    const component = firstComponent as NonNullable<typeof firstComponent>;
    const cluster = newCluster(postgresqlClusterInput(1, 'img:1'));
    const its = newInstanceSet(kubeblocks103, component);
    const keysOf = (object: object): string[] => Object.keys(object);
    const orders = [
      [keysOf(cluster), keysOf(cluster.status)],
      [['name', 'clusterName', 'shortName', 'componentDef', 'generation', 'clusterGeneration', 'deleting', 'spec', 'status', 'runningEvidence', 'lifecycle'], ['phase', 'observedGeneration', 'message']],
      [keysOf(its), keysOf(its.status)],
    ] as const;
    const kinds = [
      [(world: KubeBlocksWorld) => Object.values(world.kb.clusters), shapedKbClusterObject, orders[0]],
      [(world: KubeBlocksWorld) => Object.values(world.kb.components), shapedComponent, orders[1]],
      [(world: KubeBlocksWorld) => Object.values(world.kb.instanceSets), shapedInstanceSet, orders[2]],
    ] as const;
    for (const [objectsOf, shaped, [order, statusOrder]] of kinds) {
      const objects = [...new Set(worlds.flatMap((world) => objectsOf(world) as object[]))];
      expect(objects.length).toBeGreaterThan(10);
      for (const object of objects as { spec: object; status: object }[]) {
        // A put's object as a controller makes it: a spread with a changed status, every number in it distinct (so a swapped field shows).
        const status = Object.fromEntries(Object.entries(object.status).map(([key, value], at) => [key, typeof value === 'number' ? 1_000 + at : value]));
        const put = { ...object, generation: 9, status };
        const stored = (shaped as unknown as (one: typeof put) => typeof put)(put);
        expect(stored).toStrictEqual(put);
        expect(JSON.stringify(stored)).toBe(JSON.stringify(put));
        expect(Object.keys(stored)).toEqual(order);
        expect(Object.keys(stored.status)).toEqual(statusOrder);
        expect(stored.spec).toBe(object.spec);
      }
    }
  });

  it('the extension states (restore, OpsRequest slice) are stored equal to their spreads, in the key order of their creation', () => {
    const restoreOrder = Object.keys(restoreStateCreate({ backupJobTicks: 1, restoreJobTicks: 1 }));
    const sliceOrder = Object.keys(opsSliceCreate());
    const restoreWorlds = worlds.filter((world) => (world.ext as { restore?: RestoreState }).restore !== undefined) as RestoreWorld[];
    const slices = [...new Set(worlds.map((world) => (world.ext as { ops?: OpsSlice }).ops).filter((slice) => slice !== undefined))];
    expect(restoreWorlds.length).toBeGreaterThan(100);
    expect(slices.length).toBeGreaterThan(100);
    for (const world of restoreWorlds) {
      const state = world.ext.restore;
      // Every value replaced by a distinct one, so a swapped field shows.
      const changed = Object.fromEntries(Object.keys(state).map((key, at) => [key, [at]])) as unknown as RestoreState;
      const shaped = shapedRestoreState({ ...state, ...changed });
      expect(shaped).toStrictEqual({ ...state, ...changed });
      expect(Object.keys(shaped)).toEqual(restoreOrder);
      const next = withRestore(world, { ...state, dirty: ['x'] });
      expect(next).toStrictEqual({ ...world, ext: { ...world.ext, restore: { ...state, dirty: ['x'] } } });
      expect(withRestore(world, state)).toBe(world);
    }
    for (const slice of slices as OpsSlice[]) {
      const changed = Object.fromEntries(Object.keys(slice).map((key, at) => [key, [at]])) as unknown as OpsSlice;
      expect(shapedOpsSlice({ ...slice, ...changed })).toStrictEqual({ ...slice, ...changed });
      expect(Object.keys(shapedOpsSlice(slice))).toEqual(sliceOrder);
    }
  });

  it("enginePatroniWith equals the engine spreads it replaces, the Patroni state in emptyPatroni's key order", () => {
    const engines = [...new Set(worlds.map((world) => world.engine))].filter((engine) => engine['patroni'] !== undefined);
    expect(engines.length).toBeGreaterThan(100);
    for (const engine of engines) {
      const state = engine['patroni'] as { leaders: object; reported: object; reportsSent: number };
      const leaders = { x: { pod: 'p', uid: 'u' } };
      const reported = { p: { uid: 'u', role: 'primary', roleLabel: null } };
      const next = enginePatroniWith(engine, leaders, reported, state.reportsSent + 1);
      expect(next).toStrictEqual({ ...engine, patroni: { ...state, leaders, reported, reportsSent: state.reportsSent + 1 } });
      expect(Object.keys(next['patroni'] as object)).toEqual(['leaders', 'reported', 'reportsSent']);
    }
  });
});
