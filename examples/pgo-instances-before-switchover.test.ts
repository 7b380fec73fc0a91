// Proves the PGO what-if example runs with small effort: our own profile (built from public steps) reorders the steps, upstream pgo@5.7 gets stuck with the deleted replica and our profile does not on the same seeds.
import { describe, expect, it } from 'vitest';
import { pgo57, profileStepNames } from '../src/index.ts';
import { instanceSetsFirst, main } from './pgo-instances-before-switchover.ts';

describe('examples/pgo-instances-before-switchover', () => {
  it('defines a profile whose instance sets come before the switchover, with the same steps as upstream', () => {
    const ours = profileStepNames(instanceSetsFirst);
    expect(ours.indexOf('reconcileInstanceSets')).toBeLessThan(ours.indexOf('reconcilePatroniSwitchover'));
    expect([...ours].sort()).toEqual([...profileStepNames(pgo57)].sort());
    expect(instanceSetsFirst.upstream).toBe(false);
  });

  it('catches upstream stuck at instances 1/2 and finds our profile clean on the same seeds', () => {
    const lines: string[] = [];
    const rows = main({ runs: 3, seed: 1, worlds: ['replica-deleted'], print: (line) => lines.push(line) });
    expect(rows.map((row) => `${row.world} ${row.profile}`)).toEqual(['replica-deleted pgo@5.7', `replica-deleted ${instanceSetsFirst.name}`]);
    const [upstream, ours] = rows;
    expect(upstream?.runsFound).toBeGreaterThan(0);
    expect(upstream?.findings[0]?.property).toBe('the cluster runs as many instances as its spec asks for');
    expect(upstream?.findings[0]?.headline).toMatch(/Need more than one instance to switchover/);
    expect(ours?.runsFound).toBe(0);
    expect(lines.some((line) => line.includes(`${instanceSetsFirst.name}: clean in 3 runs`))).toBe(true);
  });
});
