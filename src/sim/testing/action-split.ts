/**
 * Test support for models that list their moves split by kind (`Model.systemActions` /
 * `environmentActions`): the same model without the split, and a swarm policy that checks the
 * split against the full list on every step it is asked to choose. Used by the action-split tests
 * of each model family; never by the simulator itself.
 */
import { isEnvironmentAction, type Model, type SimAction } from '../model.ts';
import { Prng } from '../prng.ts';
import { runModel, type ChooseContext, type RunPolicy } from '../run.ts';
import type { SwarmOptions } from '../scenario.ts';
import { swarmOptionsFor, swarmPolicy, traceSwarm } from '../swarm.ts';
import { serializeTrace } from '../trace.ts';

type AnyModel = Model<unknown, SimAction, unknown>;

/** The model without `systemActions` / `environmentActions`: the run loop then splits `actions` itself. */
export function unsplitModel(model: AnyModel): AnyModel {
  const { systemActions: _system, environmentActions: _environment, ...rest } = model;
  return rest;
}

/** What the checking policy saw, for a test's non-vacuity checks. */
export interface SplitCheckCounts {
  steps: number;
  /** Environment moves offered, summed over the steps. */
  environment: number;
  /** Environment moves whose label starts with `countPrefix`, summed over the steps. */
  matching: number;
}

/**
 * Runs swarm seeds `1..seeds` of `model`, and on every step asserts that `systemActions` and
 * `environmentActions` are the non-environment and the environment entries of `actions`, each in
 * `actions`' order and as the same objects, and that the run loop handed the policy that system
 * list. The split is asked first, so a cache the full list fills cannot make the parts right.
 */
export function checkActionSplit(model: AnyModel, swarm: SwarmOptions, seeds: number, countPrefix = ''): SplitCheckCounts {
  check(model.systemActions !== undefined && model.environmentActions !== undefined, `${model.name} has no action split`);
  const counts: SplitCheckCounts = { steps: 0, environment: 0, matching: 0 };
  for (let seed = 1; seed <= seeds; seed++) {
    const policy = checkingPolicy(swarmPolicy(Prng.fromSeed(seed).fork('swarm')), model, counts, countPrefix);
    runModel({ model, options: swarmOptionsFor(model, seed), swarm, policy, record: false });
  }
  return counts;
}

function checkingPolicy(inner: RunPolicy<unknown, SimAction>, model: AnyModel, counts: SplitCheckCounts, countPrefix: string): RunPolicy<unknown, SimAction> {
  return {
    choose(context: ChooseContext<unknown, SimAction>) {
      const system = (model.systemActions as (world: unknown) => readonly SimAction[])(context.world);
      const environment = (model.environmentActions as (world: unknown) => readonly SimAction[])(context.world);
      const all = model.actions(context.world);
      const expectedSystem = all.filter((action) => !isEnvironmentAction(action));
      const expectedEnvironment = all.filter(isEnvironmentAction);
      check(sameList(system, expectedSystem), `step ${counts.steps}: systemActions differ from the system entries of actions`);
      check(sameList(environment, expectedEnvironment), `step ${counts.steps}: environmentActions differ from the environment entries of actions`);
      check(sameList(context.systemActions, system), `step ${counts.steps}: the run loop handed another system list`);
      counts.steps++;
      counts.environment += environment.length;
      if (countPrefix !== '') counts.matching += environment.filter((action) => action.label.startsWith(countPrefix)).length;
      return inner.choose(context);
    },
  };
}

// A plain Error, not the simulator's AssertionError, which the run loop turns into an 'error' verdict.
function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

// Same length, same labels in order, same objects (actions are made once per label, so a trace could not tell copies apart anyway).
function sameList(left: readonly SimAction[], right: readonly SimAction[]): boolean {
  return left.length === right.length && left.every((action, index) => action === right[index] || (action.label === right[index]?.label && JSON.stringify(action) === JSON.stringify(right[index])));
}

/** The seeds (1..seeds) whose swarm trace differs between `model` and the same model without the split. */
export function seedsTracingDifferentlyUnsplit(model: AnyModel, run: { readonly scenario: string; readonly variant: string; readonly profile: string; readonly swarm: SwarmOptions }, seeds: number): number[] {
  const differing: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const spec = { ...run, seed };
    if (serializeTrace(traceSwarm(model, spec)) !== serializeTrace(traceSwarm(unsplitModel(model), spec))) differing.push(seed);
  }
  return differing;
}
