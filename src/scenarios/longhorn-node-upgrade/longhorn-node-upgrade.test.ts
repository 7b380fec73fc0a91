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
    const result = hunt(longhornNodeUpgradeScenario, variant(longhornNodeUpgradeScenario, 'buggy'), { runs: 5, seed: 36 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    const text = result.violation?.explanation ?? '';
    expect(text).toMatch(/is attaching/);
    expect(text).toMatch(/replica \S+ stays stopped with diskID disk-uuid-\d+, while node \S+ now has disk \S+ with diskUUID disk-uuid-\d+/);
    expect(text).toContain('cannot find disk name for replica');
  });

  it('the fixed variant (proposal on 1.7.3) stays clean over 8 generated upgrades', () => {
    const result = hunt(longhornNodeUpgradeScenario, variant(longhornNodeUpgradeScenario, 'fixed'), { runs: 8, seed: 100 });
    expect(result.violation?.explanation ?? null).toBeNull();
  });

  it('the same seed gives the same run, step for step', () => {
    const spec = { scenario: 'longhorn-node-upgrade', variant: 'buggy', profile: 'longhorn@1.7.2', seed: 36, swarm: longhornNodeUpgradeScenario.swarm };
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

  it('the fixed variant (1.7.3, PR #3522) stays clean over 8 generated upgrades', () => {
    const result = hunt(longhornNodeUpgradeNewNamesScenario, variant(longhornNodeUpgradeNewNamesScenario, 'fixed'), { runs: 8, seed: 100 });
    expect(result.violation?.explanation ?? null).toBeNull();
  });
});

describe('findings kept as their own scenarios', () => {
  it('data loss: 1.7.2 deletes the failed replica holding the last copy while a stale replica counts as healthy; the proposal does not', async () => {
    const { longhornNodeUpgradeDataLossScenario: scenario } = await import('../longhorn-node-upgrade-data-loss/index.ts');
    const buggy = hunt(scenario, variant(scenario, 'buggy'), { runs: 1, seed: 14 });
    expect(buggy.violation?.kind).toBe('safety');
    expect(buggy.violation?.explanation).toMatch(/deleted \(Replica \S+ failed too long ago to be useful during a rebuild\) while it was the last replica holding the data/);
    expect(hunt(scenario, variant(scenario, 'fixed'), { runs: 1, seed: 14 }).found).toBe(false);
  });

  it('error replica never failed: seed 42 leaves a volume degraded forever without the flag, and recovers with it', async () => {
    const { longhornErrorReplicaNeverFailedScenario: scenario } = await import('../longhorn-error-replica-never-failed/index.ts');
    const buggy = hunt(scenario, variant(scenario, 'buggy'), { runs: 1, seed: 42 });
    expect(buggy.violation?.kind).toBe('stuck');
    expect(buggy.violation?.explanation).toMatch(/attached but degraded/);
    expect(buggy.violation?.explanation).toMatch(/currentState=error desireState=running .*failedAt=""/);
    expect(hunt(scenario, variant(scenario, 'fixed'), { runs: 1, seed: 42 }).found).toBe(false);
  });

  it('rebuild slot deadlock: seed 30 leaves a volume degraded with a reused replica stopped behind the rebuild limit', async () => {
    const { longhornRebuildSlotDeadlockScenario: scenario } = await import('../longhorn-rebuild-slot-deadlock/index.ts');
    const result = hunt(scenario, variant(scenario, 'buggy'), { runs: 1, seed: 30 });
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.explanation).toMatch(/attached but degraded; .*openVolumeDependentResources waits for \S+ to run/);
    expect(hunt(scenario, variant(scenario, 'fixed'), { runs: 1, seed: 30 }).found).toBe(false);
  });
});
