// Proves: every PGO scenario model's `systemActions` / `environmentActions` are exactly the
// non-environment and the environment entries of its `actions`, each in `actions`' order, on every
// world that swarm runs of every PGO variant reach; and that its swarm traces are byte-identical
// with and without the split.
import { describe, expect, it } from 'vitest';
import { isEnvironmentAction, type Model, type SimAction } from '../../sim/model.ts';
import { Prng } from '../../sim/prng.ts';
import { runModel, type ChooseContext, type RunPolicy } from '../../sim/run.ts';
import { swarmOptionsFor, swarmPolicy, traceSwarm } from '../../sim/swarm.ts';
import { serializeTrace } from '../../sim/trace.ts';
import type { Scenario, ScenarioVariant } from '../../sim/scenario.ts';
import { scenarios } from '../registry.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

const pgoVariants: readonly { scenario: Scenario; variant: ScenarioVariant }[] = scenarios
  .filter((scenario) => scenario.name.startsWith('pgo-'))
  .flatMap((scenario) => scenario.variants.map((variant) => ({ scenario, variant })));

function plain(model: AnyModel): AnyModel {
  const { systemActions: _system, environmentActions: _environment, ...rest } = model;
  return rest;
}

interface Checked {
  steps: number;
  environment: number;
  users: number;
}

/** The swarm's policy, checking the split against the full list on every step it is asked to choose. */
function checkingPolicy(inner: RunPolicy<unknown, SimAction>, model: AnyModel, checked: Checked): RunPolicy<unknown, SimAction> {
  return {
    choose(context: ChooseContext<unknown, SimAction>) {
      // The split first: the full list must not be what makes the parts right (shared caches).
      const system = model.systemActions?.(context.world) ?? [];
      const environment = model.environmentActions?.(context.world) ?? [];
      const all = model.actions(context.world);
      expect(system.map((action) => action.label)).toEqual(all.filter((action) => !isEnvironmentAction(action)).map((action) => action.label));
      expect(system).toEqual(all.filter((action) => !isEnvironmentAction(action)));
      expect(environment).toEqual(all.filter(isEnvironmentAction));
      expect(context.systemActions).toEqual(system);
      checked.steps++;
      checked.environment += environment.length;
      checked.users += environment.filter((action) => action.kind === 'user').length;
      return inner.choose(context);
    },
  };
}

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
      const model = variant.model as AnyModel;
      const checked: Checked = { steps: 0, environment: 0, users: 0 };
      for (let seed = 1; seed <= 4; seed++) {
        const policy = checkingPolicy(swarmPolicy(Prng.fromSeed(seed).fork('swarm')), model, checked);
        runModel({ model, options: swarmOptionsFor(model, seed), swarm: scenario.swarm, policy, record: false });
      }
      expect(checked.steps).toBeGreaterThan(0);
      // Non-vacuous: these worlds offered faults and user requests.
      expect(checked.environment).toBeGreaterThan(checked.users);
      expect(checked.users).toBeGreaterThan(0);
    }
  });

  it('gives byte-identical swarm traces with and without the split', () => {
    for (const { scenario, variant } of pgoVariants) {
      const model = variant.model as AnyModel;
      for (let seed = 1; seed <= 6; seed++) {
        const spec = { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed, swarm: scenario.swarm };
        expect(serializeTrace(traceSwarm(model, spec))).toBe(serializeTrace(traceSwarm(plain(model), spec)));
      }
    }
  });
});
