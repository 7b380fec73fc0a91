// Proves: a model that lists its system and environment moves apart (`systemActions` /
// `environmentActions`) runs exactly like the same model with only `actions`: the swarm, the
// scripted driver and a swarm run written down as a script make the same choices, so traces are
// byte-identical. Also that the swarm lists the environment's moves only on some steps, and that
// the comparison would catch a split whose order differs from `actions`.
import { describe, expect, it } from 'vitest';
import { splitByKind, type Model, type SimAction } from './model.ts';
import type { ScenarioVariant } from './scenario.ts';
import { traceScript } from './scripted.ts';
import { scriptFromSwarmRun } from './scripted/from-swarm.ts';
import { traceSwarm } from './swarm.ts';
import { serializeTrace } from './trace.ts';
import { toyScenario } from './testing/toy-scenario.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

/** `model` without the split: only `actions`. */
function plain(model: AnyModel): AnyModel {
  const { systemActions: _system, environmentActions: _environment, ...rest } = model;
  return rest;
}

/** `model` with a split computed from its own `actions`; `reorder` may scramble the environment part. */
function split(model: AnyModel, calls = { environment: 0 }, reorder: (list: readonly SimAction[]) => readonly SimAction[] = (list) => list): AnyModel {
  return {
    ...plain(model),
    systemActions: (world) => splitByKind(model.actions(world)).system,
    environmentActions: (world) => {
      calls.environment++;
      return reorder(splitByKind(model.actions(world)).environment);
    },
  };
}

function swarmTrace(model: AnyModel, variant: ScenarioVariant, seed: number): string {
  return serializeTrace(traceSwarm(model, { scenario: toyScenario.name, variant: variant.name, profile: variant.profile, seed, swarm: toyScenario.swarm }));
}

describe('system / environment action split', () => {
  it('gives byte-identical swarm traces with and without the split, on every toy variant and 150 seeds', () => {
    for (const variant of toyScenario.variants) {
      const model = variant.model as AnyModel;
      for (let seed = 1; seed <= 150; seed++) {
        expect(swarmTrace(split(model), variant, seed)).toBe(swarmTrace(plain(model), variant, seed));
      }
    }
  });

  it('writes a swarm run down as the same script and replays it to the same trace with and without the split', () => {
    for (const variant of toyScenario.variants) {
      const model = variant.model as AnyModel;
      for (let seed = 1; seed <= 40; seed++) {
        const withSplit = scriptFromSwarmRun(split(model), toyScenario.swarm, seed);
        const without = scriptFromSwarmRun(plain(model), toyScenario.swarm, seed);
        expect(withSplit.script).toEqual(without.script);
        expect(withSplit.report.outcome).toEqual(without.report.outcome);
        const spec = { scenario: toyScenario.name, variant: variant.name, profile: variant.profile, swarm: toyScenario.swarm, script: without.script };
        expect(serializeTrace(traceScript(split(model), spec))).toBe(serializeTrace(traceScript(plain(model), spec)));
      }
    }
  });

  it('asks for the environment moves on fewer steps than it takes', () => {
    const variant = toyScenario.variants[0] as ScenarioVariant;
    const calls = { environment: 0 };
    let steps = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const trace = traceSwarm(split(variant.model as AnyModel, calls), { scenario: toyScenario.name, variant: variant.name, profile: variant.profile, seed, swarm: toyScenario.swarm });
      steps += trace.outcome.actions;
    }
    expect(steps).toBeGreaterThan(0);
    expect(calls.environment).toBeLessThan(steps);
  });

  it('would notice a split whose environment order differs from actions', () => {
    // The comparison above can fail: reversing the environment moves changes some trace.
    let differs = false;
    for (const variant of toyScenario.variants) {
      const model = variant.model as AnyModel;
      for (let seed = 1; seed <= 40 && !differs; seed++) {
        differs = swarmTrace(split(model, { environment: 0 }, (list) => [...list].reverse()), variant, seed) !== swarmTrace(plain(model), variant, seed);
      }
    }
    expect(differs).toBe(true);
  });
});
