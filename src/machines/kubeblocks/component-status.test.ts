// Proves the Component status transformer's unchanged-fields return gives exactly the writes of the
// full copy-and-compare, on the worlds swarm runs of the KubeBlocks scenarios pass through.
import { describe, expect, it } from 'vitest';
import { componentStatusWrites } from './component-controller.ts';
import type { Component } from './kubeblocks-objects.ts';
import { kubeblocksWorldsOfRuns } from './reached-worlds.ts';

describe('the Component status transformer', () => {
  it('returns at once exactly when the full compare finds nothing to write', () => {
    const worlds = kubeblocksWorldsOfRuns(['pg-image-mismatch', 'pg-role-event-reorder', 'kafka-offline-online', 'restore-anti-affinity'], () => [1, 2]);
    let quiet = 0;
    let written = 0;
    let lifecycles: Component['lifecycle'][] = [];
    for (const world of worlds) {
      for (const stored of Object.values(world.kb.components)) {
        const its = world.kb.instanceSets[stored.name];
        if (its === undefined) continue;
        // Also edited: running evidence where a fresh status would have none or another, and the
        // lifecycle of an earlier world (the machine may step it elsewhere).
        const evidence = { tick: 0, specReplicas: 9, replicas: 9, readyReplicas: 9, updatedReplicas: 9 };
        const edited: Component[] = [stored, { ...stored, runningEvidence: evidence }, ...lifecycles.slice(-2).map((lifecycle) => ({ ...stored, lifecycle }))];
        lifecycles.push(stored.lifecycle);
        if (lifecycles.length > 64) lifecycles = lifecycles.slice(-8);
        for (const component of edited) {
          // At the run's now and later (running evidence carries the tick).
          for (const view of [world, { ...world, now: world.now + 5 }]) {
            const plain = componentStatusWrites(view, component, its, false);
            expect(JSON.stringify(componentStatusWrites(view, component, its))).toBe(JSON.stringify(plain));
            if (plain.length === 0) quiet++;
            else written++;
          }
        }
      }
    }
    expect(quiet).toBeGreaterThan(2_000);
    expect(written).toBeGreaterThan(100);
  });
});
