import { describe, expect, it } from 'vitest';
import { hunt, runSwarm } from '../../sim/swarm.ts';
import { pgoSwitchoverTargetLeader } from './index.ts';

function variant(name: string) {
  const found = pgoSwitchoverTargetLeader.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
}

describe('pgo-switchover-target-leader (a finding of the pgo-replica-deleted hunt)', () => {
  // Proves the swarm finds a switchover left pending and unreported under upstream PGO, and the reporting proposal settles the same seed.
  it('finds the unreported pending switchover and the deferred-error profile reports it', () => {
    const result = hunt(pgoSwitchoverTargetLeader, variant('buggy'), { runs: 150, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    const seed = result.failingSeed as number;
    const fixed = variant('fixed');
    const spec = { scenario: pgoSwitchoverTargetLeader.name, variant: fixed.name, profile: fixed.profile, seed, swarm: pgoSwitchoverTargetLeader.swarm };
    expect(runSwarm(fixed.model, spec, false).outcome.violation).toBeNull();
  });
});
