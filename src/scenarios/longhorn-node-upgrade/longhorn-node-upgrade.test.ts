import { describe, expect, it } from 'vitest';
import { hunt, runSwarm } from '../../sim/swarm.ts';
import { longhornNodeUpgradeScenario } from './index.ts';
import { longhornNodeUpgradeNewNamesScenario } from '../longhorn-node-upgrade-new-names/index.ts';

function variant(scenario: typeof longhornNodeUpgradeScenario, name: string) {
  const found = scenario.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
}

describe('longhorn-node-upgrade', () => {
  it('the buggy variant (1.7.2) is found stuck attaching on a replica whose diskID left its re-imaged node', () => {
    const result = hunt(longhornNodeUpgradeScenario, variant(longhornNodeUpgradeScenario, 'buggy'), { runs: 40, seed: 6 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    const text = result.violation?.explanation ?? '';
    expect(text).toMatch(/is attaching/);
    expect(text).toMatch(/replica \S+ stays stopped with diskID disk-uuid-\d+, while node \S+ now has disk \S+ with diskUUID disk-uuid-\d+/);
    expect(text).toContain('cannot find disk name for replica');
  });

  it('the fixed variant (proposal on 1.7.3) stays clean over 15 generated upgrades', () => {
    const result = hunt(longhornNodeUpgradeScenario, variant(longhornNodeUpgradeScenario, 'fixed'), { runs: 15, seed: 100 });
    expect(result.violation?.explanation ?? null).toBeNull();
  });

  it('the same seed gives the same run, step for step', () => {
    const spec = { scenario: 'longhorn-node-upgrade', variant: 'buggy', profile: 'longhorn@1.7.2', seed: 6, swarm: longhornNodeUpgradeScenario.swarm };
    const model = variant(longhornNodeUpgradeScenario, 'buggy').model;
    const first = runSwarm(model, spec, true);
    const second = runSwarm(model, spec, true);
    expect(JSON.stringify(second.steps)).toBe(JSON.stringify(first.steps));
  });
});

describe('longhorn-node-upgrade-new-names', () => {
  it('the buggy variant (1.7.2) is found stuck detached: Scheduled=False, never ready for workloads (#9938)', () => {
    const result = hunt(longhornNodeUpgradeNewNamesScenario, variant(longhornNodeUpgradeNewNamesScenario, 'buggy'), { runs: 20, seed: 1 });
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.explanation).toMatch(/is detached .*Scheduled=False .*not ready for workloads/);
  });

  it('the fixed variant (1.7.3, PR #3522) stays clean over 15 generated upgrades', () => {
    const result = hunt(longhornNodeUpgradeNewNamesScenario, variant(longhornNodeUpgradeNewNamesScenario, 'fixed'), { runs: 15, seed: 100 });
    expect(result.violation?.explanation ?? null).toBeNull();
  });
});
