import { describe, expect, it } from 'vitest';
import { runSwarm } from '../../sim/swarm.ts';
import { longhornNodeUpgradeScenario } from '../../scenarios/longhorn-node-upgrade/index.ts';
import { longhornActions, longhornActionsFromScratch, longhornSystemActions } from './actions.ts';
import type { LonghornWorld } from './world.ts';
import { sameJson, updateWorld } from './world-ops.ts';

/** Every world a few swarm runs pass through (the buggy and the fixed variant). */
function worldsOfRuns(): LonghornWorld[] {
  const worlds: LonghornWorld[] = [];
  for (const variant of longhornNodeUpgradeScenario.variants.slice(0, 2)) {
    const model = variant.model;
    // The run asks a split model for its system moves once per step.
    const spy = { ...model, systemActions: (world: LonghornWorld) => (worlds.push(world), longhornSystemActions(world)) };
    for (const seed of [1, 2, 3]) runSwarm(spy as typeof model, { scenario: longhornNodeUpgradeScenario.name, variant: variant.name, profile: variant.profile, seed, swarm: longhornNodeUpgradeScenario.swarm }, false);
  }
  return worlds;
}

describe('the Longhorn hot path', () => {
  const worlds = worldsOfRuns();

  it('the cached action list equals the list built from scratch, in run order and out of it', () => {
    // Proves: keeping each group of actions per identity of its inputs never serves a stale list.
    expect(worlds.length).toBeGreaterThan(1_000);
    const stride = 7919; // a prime: visits every world once, far from run order
    for (let index = 0; index < worlds.length; index++) {
      for (const world of [worlds[index] as LonghornWorld, worlds[(index * stride) % worlds.length] as LonghornWorld]) {
        expect(longhornActions(world)).toEqual(longhornActionsFromScratch(world));
      }
    }
  });

  it('sameJson agrees with comparing JSON texts', () => {
    // Proves: the allocation-free comparison the volume writes use decides exactly as JSON.stringify equality did.
    const values: unknown[] = [
      ...worlds.filter((_world, index) => index % 40 === 0).flatMap((world) => [...world.volumes, ...world.volumes.map((volume) => volume.machine)]),
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      { a: 1, b: 2, c: undefined },
      { a: 1, c: undefined, b: 2 },
      { a: [1, 2] },
      { a: [1, 2, 3] },
      { a: { b: null } },
      { a: { b: 0 } },
      [],
      {},
    ];
    let equalPairs = 0;
    for (let left = 0; left < values.length; left += 3) {
      for (let right = 0; right < values.length; right += 5) {
        const expected = JSON.stringify(values[left]) === JSON.stringify(values[right]);
        if (expected) equalPairs++;
        expect(sameJson(values[left], values[right]), `${JSON.stringify(values[left])} vs ${JSON.stringify(values[right])}`).toBe(expected);
      }
    }
    expect(equalPairs).toBeGreaterThan(10);
  });

  it('updateWorld copies every field in the initial world\'s order and replaces only the patched ones', () => {
    // Proves: worlds built by updateWorld keep one field order (the fingerprint walks it) and lose or change nothing else.
    const world = worlds[worlds.length - 1] as LonghornWorld;
    const initial = worlds[0] as LonghornWorld;
    const copy = updateWorld(world, {});
    expect(Object.keys(copy)).toEqual(Object.keys(initial));
    expect(Object.keys(copy).every((key) => copy[key as keyof LonghornWorld] === world[key as keyof LonghornWorld])).toBe(true);
    const patched = updateWorld(world, { dirty: ['Volume/x'], diskCounter: 0 });
    expect(patched.dirty).toEqual(['Volume/x']);
    expect(patched.diskCounter).toBe(0);
    expect(Object.keys(patched).filter((key) => patched[key as keyof LonghornWorld] !== world[key as keyof LonghornWorld]).sort()).toEqual(['dirty', 'diskCounter']);
  });
});
