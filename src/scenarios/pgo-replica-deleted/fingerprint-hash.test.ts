import { describe, expect, it } from 'vitest';
import { exploreVariant } from '../../sim/explore.ts';
import type { Model } from '../../sim/model.ts';
import { runSwarm } from '../../sim/swarm.ts';
import { pgoSwitchoverTargetLeader } from '../pgo-switchover-target-leader/index.ts';
import type { PgoAction } from './actions.ts';
import { noteStep, pgoFingerprint, pgoFingerprintText } from './fingerprint.ts';
import { pgoReplicaDeleted } from './index.ts';
import type { PgoScenarioOptions, PgoWorld } from './world.ts';

type PgoModel = Model<PgoWorld, PgoAction, PgoScenarioOptions>;

const worldsPerRun = 1_200;

/**
 * Worlds keyed by the explorer and worlds of swarm runs and their successors, each with the key it
 * got right after the model's step made it (so from the pieces of the world it came from).
 */
function keyedWorlds(): { readonly world: PgoWorld; readonly key: string }[] {
  const out: { world: PgoWorld; key: string }[] = [];
  const keyed = (world: PgoWorld): string => {
    const key = pgoFingerprint(world);
    out.push({ world, key });
    return key;
  };
  for (const scenario of [pgoReplicaDeleted, pgoSwitchoverTargetLeader]) {
    for (const variant of scenario.variants) {
      const model = variant.model as PgoModel;
      exploreVariant(scenario, { ...variant, model: { ...model, fingerprint: keyed } }, { statesMax: 600 });
      const seen: PgoWorld[] = [];
      const spy = { ...model, actions: (world: PgoWorld) => (keyed(world), seen.push(world), model.actions(world)) };
      runSwarm(spy, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed: 1, swarm: { ...scenario.swarm, actionsPerRunMax: worldsPerRun } }, false);
      for (const [index, world] of seen.entries()) {
        if (index % 10 === 0) for (const action of model.actions(world)) keyed(model.apply(world, action));
      }
    }
  }
  return out;
}

describe('pgoFingerprint hash', () => {
  it('splits worlds exactly as the canonical text does, whether made from a previous tree or whole', () => {
    // Proves: the hash of the canonical value (pieces kept per object, holes filled per world) equates the worlds whose texts are equal and no others.
    const all = keyedWorlds();
    const hashByText = new Map<string, string>();
    const textByHash = new Map<string, string>();
    for (const [index, { world, key }] of all.entries()) {
      const text = pgoFingerprintText(world);
      // Every 16th world is also compiled whole (no previous tree): the same key.
      if (index % 16 === 0) expect(pgoFingerprint(world)).toBe(key);
      expect(hashByText.get(text) ?? key).toBe(key);
      expect(textByHash.get(key) ?? text).toBe(text);
      hashByText.set(text, key);
      textByHash.set(key, text);
    }
    expect(all.length).toBeGreaterThan(10_000);
    // Neither split is trivial: many worlds have keys of their own and many share one with another.
    expect(hashByText.size).toBeGreaterThan(2_000);
    expect(all.length - hashByText.size).toBeGreaterThan(1_000);
  });

  it('gives a world made by a noted step the key it has when compiled whole', () => {
    // Proves: a stale or unrelated previous tree (a step noted from another world) only costs work, never changes the key.
    const variant = pgoReplicaDeleted.variants[0] as (typeof pgoReplicaDeleted.variants)[number];
    const model = variant.model as PgoModel;
    const start = model.init(model.options.parse(pgoReplicaDeleted.explore?.configurations[0]));
    pgoFingerprint(start);
    let world = start;
    for (let step = 0; step < 60; step++) {
      const actions = model.actions(world);
      const next = model.apply(world, actions[step % actions.length] as PgoAction);
      const key = pgoFingerprint(next);
      noteStep(start, next);
      expect(pgoFingerprint(next)).toBe(key);
      world = next;
    }
  });
});
