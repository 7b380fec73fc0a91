import fc from 'fast-check';
import { test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace } from './replay.ts';
import type { ScenarioVariant } from './scenario.ts';
import { huntScripted, runScript, scriptedProperty, scriptArbitrary, traceScript, ScriptedViolationError, type Script } from './scripted.ts';
import { serializeTrace } from './trace.ts';
import { toyScenario } from './testing/toy-scenario.ts';
import { toyTugModel } from './testing/toy-tug.ts';
import { toyTugScenario } from './testing/toy-tug-scenario.ts';
import type { ToyOptions } from './testing/toy-lock.ts';

function variant(name: string): ScenarioVariant {
  const found = toyScenario.variants.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no toy variant ${name}`);
  return found;
}

const deadlockScript: Script<ToyOptions> = {
  options: { roundsMax: 2 },
  steps: [
    { atTick: 0, afterUrgent: 0, kind: 'user', pick: 0 },
    { atTick: 0, afterUrgent: 0, kind: 'user', pick: 0 },
  ],
  choices: [0],
  tailSeed: 0,
};

describe('scripted driver on the toy lock model', () => {
  it('finds the planted deadlock and shrinks it to two requests and a handful of steps', () => {
    // Proves: the fast-check hunt discovers the deadlock and the counterexample is minimal-ish.
    const result = huntScripted(toyScenario, variant('deadlock'), { runs: 200, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.headline).toMatch(/^Process p[01] is stuck in waiting since tick \d+: waits for lock [01] held by p[01]$/);
    expect(result.script?.steps.length).toBe(2);
    expect(result.violation?.steps).toBeLessThanOrEqual(6);
    expect(result.fastCheck).toMatchObject({ seed: 1, replayPath: null });
    expect(result.fastCheck?.path).toMatch(/^\d+(:\d+)*$/);
  });

  it('replays the shrunk counterexample from fast-check seed and path on the first run', () => {
    // Proves: { seed, path } fed back reproduces the same minimal script, without searching or shrinking.
    const first = huntScripted(toyScenario, variant('race'), { runs: 200, seed: 11 });
    expect(first.found).toBe(true);
    const fastCheck = first.fastCheck!;
    const again = huntScripted(toyScenario, variant('race'), { runs: 200, seed: fastCheck.seed, path: fastCheck.path });
    expect(again.runsToFind).toBe(1);
    expect(again.fastCheck?.numShrinks).toBe(0);
    expect(again.script).toEqual(first.script);
    expect(serializeTrace(again.trace!)).toBe(serializeTrace(first.trace!));
    // The same through fc.assert directly, as a user's suite would do it.
    const property = scriptedProperty({ scenario: toyScenario, variant: variant('race') });
    const details = fc.check(property, { seed: fastCheck.seed, path: fastCheck.path, endOnFailure: true });
    expect(details.numRuns).toBe(1);
    expect(details.counterexample?.[0]).toEqual(first.script);
  });

  it('fails fc.assert with our explanation, the script as taken, the trace and the replay data', () => {
    // Proves: the failure message a user sees carries everything DESIGN.md §2 asks for.
    const property = scriptedProperty({ scenario: toyScenario, variant: variant('deadlock') });
    let message = '';
    try {
      fc.assert(property, { seed: 5, numRuns: 300, includeErrorInReport: true });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('is stuck in waiting');
    expect(message).toContain('script (environment steps as taken):');
    expect(message).toMatch(/tick \d+: user work\.request p[01]/);
    expect(message).toMatch(/trace \(\d+ steps\):\n  #0 t=0 user work\.request/);
    expect(message).toMatch(/seed: 5, path: "[\d:]+"/);
  });

  it('passes on the correct variant', () => {
    // Proves: the property is not trivially failing: a correct model survives 150 scripts.
    expect(() => fc.assert(scriptedProperty({ scenario: toyScenario, variant: variant('correct') }), { seed: 3, numRuns: 150 })).not.toThrow();
  });

  // Proves: the same helper plugs into @fast-check/vitest's test.prop (arbitraries + assertScript).
  fcTest.prop(scriptedProperty({ scenario: toyScenario, variant: variant('correct') }).arbitraries, { numRuns: 60, seed: 4 })(
    'works as a @fast-check/vitest test.prop on a correct model',
    scriptedProperty({ scenario: toyScenario, variant: variant('correct') }).assertScript,
  );

  it('runs a script deterministically, takes steps as written and records their labels', () => {
    // Proves: a hand-written script is a reproducible story: same trace twice, steps resolved to labels.
    const model = variant('deadlock').model;
    const first = traceScript(model, { scenario: 'toy-lock', variant: 'deadlock', profile: 'toy@lock-order', swarm: toyScenario.swarm, script: deadlockScript });
    const again = traceScript(model, { scenario: 'toy-lock', variant: 'deadlock', profile: 'toy@lock-order', swarm: toyScenario.swarm, script: deadlockScript });
    expect(serializeTrace(again)).toBe(serializeTrace(first));
    expect(first.steps.slice(0, 4).map((step) => step.action)).toEqual(['user work.request p0', 'user work.request p1', 'acquire p0 lock 0', 'acquire p1 lock 1']);
    expect(first.outcome.violation?.kind).toBe('stuck');
  });

  it('skips a step that matches nothing and says why', () => {
    // Proves: steps that do not apply are dropped visibly, not silently.
    const script = { ...deadlockScript, steps: [{ atTick: 2, afterUrgent: 0, kind: 'user' as const, pick: 0, match: 'p7' }] };
    const report = runScript(variant('correct').model, toyScenario.swarm, script, false);
    expect(report.resolved).toEqual([{ step: script.steps[0], tick: 2, taken: null, skipped: "no user action matching 'p7' enabled" }]);
    expect(report.outcome.verdict).toBe('clean');
  });

  it('replays a scripted trace byte for byte through opsim replay, and pinpoints a tampered step', () => {
    // Proves: determinism across drivers: the scripted trace and its replay agree; a changed trace does not.
    const trace = traceScript(variant('deadlock').model, { scenario: 'toy-lock', variant: 'deadlock', profile: 'toy@lock-order', swarm: toyScenario.swarm, script: deadlockScript, fastCheck: { seed: 1, path: '0', replayPath: null } });
    const text = serializeTrace(trace);
    const replayed = replayTrace(variant('deadlock'), parseTrace(text));
    expect(replayed.identical).toBe(true);
    const tampered = parseTrace(text);
    const steps = tampered.steps.map((step, index) => (index === 1 ? { ...step, action: 'user work.request p0' } : step));
    expect(replayTrace(variant('deadlock'), { ...tampered, steps }).divergence?.stepIndex).toBe(1);
  });

  it('drives a user model given directly (no scenario), with a composed arbitrary', () => {
    // Proves: the helper is generic over any Model and accepts the user's own script arbitrary.
    const model = toyTugModel('fixed');
    const arbitrary = scriptArbitrary(model, toyTugScenario.swarm, { options: fc.constant({ hpaReplicas: 4, gitReplicas: 1 }) });
    const seen: number[] = [];
    const property = scriptedProperty({ model, swarm: toyTugScenario.swarm }, { arbitrary, onRun: (report) => seen.push(report.outcome.actions) });
    fc.assert(property, { seed: 2, numRuns: 20 });
    expect(seen).toHaveLength(20);
    expect(Math.min(...seen)).toBeGreaterThan(0);
  });

  it('throws a ScriptedViolationError carrying the violation and the trace', () => {
    // Proves: a suite can catch the error type and read the structured counterexample.
    const property = scriptedProperty({ scenario: toyScenario, variant: variant('deadlock') });
    let caught: unknown = null;
    try {
      property.assertScript(deadlockScript);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ScriptedViolationError);
    expect((caught as ScriptedViolationError).trace.driver.name).toBe('scripted');
    expect((caught as ScriptedViolationError).violation.property).toBe('every requested round eventually completes');
  });
});
