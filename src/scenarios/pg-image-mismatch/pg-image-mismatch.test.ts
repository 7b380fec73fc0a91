// Proves the scenario: the swarm discovers the "Creating forever" state under kubeblocks@1.0.2
// with an explanation naming the phase, the ready count and both image strings; kubeblocks@1.0.3
// stays clean over the same runs; a seed replays to the same trace.
import { describe, expect, it } from 'vitest';
import { hunt, traceSwarm } from '../../sim/swarm.ts';
import { pgImageMismatchScenario } from './pg-image-mismatch.ts';

const variant = (name: string) => {
  const found = pgImageMismatchScenario.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
};

describe('pg-image-mismatch', () => {
  it('buggy: the hunt finds a Component stuck Creating, naming the ready count and the mismatched images', () => {
    const result = hunt(pgImageMismatchScenario, variant('buggy'), { runs: 60, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    const explanation = result.violation?.explanation ?? '';
    expect(explanation).toContain('phase Creating');
    expect(explanation).toMatch(/InstanceSet ready [0-9]\/2/);
    expect(explanation).toMatch(/image apecloud\/spilo@sha256:[0-9a-f]{64} in spec, docker\.io\/apecloud\/spilo:16 in status/);
  });

  it('fixed: the same hunt finds nothing and reaches every sometimes property', () => {
    const result = hunt(pgImageMismatchScenario, variant('fixed'), { runs: 120, seed: 1 });
    expect(result.violation?.explanation ?? null).toBeNull();
    expect(result.sometimesNeverSeen).toEqual([]);
  });

  it('a seed gives the same trace twice, byte for byte', () => {
    const spec = { scenario: 'pg-image-mismatch', variant: 'buggy', profile: 'kubeblocks@1.0.2', seed: 7, swarm: pgImageMismatchScenario.swarm };
    expect(JSON.stringify(traceSwarm(variant('buggy').model, spec))).toBe(JSON.stringify(traceSwarm(variant('buggy').model, spec)));
  });
});
