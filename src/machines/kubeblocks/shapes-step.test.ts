// Proves the time and substrate steps' worlds built in their one shape at once (shapedKbWorldAt,
// shapedKbWorldOn) are what shapedKbWorld makes of the spreads they replace (same JSON, same key
// orders, untouched parts kept), and that handing shapedKbWorld a world it just built returns it.
import { describe, expect, it } from 'vitest';
import { clockAdvance, clockCreate } from '../../sim/clock.ts';
import { clusterCreate, nodePool } from '../../sim/cluster/store.ts';
import type { Cluster } from '../../sim/cluster/types.ts';
import { kubeblocksWorldCreate } from './kubeblocks-runtime.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';
import { kubeblocksWorldsOfRuns } from './reached-worlds.ts';
import { shapedKbWorld, shapedKbWorldAt, shapedKbWorldOn } from './shapes.ts';

const worlds = kubeblocksWorldsOfRuns(['pg-role-event-reorder', 'kafka-offline-online', 'restore-anti-affinity'], () => [1, 2]);
const k8sFresh = clusterCreate({ nodes: nodePool(1) });
const order = { world: Object.keys(kubeblocksWorldCreate(k8sFresh, [], {})), clock: Object.keys(clockCreate()), k8s: Object.keys(k8sFresh) };

function expectSameShaped(fast: KubeBlocksWorld, plain: KubeBlocksWorld): void {
  expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
  expect(Object.keys(fast)).toEqual(order.world);
  expect(Object.keys(fast.clock)).toEqual(order.clock);
  expect(Object.keys(fast.k8s)).toEqual(order.k8s);
}

describe('shapes of the time and substrate steps', () => {
  it('equal shapedKbWorld of the spreads they replace, on reached worlds', () => {
    expect(worlds.length).toBeGreaterThan(1_000);
    for (let index = 0; index < worlds.length; index += 3) {
      const world = worlds[index] as KubeBlocksWorld;
      for (const to of [world.now, world.now + 1, world.now + 17]) {
        const clock = clockAdvance(world.clock, to);
        const fast = shapedKbWorldAt(world, to, clock);
        // The world just built is handed back as it is.
        expect(shapedKbWorld(world, fast)).toBe(fast);
        expectSameShaped(fast, shapedKbWorld(world, { ...world, now: to, clock }));
        expect(fast.k8s).toBe(world.k8s);
        expect(fast.kb).toBe(world.kb);
        expect(fast.queue).toBe(world.queue);
        expect(fast.engine).toBe(world.engine);
        expect(fast.ext).toBe(world.ext);
      }
      const k8s: Cluster = { ...world.k8s, resourceVersion: world.k8s.resourceVersion + 1 };
      const fast = shapedKbWorldOn(world, k8s);
      expectSameShaped(fast, shapedKbWorld(world, { ...world, k8s }));
      expect(fast.now).toBe(world.now);
      expect(fast.clock).toBe(world.clock);
      expect(shapedKbWorldOn(world, world.k8s).k8s).toBe(world.k8s);
    }
  });
});
