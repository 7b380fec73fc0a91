import { describe, expect, it } from 'vitest';
import { hunt, traceSwarm } from '../swarm.ts';
import { serializeTrace } from '../trace.ts';
import { toyPlacementScenario } from './toy-placement.ts';

function variant(name: string) {
  const found = toyPlacementScenario.variants.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no variant ${name}`);
  return found;
}

describe('toy placement model under the swarm', () => {
  it('never strands a pod some node admits, never binds against a rule, never overcommits, and reaches every sometimes', () => {
    // Proves the scheduler's liveness (retry on cluster events) and safety over 300 random pools with faults.
    const result = hunt(toyPlacementScenario, variant('requeue'), { runs: 300, seed: 1 });
    expect(result.violation ?? null).toBeNull();
    expect(result.found).toBe(false);
    expect(result.sometimesNeverSeen).toEqual([]);
  });

  it('finds the planted no-requeue bug as a stuck pod', () => {
    // Proves the liveness property can fail: a scheduler that never retries strands pods.
    const result = hunt(toyPlacementScenario, variant('no-requeue'), { runs: 300, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.property).toBe('a pod whose constraints some node satisfies is eventually bound');
  });
});

describe('toy placement determinism', () => {
  it('gives byte-identical traces for the same seed and different ones for another seed', () => {
    // Proves the substrate is deterministic under the swarm (no hidden state in caches or memos).
    const chosen = variant('requeue');
    const spec = (seed: number) => ({ scenario: toyPlacementScenario.name, variant: chosen.name, profile: chosen.profile, seed, swarm: toyPlacementScenario.swarm });
    const first = serializeTrace(traceSwarm(chosen.model, spec(11)));
    expect(serializeTrace(traceSwarm(chosen.model, spec(11)))).toBe(first);
    expect(serializeTrace(traceSwarm(chosen.model, spec(12)))).not.toBe(first);
  });
});
