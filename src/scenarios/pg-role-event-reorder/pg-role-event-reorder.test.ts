// Proves the scenario: from a Running 3-replica cluster the swarm, with node faults, pod update
// conflicts and operator restarts (role Events otherwise handled first in, first out), finds a
// Component Failed with a member missing from membersStatus under kubeblocks@1.0.3-beta.1 (stale
// primary report strips the leader) and under kubeblocks@1.0.3 (the stripped pod's own report is
// dropped as stale); with PR #10201 the same hunt stays clean; a seed replays byte for byte.
import { describe, expect, it } from 'vitest';
import { hunt, traceSwarm } from '../../sim/swarm.ts';
import { swarmOptionsFor } from '../../sim/swarm.ts';
import { kubeblocks103beta1 } from '../../machines/kubeblocks/kubeblocks-profile.ts';
import { firstLeader, patroniLeader, pgRoleEventReorderModel, pgRoleEventReorderScenario } from './pg-role-event-reorder.ts';

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

const variant = (name: string) => {
  const found = pgRoleEventReorderScenario.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
};

describe('pg-role-event-reorder', () => {
  it('starts from a Running cluster led by the first member, every pod labelled', () => {
    const model = variant('buggy').model;
    const world = model.init(model.options.defaults) as Parameters<typeof patroniLeader>[0];
    expect(patroniLeader(world)).toBe(firstLeader);
    expect(world.kb.components['pg-postgresql']?.status.phase).toBe('Running');
    expect(world.k8s.pods.values().map((pod) => pod.labels['kubeblocks.io/role']).sort()).toEqual(['primary', 'secondary', 'secondary']);
  });

  it.each(['buggy', '1.0.3'])('%s: the hunt finds the Component Failed with a member missing from membersStatus', (name) => {
    const result = hunt(pgRoleEventReorderScenario, variant(name), { runs: 1000, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('stuck');
    const explanation = result.violation?.explanation ?? '';
    expect(explanation).toContain('phase Failed');
    expect(explanation).toMatch(/InstanceSet ready 3\/3 \(created 3, updated 3, members 2\)/);
    expect(explanation).toContain('role (none)');
  });

  it('fixed: the same hunt finds nothing and reaches every sometimes property', () => {
    const result = hunt(pgRoleEventReorderScenario, variant('fixed'), { runs: 400, seed: 1 });
    expect(result.violation?.explanation ?? null).toBeNull();
    expect(result.sometimesNeverSeen).toEqual([]);
  });

  it('a seed gives the same trace twice, byte for byte', () => {
    const spec = { scenario: 'pg-role-event-reorder', variant: 'buggy', profile: 'kubeblocks@1.0.3-beta.1', seed: 220, swarm: pgRoleEventReorderScenario.swarm };
    expect(JSON.stringify(traceSwarm(variant('buggy').model, spec))).toBe(JSON.stringify(traceSwarm(variant('buggy').model, spec)));
  });

  it('init kept per options gives the world built afresh, and runs never mutate the shared world', () => {
    // Proves: the memoized Running world equals the one built from scratch for every option set 60 seeds draw (twice, so
    // the second asks hit the cache), and a swarm run from the deep-frozen shared world traces exactly as one from a fresh world.
    const memo = pgRoleEventReorderModel(kubeblocks103beta1);
    const plain = pgRoleEventReorderModel(kubeblocks103beta1, { memoInit: false });
    for (let round = 0; round < 2; round++) {
      for (let seed = 1; seed <= 60; seed++) {
        const options = swarmOptionsFor(memo, seed);
        expect(JSON.stringify(memo.init(options))).toBe(JSON.stringify(plain.init(options)));
      }
    }
    for (const seed of [220, 7]) {
      deepFreeze(memo.init(swarmOptionsFor(memo, seed)));
      const spec = { scenario: 'pg-role-event-reorder', variant: 'buggy', profile: kubeblocks103beta1.name, seed, swarm: pgRoleEventReorderScenario.swarm };
      expect(JSON.stringify(traceSwarm(memo, spec))).toBe(JSON.stringify(traceSwarm(plain, spec)));
    }
  });
});
