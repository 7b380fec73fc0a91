// Proves: every PGO scenario model's `systemActions` / `environmentActions` are exactly the
// non-environment and the environment entries of its `actions`, each in `actions`' order, on every
// world that swarm runs of every PGO variant reach; and that its swarm traces are byte-identical
// with and without the split.
import { describe, expect, it } from 'vitest';
import type { Model, SimAction } from '../../sim/model.ts';
import { checkActionSplit, seedsTracingDifferentlyUnsplit } from '../../sim/testing/action-split.ts';
import type { Scenario, ScenarioVariant } from '../../sim/scenario.ts';
import { scenarios } from '../registry.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

const pgoVariants: readonly { scenario: Scenario; variant: ScenarioVariant }[] = scenarios
  .filter((scenario) => scenario.name.startsWith('pgo-'))
  .flatMap((scenario) => scenario.variants.map((variant) => ({ scenario, variant })));

describe('PGO scenario models list their system and environment moves apart', () => {
  it('covers every variant of both PGO scenarios, each with the split', () => {
    const names = new Set(pgoVariants.map((entry) => entry.scenario.name));
    expect(names).toEqual(new Set(['pgo-replica-deleted', 'pgo-switchover-target-leader']));
    expect(pgoVariants.length).toBeGreaterThanOrEqual(7);
    for (const { variant } of pgoVariants) {
      expect(variant.model.systemActions).toBeTypeOf('function');
      expect(variant.model.environmentActions).toBeTypeOf('function');
    }
  });

  it('splits actions into its system and environment entries, in order, on every world swarm runs reach', () => {
    for (const { scenario, variant } of pgoVariants) {
      const counts = checkActionSplit(variant.model as AnyModel, scenario.swarm, 4, 'user ');
      expect(counts.steps).toBeGreaterThan(0);
      // Non-vacuous: these worlds offered faults and user requests.
      expect(counts.environment).toBeGreaterThan(counts.matching);
      expect(counts.matching).toBeGreaterThan(0);
    }
  });

  it('gives byte-identical swarm traces with and without the split', () => {
    for (const { scenario, variant } of pgoVariants) {
      const run = { scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm: scenario.swarm };
      expect(seedsTracingDifferentlyUnsplit(variant.model as AnyModel, run, 6)).toEqual([]);
    }
  });
});
