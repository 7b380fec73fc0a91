import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toyScenario } from '../sim/testing/toy-scenario.ts';
import { processIo, type CliIo } from './io.ts';
import { main } from './main.ts';

const scenarios = [toyScenario];

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const real = processIo();
  const io: CliIo = { ...real, out: (text) => void (out += text), err: (text) => void (err += text), isTerminal: false, color: false };
  const code = main(argv, io, scenarios);
  return { code, out, err };
}

const directory = mkdtempSync(join(tmpdir(), 'opsim-cli-'));

describe('opsim CLI', () => {
  it('lists every variant of every scenario on its own line', () => {
    const result = run(['list']);
    expect(result.code).toBe(0);
    expect(result.out.trim().split('\n')).toHaveLength(3);
    expect(result.out).toContain('toy-lock  --variant deadlock  toy@lock-order');
  });

  it('exits 1 with the DESIGN.md --json fields when a hunt finds a stuck state, and writes the trace', () => {
    const out = join(directory, 'deadlock.json');
    const result = run(['hunt', 'toy-lock', '--variant', 'deadlock', '--runs', '200', '--seed', '1', '--json', '--out', out]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out);
    expect(json).toMatchObject({ scenario: 'toy-lock', variant: 'deadlock', seed: 1, runs: 200, found: true, tracePath: out });
    expect(json.runsToFind).toBeGreaterThan(0);
    expect(json.violation).toMatchObject({ property: 'every requested round eventually completes', kind: 'stuck' });
    expect(json.violation.explanation).toContain('is stuck in waiting');
    expect(json.violation.steps).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBe('opsim-trace');
  });

  it('exits 0 with found:false and runsToFind:null when a hunt finds nothing', () => {
    const result = run(['hunt', 'toy-lock', '--variant', 'correct', '--runs', '20', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ found: false, runsToFind: null, violation: null, tracePath: null });
  });

  it('replays a saved trace byte-identically and exits 1 because it still fails', () => {
    const out = join(directory, 'race.json');
    expect(run(['hunt', 'toy-lock', '--variant', 'race', '--runs', '200', '--out', out]).code).toBe(1);
    const result = run(['replay', out]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('replay is byte-identical');
    expect(result.out).toContain('at most one process is in its critical section');
  });

  const badInputs: Array<[string, string[], RegExp]> = [
    ['an unknown scenario, listing the known ones', ['hunt', 'nope'], /unknown scenario 'nope'; known scenarios: toy-lock/],
    ['an unknown variant, listing the known ones', ['hunt', 'toy-lock', '--variant', 'buggy'], /unknown variant 'buggy' of toy-lock; known variants: correct, deadlock, race/],
    ['a missing scenario name', ['hunt'], /missing scenario name/],
    ['a non-integer --runs', ['hunt', 'toy-lock', '--variant', 'correct', '--runs', 'many'], /--runs must be a non-negative integer/],
    ['a negative --runs', ['hunt', 'toy-lock', '--variant', 'correct', '--runs=-3'], /--runs must be a non-negative integer/],
    ['a zero --runs', ['hunt', 'toy-lock', '--variant', 'correct', '--runs', '0'], /--runs must be at least 1/],
    ['a fractional --seed', ['hunt', 'toy-lock', '--variant', 'correct', '--seed', '1.5'], /--seed must be a non-negative integer/],
    ['an unknown flag', ['hunt', 'toy-lock', '--bogus'], /bogus/],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['a missing trace file', ['replay', join(directory, 'absent.json')], /cannot read trace file .*ENOENT/],
  ];
  for (const [what, argv, message] of badInputs) {
    it(`refuses ${what} with one line on stderr and exit 2`, () => {
      const result = run(argv);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
      expect(result.err.trim().split('\n')).toHaveLength(1);
      expect(result.out).toBe('');
    });
  }

  const badTraces: Array<[string, string, RegExp]> = [
    ['not JSON', '{ this is not json', /is not JSON/],
    ['JSON of another kind', '{"hello": "world"}', /is not an opsim trace/],
    ['an unknown format version', JSON.stringify({ format: 'opsim-trace', formatVersion: 99 }), /format version 99; this opsim reads version 1/],
  ];
  for (const [what, text, message] of badTraces) {
    it(`refuses a trace file that is ${what} with exit 2`, () => {
      const path = join(directory, `bad-${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, text);
      const result = run(['replay', path]);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
    });
  }

  it('refuses a trace of another scenario or variant with exit 2', () => {
    const out = join(directory, 'foreign.json');
    run(['hunt', 'toy-lock', '--variant', 'deadlock', '--runs', '200', '--out', out]);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    const foreignScenario = join(directory, 'foreign-scenario.json');
    writeFileSync(foreignScenario, JSON.stringify({ ...trace, scenario: 'pg-image-mismatch' }));
    expect(run(['replay', foreignScenario])).toMatchObject({ code: 2 });
    expect(run(['replay', foreignScenario]).err).toMatch(/unknown scenario 'pg-image-mismatch'/);
    const foreignVariant = join(directory, 'foreign-variant.json');
    writeFileSync(foreignVariant, JSON.stringify({ ...trace, variant: 'fixed' }));
    expect(run(['replay', foreignVariant]).err).toMatch(/unknown variant 'fixed'/);
  });

  it('refuses a trace whose options the model rejects with exit 2', () => {
    const out = join(directory, 'options.json');
    run(['hunt', 'toy-lock', '--variant', 'deadlock', '--runs', '200', '--out', out]);
    const trace = JSON.parse(readFileSync(out, 'utf8'));
    const path = join(directory, 'bad-options.json');
    writeFileSync(path, JSON.stringify({ ...trace, options: { roundsMax: 'lots' } }));
    const result = run(['replay', path]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/roundsMax must be an integer/);
  });

  it('writes no trace file when a hunt is refused', () => {
    const out = join(directory, 'never.json');
    run(['hunt', 'toy-lock', '--variant', 'nope', '--out', out]);
    expect(existsSync(out)).toBe(false);
  });

  it('demo exits 0 when every variant behaves as expected and prints one table', () => {
    const result = run(['demo', '--runs', '200']);
    expect(result.out).toMatch(/scenario\s+variant\s+profile\s+verdict/);
    expect(result.out).toContain('all 3 rows as expected');
    expect(result.code).toBe(0);
  });
});
