// Proves the upgrade example runs end to end with small effort: one row per profile on the same seeds, the 1.0.0 scale-out caught as a stuck OpsRequest within 60 runs and 1.0.1 clean on all 60.
import { describe, expect, it } from 'vitest';
import { opsProfiles } from '../src/index.ts';
import { main } from './kubeblocks-upgrade-scale-out.ts';

describe('examples/kubeblocks-upgrade-scale-out', () => {
  it('answers with a row per profile, 1.0.0 stuck and 1.0.1 clean', () => {
    const lines: string[] = [];
    const answer = main({ runs: 60, seed: 101, stopAtFirstFind: true, print: (line) => lines.push(line) });
    expect(answer.rows.map((row) => row.profile)).toEqual(opsProfiles.map((profile) => profile.name));
    const [older, newer] = answer.rows;
    expect(older?.profile).toBe('kubeblocks@1.0.0');
    expect(older?.runsFound).toBeGreaterThan(0);
    expect(older?.headline).toMatch(/^OpsRequest \S+ is stuck in Running since tick \d+/);
    expect(newer?.runsFound).toBe(0);
    expect(newer?.runs).toBe(60);
    expect(answer.upgradeUnsticks).toBe(true);
    expect(lines.some((line) => line.startsWith('kubeblocks@1.0.0') && line.includes('stuck in Running'))).toBe(true);
  });
});
