// Proves the Patroni settings example runs with small effort: a row per swept setting, a longer ttl keeps the cluster leaderless longer, a replica takes over with defaults before the node returns, and rule breakers are flagged with Patroni's adjusted values.
import { describe, expect, it } from 'vitest';
import { main, nodeDownTicks, percentile, settings } from './patroni-settings-leaderless.ts';

const pick = (name: string) => {
  const setting = settings.find((candidate) => candidate.name === name);
  if (setting === undefined) throw new Error(`no setting ${name}`);
  return setting;
};

describe('examples/patroni-settings-leaderless', () => {
  it('measures leaderless time per setting and flags loop_wait + 2*retry_timeout > ttl', () => {
    const lines: string[] = [];
    const chosen = [pick('defaults'), pick('slow'), pick('long-loop')];
    const rows = main({ runs: 3, seed: 1, settings: chosen, print: (line) => lines.push(line) });
    expect(rows.map((row) => row.setting.name)).toEqual(['defaults', 'slow', 'long-loop']);
    const [defaults, slow, longLoop] = rows;
    expect(defaults?.leaderless).toHaveLength(3);
    expect(defaults?.waitedForNode).toBe(0);
    expect(Math.max(...(defaults?.leaderless ?? []))).toBeLessThan(nodeDownTicks);
    expect(Math.min(...(defaults?.leaderless ?? []))).toBeGreaterThan(0);
    expect(percentile(slow?.leaderless ?? [], 50)).toBeGreaterThan(percentile(defaults?.leaderless ?? [], 50) ?? Infinity);
    expect(defaults?.breaksTimingRule).toBe(false);
    expect(longLoop?.breaksTimingRule).toBe(true);
    expect(longLoop?.effective.loopWait).toBeLessThan(20);
    expect(lines.some((line) => line.startsWith('long-loop') && line.includes('BROKEN'))).toBe(true);
  });
});
