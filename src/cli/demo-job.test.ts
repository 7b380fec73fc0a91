import { describe, expect, it } from 'vitest';
import { toyScenario } from '../sim/testing/toy-scenario.ts';
import { scriptLength } from '../sim/scripted.ts';
import { scriptFromSwarmRun } from '../sim/scripted/from-swarm.ts';
import { runDemoJob } from './demo-job.ts';

function variant(name: string) {
  const found = toyScenario.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`toy-lock has no variant ${name}`);
  return found;
}

describe('demo row with --shrink', () => {
  it('reports the shrunk script and the actions of its run for a failing variant, nothing for a clean one', () => {
    // Proves: the demo's shrunk column is the row's own swarm find shrunk (no longer than that run's script, steps ≤ actions), and clean rows do not shrink.
    const failing = runDemoJob(toyScenario, variant('deadlock'), { scenario: 'toy-lock', variant: 'deadlock', runs: 50, seed: 1, shrink: true });
    expect(failing.result.found).toBe(true);
    expect(failing.shrunk).not.toBeNull();
    expect(failing.shrunk!.scriptSteps).toBeGreaterThan(0);
    expect(failing.shrunk!.actions).toBeGreaterThanOrEqual(failing.shrunk!.scriptSteps);
    const found = scriptFromSwarmRun(variant('deadlock').model, toyScenario.swarm, failing.result.failingSeed as number);
    expect(failing.shrunk!.scriptSteps).toBeLessThanOrEqual(scriptLength(found.script));
    const clean = runDemoJob(toyScenario, variant('correct'), { scenario: 'toy-lock', variant: 'correct', runs: 5, seed: 1, shrink: true });
    expect(clean.shrunk).toBeNull();
  });
});
