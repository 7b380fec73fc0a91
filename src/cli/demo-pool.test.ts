import { describe, expect, it } from 'vitest';
import { scenarios } from '../scenarios/registry.ts';
import { processIo, type CliIo } from './io.ts';
import { mainAsync } from './main.ts';

function capture(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = { ...processIo(), out: (text) => void (out += text), err: (text) => void (err += text), isTerminal: false, color: false };
  return { io, out: () => out, err: () => err };
}

describe('demo on worker threads', () => {
  it('returns one table row per registered scenario variant from two workers', async () => {
    // One run per variant keeps this cheap; most buggy variants need more, so the demo disagrees (exit 1).
    const { io, out } = capture();
    const code = await mainAsync(['demo', '--runs', '1', '--jobs', '2'], io);
    const rows = out().split('\n').filter((line) => /\s(yes|NO)$/.test(line));
    const variants = scenarios.reduce((count, scenario) => count + scenario.variants.length, 0);
    expect(rows).toHaveLength(variants);
    for (const scenario of scenarios) expect(out()).toContain(scenario.name);
    expect([0, 1]).toContain(code);
  });

  it('refuses a malformed --jobs with exit 2', async () => {
    const { io, err } = capture();
    expect(await mainAsync(['demo', '--jobs', 'two'], io)).toBe(2);
    expect(err()).toMatch(/--jobs must be a non-negative integer/);
  });
});
