// Proves: every Longhorn scenario model's `systemActions` / `environmentActions` are exactly the
// non-environment and the environment entries of its `actions`, each in `actions`' order, on every
// world that swarm runs reach (and a model without the rolling upgrade, whose `actions` drops the
// upgrade steps); and that its swarm traces are byte-identical with and without the split.
import { describe, expect, it } from 'vitest';
import { createLonghornUpgradeModel } from '../machines/longhorn/model.ts';
import { isEnvironmentAction, type Model, type SimAction } from '../sim/model.ts';
import { Prng } from '../sim/prng.ts';
import { runModel, type ChooseContext, type RunPolicy } from '../sim/run.ts';
import type { SwarmOptions } from '../sim/scenario.ts';
import { swarmOptionsFor, swarmPolicy, traceSwarm } from '../sim/swarm.ts';
import { serializeTrace } from '../sim/trace.ts';
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

function plain(model: AnyModel): AnyModel {
  const { systemActions: _system, environmentActions: _environment, ...rest } = model;
  return rest;
}

interface Checked {
  steps: number;
  environment: number;
  upgrade: number;
}

/** The swarm's policy, checking the split against the full list on every step it is asked to choose. */
function checkingPolicy(inner: RunPolicy<unknown, SimAction>, model: AnyModel, checked: Checked): RunPolicy<unknown, SimAction> {
  return {
    choose(context: ChooseContext<unknown, SimAction>) {
      const all = model.actions(context.world);
      const system = model.systemActions?.(context.world) ?? [];
      const environment = model.environmentActions?.(context.world) ?? [];
      expect(system).toEqual(all.filter((action) => !isEnvironmentAction(action)));
      expect(environment).toEqual(all.filter(isEnvironmentAction));
      // Same objects too (the actions are made once per label), so a trace cannot tell them apart.
      expect([...system, ...environment].every((action) => all.includes(action))).toBe(true);
      checked.steps++;
      checked.environment += environment.length;
      checked.upgrade += environment.filter((action) => action.label.startsWith('user upgrade.')).length;
      return inner.choose(context);
    },
  };
}

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
      const checked: Checked = { steps: 0, environment: 0, upgrade: 0 };
      for (let seed = 1; seed <= 4; seed++) {
        const policy = checkingPolicy(swarmPolicy(Prng.fromSeed(seed).fork('swarm')), entry.model, checked);
        runModel({ model: entry.model, options: swarmOptionsFor(entry.model, seed), swarm: entry.swarm, policy, record: false });
      }
      expect(checked.steps).toBeGreaterThan(0);
      // Non-vacuous: these worlds offered environment moves, and upgrade steps where the upgrade runs.
      expect(checked.environment).toBeGreaterThan(0);
      if (entry === withoutUpgrade) expect(checked.upgrade).toBe(0);
      else expect(checked.upgrade).toBeGreaterThan(0);
    }
  });

  it('gives byte-identical swarm traces with and without the split', () => {
    for (const entry of cases) {
      for (let seed = 1; seed <= 6; seed++) {
        const spec = { scenario: entry.name, variant: entry.variant, profile: entry.profile, seed, swarm: entry.swarm };
        expect(serializeTrace(traceSwarm(entry.model, spec))).toBe(serializeTrace(traceSwarm(plain(entry.model), spec)));
      }
    }
  });
});
