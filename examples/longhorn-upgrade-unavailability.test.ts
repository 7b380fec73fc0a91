// Proves the Longhorn unavailability example runs with small effort: a row per drain policy and replica count, block-if-contains-last-replica keeps every volume's data with bounded unavailability, and always-allow under an operator who does not wait for rebuilds loses data.
import { describe, expect, it } from 'vitest';
import { main } from './longhorn-upgrade-unavailability.ts';

describe('examples/longhorn-upgrade-unavailability', () => {
  it('measures unavailable seconds per setting and shows what the drain policy protects', () => {
    const lines: string[] = [];
    const rows = main({ runs: 2, seed: 1, policies: ['block-if-contains-last-replica', 'always-allow'], replicaCounts: [3], print: (line) => lines.push(line) });
    expect(rows.map((row) => `${row.policy} ${row.numberOfReplicas}`)).toEqual(['block-if-contains-last-replica 3', 'always-allow 3']);
    const [block, always] = rows;
    expect(block?.dataLost).toBe(0);
    expect(block?.unfinished).toBe(0);
    expect(block?.violations).toBe(0);
    expect(block?.unavailable.length).toBeGreaterThan(0);
    expect(Math.max(...(block?.unavailable ?? []))).toBeLessThan(3_600);
    expect(always?.dataLost).toBeGreaterThan(0);
    expect(lines.some((line) => line.startsWith('always-allow'))).toBe(true);
  });
});
