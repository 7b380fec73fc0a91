// Proves the tag-alias finding: the swarm finds the Component stuck Creating under 1.0.2 and still
// under 1.0.3 (spec tag 16.4, status tag 16 of the same digest), and not under the skip-check proposal.
import { describe, expect, it } from 'vitest';
import { hunt } from '../../sim/swarm.ts';
import { pgImageTagAliasScenario } from './pg-image-tag-alias.ts';

const variant = (name: string) => {
  const found = pgImageTagAliasScenario.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
};

describe('pg-image-tag-alias', () => {
  it('1.0.3: the hunt still finds Creating forever, with the alias tag in spec and the other tag in status', () => {
    const result = hunt(pgImageTagAliasScenario, variant('1.0.3'), { runs: 80, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.explanation ?? '').toMatch(/phase Creating.*image apecloud\/spilo:16\.4 in spec, docker\.io\/apecloud\/spilo:16 in status/s);
  });

  it('fixed (skip-image-check proposal): the same hunt finds nothing', () => {
    const result = hunt(pgImageTagAliasScenario, variant('fixed'), { runs: 80, seed: 1 });
    expect(result.violation?.explanation ?? null).toBeNull();
  });
});
