import { describe, expect, it } from 'vitest';
import { longhornSystemActions } from './actions.ts';
import { canonicalFingerprint } from '../../sim/explore.ts';
import { ratio } from '../../sim/prng.ts';
import { runSwarm } from '../../sim/swarm.ts';
import { hashHex, type Hash64 } from '../../sim/explore/hash.ts';
import { errorCountSaturated, longhornAbstractWorld, longhornFingerprint, longhornFingerprintText, longhornHashInto, type LonghornHashMemo } from './fingerprint.ts';
import { createLonghornUpgradeModel } from './model.ts';
import { autoSalvageTimeLimitTicks } from './settings.ts';
import type { LonghornWorld, Replica } from './world.ts';

const model = createLonghornUpgradeModel({ name: 'fingerprint test', profile: 'longhorn@1.7.2', naming: 'same-name', drawSettings: (_prng, base) => base });
const now = 5_000;
/** One volume (staleReplicaTimeout 1800) at tick 5000, its three replicas healthy since tick 0. */
const base: LonghornWorld = (() => {
  const world = model.init(model.options.parse({ volumeCount: 1 }));
  return { ...world, clock: { ...world.clock, now } };
})();

function withReplica(world: LonghornWorld, index: number, change: Partial<Replica>): LonghornWorld {
  return { ...world, replicas: world.replicas.map((replica, at) => (at === index ? { ...replica, ...change } : replica)) };
}

function withError(world: LonghornWorld, count: number, lastTick: number): LonghornWorld {
  return { ...world, errors: [{ controller: 'longhorn-replica-controller', key: 'Replica/vol-1-r-01', message: 'cannot find disk name for replica vol-1-r-01', count, lastTick }] };
}

/** Replicas 0 and 1 failed at the given ticks. */
function failed(world: LonghornWorld, first: number, second: number): LonghornWorld {
  return withReplica(withReplica(world, 0, { failedAt: first, lastFailedAt: first, desireState: 'stopped' }), 1, { failedAt: second, lastFailedAt: second, desireState: 'stopped' });
}

/** The keys of every successor, in action order: equal lists mean the same labels and successors of equal keys. */
function successorKeys(world: LonghornWorld): string[] {
  return model.actions(world).map((action) => `${action.label} → ${longhornFingerprint(model.apply(world, action))}`);
}

describe('longhorn fingerprint', () => {
  it('equates worlds that differ only in stamps and counts no transition reads', () => {
    // Proves: absolute stamps, saturated error counts, error ticks and the loss text do not split states, and such worlds step alike.
    const pairs: readonly [string, LonghornWorld, LonghornWorld][] = [
      ['healthyAt / lastHealthyAt in the past', withReplica(base, 0, { healthyAt: 10, lastHealthyAt: 4_000 }), withReplica(base, 0, { healthyAt: 20, lastHealthyAt: 4_900 })],
      ['error count past the backoff cap, lastTick', withError(base, errorCountSaturated + 1, 4_000), withError(base, errorCountSaturated + 7, 4_990)],
      ['failed long ago, same gap', failed(base, 1_000, 1_030), failed(base, 2_000, 2_030)],
      ['failed long ago, gaps past every threshold', failed(base, 10, 2_000), failed(base, 100, 2_500)],
      ['degraded long ago', { ...base, volumes: base.volumes.map((volume) => ({ ...volume, lastDegradedAt: 10 })) }, { ...base, volumes: base.volumes.map((volume) => ({ ...volume, lastDegradedAt: 4_000 })) }],
      ['published long ago', { ...base, volumes: base.volumes.map((volume) => ({ ...volume, publishedAt: 10 })) }, { ...base, volumes: base.volumes.map((volume) => ({ ...volume, publishedAt: 4_000 })) }],
      ['the loss text', { ...base, seen: { ...base.seen, lastReplicaLost: 'tick 10: replica a deleted' } }, { ...base, seen: { ...base.seen, lastReplicaLost: 'tick 20: replica b deleted' } }],
    ];
    for (const [what, left, right] of pairs) {
      expect(canonicalFingerprint(left, now), `${what}: the default key splits them`).not.toBe(canonicalFingerprint(right, now));
      expect(longhornFingerprint(left), what).toBe(longhornFingerprint(right));
      expect(successorKeys(left), what).toEqual(successorKeys(right));
    }
  });

  it('distinguishes worlds that differ in what a guard, a delay or a property reads', () => {
    // Proves: the abstraction keeps the backoff, the stale and salvage windows, the wait intervals, "now" stamps and the rejoin time.
    const wait = base.settings['replica-replenishment-wait-interval'];
    const pairs: readonly [string, LonghornWorld, LonghornWorld][] = [
      ['lastHealthyAt now vs past', withReplica(base, 0, { lastHealthyAt: now }), withReplica(base, 0, { lastHealthyAt: now - 1 })],
      ['healthyAt set vs not', base, withReplica(base, 0, { healthyAt: null })],
      ['error count below the cap', withError(base, errorCountSaturated - 2, now), withError(base, errorCountSaturated - 1, now)],
      ['failed age inside staleReplicaTimeout', failed(base, now - 100, now - 100), failed(base, now - 200, now - 200)],
      ['failure gap inside AutoSalvageTimeLimit', failed(base, now - 10, now - 10 - autoSalvageTimeLimitTicks), failed(base, now - 10, now - 11 - autoSalvageTimeLimitTicks)],
      ['which replica failed first', failed(base, now - 10, now - 20), failed(base, now - 20, now - 10)],
      ['degraded within the wait interval', { ...base, volumes: base.volumes.map((volume) => ({ ...volume, lastDegradedAt: now - 1 })) }, { ...base, volumes: base.volumes.map((volume) => ({ ...volume, lastDegradedAt: now - wait })) }],
      ['published within the attach wait', { ...base, volumes: base.volumes.map((volume) => ({ ...volume, publishedAt: now - 5 })) }, { ...base, volumes: base.volumes.map((volume) => ({ ...volume, publishedAt: now - 6 })) }],
      ['a replica lost or not', base, { ...base, seen: { ...base.seen, lastReplicaLost: 'tick 10: replica a deleted' } }],
      [
        'ticks left before the replaced machine may rejoin',
        { ...base, upgrade: { done: [], current: 'node-1', step: 'replaced', rejoinAtTick: now + 5 } },
        { ...base, upgrade: { done: [], current: 'node-1', step: 'replaced', rejoinAtTick: now + 6 } },
      ],
    ];
    for (const [what, left, right] of pairs) expect(longhornFingerprint(left), what).not.toBe(longhornFingerprint(right));
  });

  it('does not depend on absolute time', () => {
    // Proves: the same world shifted in time (every stamp and timer with it) has the same key, so loops close.
    const shift = (world: LonghornWorld, by: number): LonghornWorld => {
      const moved = failed(world, now - 30 + by, now - 300 + by);
      return { ...withError(moved, 2, now + by), clock: { ...moved.clock, now: now + by }, replicas: moved.replicas.map((replica) => ({ ...replica, lastHealthyAt: replica.lastHealthyAt === null ? null : now + by })) };
    };
    expect(longhornFingerprint(shift(base, 0))).toBe(longhornFingerprint(shift(base, 700)));
  });
});

