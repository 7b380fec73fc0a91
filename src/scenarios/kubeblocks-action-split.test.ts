// Proves: every KubeBlocks scenario model's `systemActions` / `environmentActions` are exactly the
// non-environment and the environment entries of its `actions`, each in `actions`' order, on every
// world that swarm runs reach; and that its swarm traces are byte-identical with and without the split.
import { describe, expect, it } from 'vitest';
import { isEnvironmentAction, type Model, type SimAction } from '../sim/model.ts';
import { Prng } from '../sim/prng.ts';
import { runModel, type ChooseContext, type RunPolicy } from '../sim/run.ts';
import { swarmOptionsFor, swarmPolicy, traceSwarm } from '../sim/swarm.ts';
import { serializeTrace } from '../sim/trace.ts';
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { scenarios } from './registry.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

const splitScenarios: readonly { scenario: Scenario; variant: ScenarioVariant }[] = scenarios.flatMap((scenario) =>
  scenario.variants.filter((variant) => variant.model.systemActions !== undefined).map((variant) => ({ scenario, variant })),
);

function plain(model: AnyModel): AnyModel {
  const { systemActions: _system, environmentActions: _environment, ...rest } = model;
  return rest;
}

/** The swarm's policy, checking the split against the full list on every step it is asked to choose. */
function checkingPolicy(inner: RunPolicy<unknown, SimAction>, model: AnyModel, checked: { steps: number; environment: number }): RunPolicy<unknown, SimAction> {
  return {
    choose(context: ChooseContext<unknown, SimAction>) {
      const all = model.actions(context.world);
      const system = model.systemActions?.(context.world) ?? [];
      const environment = model.environmentActions?.(context.world) ?? [];
      expect(system.map((action) => action.label)).toEqual(all.filter((action) => !isEnvironmentAction(action)).map((action) => action.label));
      expect(system).toEqual(all.filter((action) => !isEnvironmentAction(action)));
      expect(environment).toEqual(all.filter(isEnvironmentAction));
      checked.steps++;
      checked.environment += environment.length;
      return inner.choose(context);
    },
  };
}

describe('KubeBlocks scenario models list their system and environment moves apart', () => {
  it('covers the KubeBlocks scenarios', () => {
    const names = new Set(splitScenarios.map((entry) => entry.scenario.name));
    for (const name of ['pg-image-mismatch', 'pg-image-tag-alias', 'pg-role-event-reorder', 'kafka-offline-online', 'kafka-offline-gap', 'restore-anti-affinity', 'restore-instance-template-anti-affinity']) {
      expect(names.has(name)).toBe(true);
    }
  });

  it('splits actions into its system and environment entries, in order, on every world swarm runs reach', () => {
    for (const { scenario, variant } of splitScenarios) {
      const model = variant.model as AnyModel;
      const checked = { steps: 0, environment: 0 };
      for (let seed = 1; seed <= 4; seed++) {
        const policy = checkingPolicy(swarmPolicy(Prng.fromSeed(seed).fork('swarm')), model, checked);
        runModel({ model, options: swarmOptionsFor(model, seed), swarm: scenario.swarm, policy, record: false });
      }
      expect(checked.steps).toBeGreaterThan(0);
      // Non-vacuous: these worlds offered environment moves.
      expect(checked.environment).toBeGreaterThan(0);
    }
  });

  it('gives byte-identical swarm traces with and without the split', () => {
    for (const { scenario, variant } of splitScenarios) {
      const model = variant.model as AnyModel;
      for (let seed = 1; seed <= 6; seed++) {
        const spec = { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed, swarm: scenario.swarm };
        expect(serializeTrace(traceSwarm(model, spec))).toBe(serializeTrace(traceSwarm(plain(model), spec)));
      }
    }
  });
});
