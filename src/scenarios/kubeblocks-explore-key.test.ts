// Proves: on the worlds the explorer reaches in the KubeBlocks and restore scenarios, its 64-bit
// state key (the structural hash of the default canonical key, computed against the memo of the
// world each step came from) partitions the worlds exactly as the canonical text does: no two
// distinct texts share a hash, equal texts get equal hashes, and the memo gives the same hash as
// hashing from scratch. A key that leaves a field out is caught (the negative control below).
import { describe, expect, it } from 'vitest';
import { explore, exploreOptionsFor, type ExploreHashing, type WorldHasher } from '../sim/explore.ts';
import { canonicalFingerprint } from '../sim/explore/fingerprint.ts';
import { canonicalHashTree, hashHex, type Hash64, type HashTree } from '../sim/explore/hash.ts';
import type { Model, SimAction } from '../sim/model.ts';
import { scenarios } from './registry.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

interface Keyed {
  readonly world: unknown;
  readonly now: number;
  readonly hash: string;
}

const structural: WorldHasher<unknown> = (world, now, out, previous) => canonicalHashTree(world, now, out, previous as HashTree | null);

/** Every world the explorer keys (a few thousand states of the scenario's own configuration), with the hash `hasher` gave it. */
function keyedWorlds(name: string, variantName: string, hasher: WorldHasher<unknown>): Keyed[] {
  const scenario = scenarios.find((candidate) => candidate.name === name);
  const variant = scenario?.variants.find((candidate) => candidate.name === variantName);
  if (scenario === undefined || variant === undefined) throw new Error(`no ${name}/${variantName}`);
  const keyed: Keyed[] = [];
  const recording: WorldHasher<unknown> = (world, now, out, previous) => {
    const memo = hasher(world, now, out, previous);
    keyed.push({ world, now, hash: hashHex(out) });
    return memo;
  };
  // The model's own fingerprint stays (none): the explorer keys with the recording hasher.
  const model: AnyModel & ExploreHashing<unknown> = { ...(variant.model as AnyModel), exploreHasher: { fingerprint: variant.model.fingerprint as (world: unknown) => string, hasher: recording } };
  explore({ model, scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm: scenario.swarm }, { ...exploreOptionsFor(scenario, variant), statesMax: 2_000 });
  return keyed;
}

/** The first pair of keyed worlds the hash and the canonical text split differently, or null. */
function partitionMismatch(keyed: readonly Keyed[]): string | null {
  const textOf = new Map<string, string>();
  const hashOf = new Map<string, string>();
  for (const { world, now, hash } of keyed) {
    const text = canonicalFingerprint(world, now);
    const known = textOf.get(hash);
    if (known !== undefined && known !== text) return `hash ${hash} stands for two texts`;
    const knownHash = hashOf.get(text);
    if (knownHash !== undefined && knownHash !== hash) return `one text has hashes ${knownHash} and ${hash}`;
    textOf.set(hash, text);
    hashOf.set(text, hash);
  }
  return null;
}

const variants: readonly [string, string][] = [
  ['pg-image-mismatch', 'buggy'],
  ['kafka-offline-online', 'buggy'],
  ['restore-anti-affinity', 'buggy'],
  ['restore-anti-affinity', 'fixed'],
];

describe('the explorer key of KubeBlocks and restore worlds', () => {
  it.each(variants)('%s/%s: splits the reached worlds exactly as the canonical text, memo or not', (name, variant) => {
    const keyed = keyedWorlds(name, variant, structural);
    expect(keyed.length).toBeGreaterThan(2_000);
    expect(partitionMismatch(keyed)).toBeNull();
    const out: Hash64 = { hi: 0, lo: 0 };
    for (const { world, now, hash } of keyed.filter((_, index) => index % 7 === 0)) {
      canonicalHashTree(world, now, out, null);
      expect(hashHex(out)).toBe(hash);
    }
  });

  it('catches a key that leaves a field out (negative control)', () => {
    // The work queue left out of the key: worlds that differ only in it get one hash.
    const withoutQueue: WorldHasher<unknown> = (world, now, out) => canonicalHashTree({ ...(world as Record<string, unknown>), queue: [] }, now, out, null);
    expect(partitionMismatch(keyedWorlds('pg-image-mismatch', 'buggy', withoutQueue))).not.toBeNull();
  });
});
