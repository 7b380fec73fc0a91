import { describe, expect, it } from 'vitest';
import { hunt, traceSwarm } from './swarm.ts';
import { replayTrace, parseTrace } from './replay.ts';
import { serializeTrace } from './trace.ts';
import { toyScenario } from './testing/toy-scenario.ts';
import type { ScenarioVariant } from './scenario.ts';

function variant(name: string): ScenarioVariant {
  const found = toyScenario.variants.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no toy variant ${name}`);
  return found;
}

function spec(name: string, seed: number) {
  const chosen = variant(name);
  return { scenario: toyScenario.name, variant: chosen.name, profile: chosen.profile, seed, swarm: toyScenario.swarm };
}

describe('swarm driver on the toy lock model', () => {
  it('finds the planted deadlock as a stuck state and explains who waits for what', () => {
    const result = hunt(toyScenario, variant('deadlock'), { runs: 200, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.property).toBe('every requested round eventually completes');
    expect(result.violation?.headline).toMatch(/^Process p[01] is stuck in waiting since tick \d+: waits for lock [01] held by p[01]$/);
    expect(result.trace?.outcome.endedBy).toBe('quiescent');
  });

  it('finds the planted check-then-take race as a safety violation', () => {
    const result = hunt(toyScenario, variant('race'), { runs: 200, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('safety');
    expect(result.violation?.property).toBe('at most one process is in its critical section');
    expect(result.violation?.reason).toBe('2 processes are critical at once');
  });

  it('runs the correct variant clean and reaches the sometimes property', () => {
    const result = hunt(toyScenario, variant('correct'), { runs: 100, seed: 1 });
    expect(result.found).toBe(false);
    expect(result.runsDone).toBe(100);
    expect(result.sometimesNeverSeen).toEqual([]);
  });

  it('gives byte-identical traces for the same seed and different ones for another seed', () => {
    const first = serializeTrace(traceSwarm(variant('deadlock').model, spec('deadlock', 7)));
    const again = serializeTrace(traceSwarm(variant('deadlock').model, spec('deadlock', 7)));
    const other = serializeTrace(traceSwarm(variant('deadlock').model, spec('deadlock', 8)));
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('replays a saved counterexample byte for byte and pinpoints a tampered step', () => {
    const result = hunt(toyScenario, variant('deadlock'), { runs: 200, seed: 1 });
    const text = serializeTrace(result.trace!);
    const replayed = replayTrace(variant('deadlock'), parseTrace(text));
    expect(replayed.identical).toBe(true);
    expect(serializeTrace(replayed.trace)).toBe(text);
    const tampered = parseTrace(text);
    const steps = tampered.steps.map((step, index) => (index === 2 ? { ...step, action: 'user work.request p9' } : step));
    const diverged = replayTrace(variant('deadlock'), { ...tampered, steps });
    expect(diverged.identical).toBe(false);
    expect(diverged.divergence?.stepIndex).toBe(2);
  });

  it('records phase changes and events in the trace steps', () => {
    const trace = traceSwarm(variant('correct').model, spec('correct', 3));
    const changes = trace.steps.flatMap((step) => step.changes ?? []);
    expect(changes.some((change) => change.from === 'waiting' && change.to === 'critical')).toBe(true);
    const events = trace.steps.flatMap((step) => step.events ?? []);
    expect(events.some((event) => event.reason === 'Released')).toBe(true);
  });
});
