// Proves: every KubeBlocks scenario model's `systemActions` / `environmentActions` are exactly the
// non-environment and the environment entries of its `actions`, each in `actions`' order, on every
// world that swarm runs reach; and that its swarm traces are byte-identical with and without the split.
import { describe, expect, it } from 'vitest';
import type { Model, SimAction } from '../sim/model.ts';
import { checkActionSplit, seedsTracingDifferentlyUnsplit } from '../sim/testing/action-split.ts';
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { scenarios } from './registry.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

const kubeblocksScenarios = ['pg-image-mismatch', 'pg-image-tag-alias', 'pg-role-event-reorder', 'kafka-offline-online', 'kafka-offline-gap', 'restore-anti-affinity', 'restore-instance-template-anti-affinity'];

const splitScenarios: readonly { scenario: Scenario; variant: ScenarioVariant }[] = scenarios
  .filter((scenario) => kubeblocksScenarios.includes(scenario.name))
  .flatMap((scenario) => scenario.variants.map((variant) => ({ scenario, variant })));

describe('KubeBlocks scenario models list their system and environment moves apart', () => {
  it('covers the KubeBlocks scenarios, every variant with the split', () => {
    expect(new Set(splitScenarios.map((entry) => entry.scenario.name))).toEqual(new Set(kubeblocksScenarios));
    for (const { variant } of splitScenarios) expect(variant.model.systemActions).toBeTypeOf('function');
  });

  it('splits actions into its system and environment entries, in order, on every world swarm runs reach', () => {
    for (const { scenario, variant } of splitScenarios) {
      const counts = checkActionSplit(variant.model as AnyModel, scenario.swarm, 4);
      expect(counts.steps).toBeGreaterThan(0);
      // Non-vacuous: these worlds offered environment moves.
      expect(counts.environment).toBeGreaterThan(0);
    }
  });

  it('gives byte-identical swarm traces with and without the split', () => {
    for (const { scenario, variant } of splitScenarios) {
      const run = { scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm: scenario.swarm };
      expect(seedsTracingDifferentlyUnsplit(variant.model as AnyModel, run, 6)).toEqual([]);
    }
  });
});
