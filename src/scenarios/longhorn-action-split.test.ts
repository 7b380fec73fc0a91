// Proves: every Longhorn scenario model's `systemActions` / `environmentActions` are exactly the
// non-environment and the environment entries of its `actions`, each in `actions`' order, on every
// world that swarm runs reach (and a model without the rolling upgrade, whose `actions` drops the
// upgrade steps); and that its swarm traces are byte-identical with and without the split.
import { describe, expect, it } from 'vitest';
import { createLonghornUpgradeModel } from '../machines/longhorn/model.ts';
import type { Model, SimAction } from '../sim/model.ts';
import type { SwarmOptions } from '../sim/scenario.ts';
import { checkActionSplit, seedsTracingDifferentlyUnsplit } from '../sim/testing/action-split.ts';
import { drawUpgradeSettings, fixedProfile, longhornUpgradeSwarm } from './longhorn-node-upgrade/index.ts';
import { scenarios } from './registry.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

interface Case {
  readonly name: string;
  readonly variant: string;
  readonly profile: string;
  readonly model: AnyModel;
  readonly swarm: SwarmOptions;
}

const scenarioCases: readonly Case[] = scenarios
  .filter((scenario) => scenario.name.startsWith('longhorn-'))
  .flatMap((scenario) => scenario.variants.map((variant) => ({ name: scenario.name, variant: variant.name, profile: variant.profile, model: variant.model as AnyModel, swarm: scenario.swarm })));

// No scenario turns the rolling upgrade off today; the split must still drop its steps like `actions` does.
const withoutUpgrade: Case = {
  name: 'longhorn-without-upgrade',
  variant: 'fixed',
  profile: fixedProfile,
  model: createLonghornUpgradeModel({ name: 'longhorn-without-upgrade', profile: fixedProfile, naming: 'same-name', drawSettings: drawUpgradeSettings, rollingUpgrade: false }) as AnyModel,
  swarm: longhornUpgradeSwarm,
};

const cases: readonly Case[] = [...scenarioCases, withoutUpgrade];

describe('Longhorn models list their system and environment moves apart', () => {
  it('covers every Longhorn scenario variant', () => {
    const names = new Set(scenarioCases.map((entry) => entry.name));
    for (const name of ['longhorn-node-upgrade', 'longhorn-node-upgrade-new-names', 'longhorn-node-upgrade-data-loss', 'longhorn-error-replica-never-failed', 'longhorn-rebuild-slot-deadlock']) {
      expect(names.has(name)).toBe(true);
    }
    for (const entry of cases) expect(entry.model.systemActions).toBeDefined();
  });

  it('splits actions into its system and environment entries, in order, on every world swarm runs reach', () => {
    for (const entry of cases) {
      const counts = checkActionSplit(entry.model, entry.swarm, 4, 'user upgrade.');
      expect(counts.steps).toBeGreaterThan(0);
      // Non-vacuous: these worlds offered environment moves, and upgrade steps where the upgrade runs.
      expect(counts.environment).toBeGreaterThan(0);
      if (entry === withoutUpgrade) expect(counts.matching).toBe(0);
      else expect(counts.matching).toBeGreaterThan(0);
    }
  });

  it('gives byte-identical swarm traces with and without the split', () => {
    for (const entry of cases) {
      const run = { scenario: entry.name, variant: entry.variant, profile: entry.profile, swarm: entry.swarm };
      expect(seedsTracingDifferentlyUnsplit(entry.model, run, 6)).toEqual([]);
    }
  });
});