describe('longhorn fingerprint hash', () => {
  it('splits worlds exactly as the canonical text of the abstract world does', () => {
    // Proves: the per-field hash kept per object equates the worlds whose abstract texts are equal and no others, over worlds of runs and their successors.
    const upgrade = createLonghornUpgradeModel({ name: 'fingerprint hash test', profile: 'longhorn@1.7.2', naming: 'same-name', drawSettings: (_prng, settings) => settings });
    const worlds: LonghornWorld[] = [];
    // The run asks a split model for its system moves once per step.
    const spy = { ...upgrade, systemActions: (world: LonghornWorld) => (worlds.push(world), longhornSystemActions(world)) };
    const swarm = { faultPhaseTicks: 3_600, convergenceTicksMax: 4_000, actionsPerRunMax: 40_000, faultChance: ratio(1, 40), requestChance: ratio(1, 10), faultsMax: 3, requestsMax: 30 };
    for (const seed of [1, 2, 3]) runSwarm(spy, { scenario: 'fingerprint', variant: 'test', profile: 'longhorn@1.7.2', seed, swarm }, false);
    const successors = worlds.filter((_world, index) => index % 10 === 0).flatMap((world) => upgrade.actions(world).map((action) => upgrade.apply(world, action)));
    const all = [...worlds, ...successors];
    const hashByText = new Map<string, string>();
    const textByHash = new Map<string, string>();
    for (const world of all) {
      const text = longhornFingerprintText(world);
      const hash = longhornFingerprint(world);
      expect(hashByText.get(text) ?? hash).toBe(hash);
      expect(textByHash.get(hash) ?? text).toBe(text);
      hashByText.set(text, hash);
      textByHash.set(hash, text);
    }
    expect(all.length).toBeGreaterThan(3_000);
    // Neither split is trivial: many worlds have keys of their own and over a hundred share one with another.
    expect(hashByText.size).toBeGreaterThan(1_000);
    expect(all.length - hashByText.size).toBeGreaterThan(100);
  });

  it('gives the same hash with the memo of the world a step came from as without one', () => {
    // Proves: the explorer's hasher (reusing the parent's abstract copies and hash tree) equals the plain key, over consecutive run worlds and every successor of every fifth.
    const upgrade = createLonghornUpgradeModel({ name: 'fingerprint memo test', profile: 'longhorn@1.7.2', naming: 'new-name', drawSettings: (_prng, settings) => settings });
    const worlds: LonghornWorld[] = [];
    // The run asks a split model for its system moves once per step.
    const spy = { ...upgrade, systemActions: (world: LonghornWorld) => (worlds.push(world), longhornSystemActions(world)) };
    const swarm = { faultPhaseTicks: 3_600, convergenceTicksMax: 4_000, actionsPerRunMax: 40_000, faultChance: ratio(1, 30), requestChance: ratio(1, 8), faultsMax: 3, requestsMax: 30 };
    for (const seed of [4, 5, 6]) runSwarm(spy, { scenario: 'fingerprint', variant: 'test', profile: 'longhorn@1.7.2', seed, swarm }, false);
    const out: Hash64 = { hi: 0, lo: 0 };
    const plain = (world: LonghornWorld): string => (longhornHashInto(world, out, null), hashHex(out));
    let memo: LonghornHashMemo | null = null;
    let checked = 0;
    let differentFromParent = 0;
    for (const [index, world] of worlds.entries()) {
      const parent: LonghornHashMemo | null = memo;
      memo = longhornHashInto(world, out, parent);
      expect(hashHex(out)).toBe(plain(world));
      if (parent !== null && hashHex(out) !== longhornFingerprint(parent.world)) differentFromParent++;
      checked++;
      if (index % 5 !== 0) continue;
      for (const action of upgrade.actions(world)) {
        const next = upgrade.apply(world, action);
        longhornHashInto(next, out, memo);
        expect(hashHex(out), action.label).toBe(plain(next));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3_000);
    // The key reads every field of the world by name: a field it left out would be missing from the text as well.
    for (const world of [worlds[0], worlds.at(-1)] as LonghornWorld[]) expect(Object.keys(longhornAbstractWorld(world) as object).sort()).toEqual(Object.keys(world).sort());
    expect(differentFromParent).toBeGreaterThan(1_000);
  });
});
