import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace } from './replay.ts';
import type { ScenarioVariant } from './scenario.ts';
import { runScript, scriptLength } from './scripted.ts';
import { distinguishingMatch, scriptFromSwarmRun, shrinkArbitraryFor } from './scripted/from-swarm.ts';
import { hunt, runSwarm } from './swarm.ts';
import { huntSwarmShrink, shortestFailingChoices, tailInsteadOfChoices, tailSeedsTried } from './swarm-shrink.ts';
import { serializeTrace } from './trace.ts';
import { toyScenario } from './testing/toy-scenario.ts';

function variant(name: string): ScenarioVariant {
  const found = toyScenario.variants.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no toy variant ${name}`);
  return found;
}

describe('a swarm run written down as a script', () => {
  it('replays to the same verdict and violation as the swarm run, for every seed tried', () => {
    // Proves: the recording policy writes down each environment move and interleaving choice the way the scripted policy reads them.
    for (const name of ['race', 'deadlock', 'correct']) {
      for (let seed = 1; seed <= 40; seed++) {
        const model = variant(name).model;
        const swarmRun = runSwarm(model, { scenario: 'toy-lock', variant: name, profile: name, seed, swarm: toyScenario.swarm }, false);
        const { script, report } = scriptFromSwarmRun(model, toyScenario.swarm, seed);
        expect(report.outcome).toEqual(swarmRun.outcome);
        const replayed = runScript(model, toyScenario.swarm, script, false);
        expect(replayed.outcome.verdict).toBe(swarmRun.outcome.verdict);
        expect(replayed.outcome.violation?.property ?? null).toBe(swarmRun.outcome.violation?.property ?? null);
        expect(replayed.resolved.every((step) => step.taken !== null)).toBe(true);
      }
    }
  });

  it('is a value its shrink arbitrary can shrink without fast-check context', () => {
    // Proves: fast-check can shrink the written-down script (an example it did not generate) because the arbitrary is bounded by it.
    const found = hunt(toyScenario, variant('race'), { runs: 50, seed: 1 });
    const { script } = scriptFromSwarmRun(variant('race').model, toyScenario.swarm, found.failingSeed as number);
    expect(shrinkArbitraryFor(script).canShrinkWithoutContext(script)).toBe(true);
  });
});

describe('hunt --mode swarm-shrink', () => {
  it('finds with the swarm, shrinks the same violation, and leaves a trace that replays byte for byte', () => {
    // Proves: the driver's counterexample is the swarm's violation, no longer than the swarm's script, and replayable.
    const swarmOnly = hunt(toyScenario, variant('race'), { runs: 50, seed: 1 });
    const result = huntSwarmShrink(toyScenario, variant('race'), { runs: 50, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.failingSeed).toBe(swarmOnly.failingSeed);
    expect(result.violation?.property).toBe(swarmOnly.violation?.property);
    const origin = result.fromSwarm!;
    expect(origin.seed).toBe(swarmOnly.failingSeed);
    expect(scriptLength(result.script!)).toBeLessThanOrEqual(origin.scriptLength);
    const text = serializeTrace(result.trace!);
    expect(replayTrace(variant('race'), parseTrace(text)).identical).toBe(true);
  });

  it('reports clean when the swarm finds nothing', () => {
    // Proves: nothing is shrunk or invented on a correct model.
    const result = huntSwarmShrink(toyScenario, variant('correct'), { runs: 30, seed: 1 });
    expect(result.found).toBe(false);
    expect(result.script).toBeNull();
    expect(result.fromSwarm).toBeUndefined();
  });
});

describe('shortestFailingChoices', () => {
  const script = { options: {}, steps: [], choices: [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], tailSeed: 0 };

  it('cuts the choices to the shortest prefix that still violates, when violating is monotone in the prefix', () => {
    // Proves: the binary search finds the exact cut (here: the violation needs the first 7 choices).
    const tried: number[] = [];
    const cut = shortestFailingChoices(script, (candidate) => (tried.push(candidate.choices.length), candidate.choices.length >= 7));
    expect(cut.choices).toEqual([3, 1, 4, 1, 5, 9, 2]);
    expect(tried.length).toBeLessThanOrEqual(Math.ceil(Math.log2(script.choices.length + 1)) + 1);
  });

  it('only keeps a prefix it ran and saw violate, and keeps the script when no shorter prefix does', () => {
    // Proves: with a non-monotone predicate the result still violates; with none shorter the script comes back unchanged.
    const violatesAt = new Set([11, 4]);
    const cut = shortestFailingChoices(script, (candidate) => violatesAt.has(candidate.choices.length));
    expect(violatesAt.has(cut.choices.length)).toBe(true);
    expect(shortestFailingChoices(script, (candidate) => candidate.choices.length === 11)).toBe(script);
  });
});

describe('tailInsteadOfChoices', () => {
  const script = { options: {}, steps: [], choices: [3, 1, 4], tailSeed: 0 };

  it('drops the choices for the first tail seed whose run still violates', () => {
    // Proves: the candidate has no choices and the first seed that was run and violated.
    const tried: number[] = [];
    const found = tailInsteadOfChoices(script, (candidate) => (tried.push(candidate.tailSeed), candidate.choices.length === 0 && candidate.tailSeed === 5));
    expect(found).toEqual({ ...script, choices: [], tailSeed: 5 });
    expect(tried).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives null when no tail seed violates, or when there are no choices to drop', () => {
    // Proves: it never returns an unchecked script, and tries at most tailSeedsTried runs.
    let runs = 0;
    expect(tailInsteadOfChoices(script, () => (runs++, false))).toBeNull();
    expect(runs).toBe(tailSeedsTried);
    expect(tailInsteadOfChoices({ ...script, choices: [] }, () => true)).toBeNull();
  });
});

describe('distinguishingMatch', () => {
  const labels = (...texts: string[]) => texts.map((label) => ({ kind: 'user' as const, label }));

  it('drops a generated name every action with the same verb shares, keeping what tells them apart', () => {
    // Proves: a recorded OpsRequest keeps pointing at its request when an earlier one is shrunk away and hscale-N shifts.
    const enabled = labels('user opsrequest.create hscale-9 scaleIn.replicaChanges=1', 'user opsrequest.create hscale-9 scaleOut.replicaChanges=1', 'user opsrequest.cancel hscale-3');
    expect(distinguishingMatch('user opsrequest.create hscale-9 scaleOut.replicaChanges=1', enabled)).toBe('scaleOut.replicaChanges=1');
    expect(distinguishingMatch('user opsrequest.cancel hscale-3', enabled)).toBe('opsrequest.cancel hscale-3');
  });

  it('keeps the target when it differs and always keeps the last word', () => {
    // Proves: fault targets (fixed names) stay in the match; a lone candidate still matches on its last word.
    const enabled = labels('fault node.down node-1', 'fault node.down node-2', 'fault pod.delete pg-0');
    expect(distinguishingMatch('fault node.down node-2', enabled)).toBe('node.down node-2');
    expect(distinguishingMatch('fault node.up node-1', labels('fault node.up node-1'))).toBe('node-1');
  });
});
