/**
 * Test support: the KubeBlocks worlds real swarm runs pass through, for the tests that prove a
 * speed cache equal to its plain computation on worlds the hunt really reaches (hot-path.test.ts,
 * instanceset-status-memo.test.ts). Not used by the library itself.
 */
import { scenarioByName } from '../../scenarios/registry.ts';
import type { Model, SimAction } from '../../sim/model.ts';
import { runSwarm } from '../../sim/swarm.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';

/**
 * Every world the swarm runs of `seedsOf(name)` of every variant of the named scenarios pass
 * through, in run order, then those of one 30-pod pg-image-mismatch `fixed` run.
 */
export function kubeblocksWorldsOfRuns(scenarioNames: readonly string[], seedsOf: (scenarioName: string) => readonly number[]): KubeBlocksWorld[] {
  const worlds: KubeBlocksWorld[] = [];
  // Without the system/environment split, so that the run loop asks `actions` (the same list) on every step.
  const record = (model: Model<unknown, SimAction, unknown>): Model<unknown, SimAction, unknown> => {
    const { systemActions: _system, environmentActions: _environment, ...plain } = model;
    return { ...plain, actions: (world: unknown) => (worlds.push(world as KubeBlocksWorld), model.actions(world)) };
  };
  for (const name of scenarioNames) {
    const scenario = scenarioByName(name);
    if (scenario === undefined) throw new Error(`no scenario ${name}`);
    for (const variant of scenario.variants) {
      const model = variant.model as Model<unknown, SimAction, unknown>;
      for (const seed of seedsOf(name)) runSwarm(record(model), { scenario: name, variant: variant.name, profile: variant.profile, seed, swarm: scenario.swarm }, false);
    }
  }
  const large = scenarioByName('pg-image-mismatch');
  const fixed = large?.variants.find((variant) => variant.name === 'fixed');
  if (large === undefined || fixed === undefined) throw new Error('no pg-image-mismatch fixed');
  const model = fixed.model as Model<unknown, SimAction, unknown>;
  const options = model.options.parse({ ...(model.options.defaults as object), nodeCount: 30, replicas: 30 });
  runSwarm(record(model), { scenario: large.name, variant: fixed.name, profile: fixed.profile, seed: 1, swarm: { ...large.swarm, convergenceTicksMax: 1_200 }, options }, false);
  return worlds;
}
