import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../sim/scenario.ts';
import { toyScenario } from '../sim/testing/toy-scenario.ts';
import { toyTugScenario } from '../sim/testing/toy-tug-scenario.ts';
import { processIo, type CliIo } from './io.ts';
import { main } from './main.ts';

const scenarios = [toyScenario, toyTugScenario];

function run(argv: string[]): { code: number; out: string; err: string } {
  return runWith(scenarios, argv);
}

function runWith(known: readonly Scenario[], argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: CliIo = { ...processIo(), out: (text) => void (out += text), err: (text) => void (err += text), isTerminal: false, color: false };
  const code = main(argv, io, known);
  return { code, out, err };
}

const directory = mkdtempSync(join(tmpdir(), 'opsim-explore-'));

describe('opsim explore', () => {
  it('exits 1 on the toy livelock with the path, the cycle and the search counts in --json, and the trace replays', () => {
    // Proves: the explore verb reports a stuck livelock with everything a script needs, and its trace replays identically.
    const out = join(directory, 'tug.json');
    const result = run(['explore', 'toy-tug', '--variant', 'livelock', '--json', '--out', out]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out);
    expect(json).toMatchObject({ driver: 'explore', found: true, verdict: 'stuck', stuckKind: 'livelock', exhausted: true, limitHit: null, tracePath: out });
    expect(json.states).toBeGreaterThan(0);
    expect(json.edges).toBeGreaterThan(0);
    expect(json.cycle.length).toBeGreaterThan(0);
    expect(json.violation.kind).toBe('stuck');
    expect(json.violation.steps).toBe(json.path.length);
    const replay = run(['replay', out]);
    expect(replay.out).toContain('replay is byte-identical');
    expect(replay.code).toBe(1);
    expect(JSON.parse(readFileSync(out, 'utf8')).driver.name).toBe('explore');
  });

  it('exits 0 on a clean exhaustive search and says the space was exhausted', () => {
    // Proves: a clean verdict is explicit about exhaustion.
    const result = run(['explore', 'toy-tug', '--variant', 'fixed']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/\d+ states, \d+ edges, depth \d+, space exhausted/);
    expect(result.out).toContain('clean: no reachable state violates a property');
  });

  it("takes the scenario's explore defaults when no flags are given, and flags win over them", () => {
    // Proves: `opsim explore <scenario>` searches the scenario's own small configuration and budgets; a flag overrides one field.
    const withDefaults = { ...toyScenario, name: 'toy-lock-small', explore: { configurations: [toyScenario.variants[0]!.model.options.defaults], faultsMax: 0, requestsMax: 4, statesMax: 20 } };
    const plain = JSON.parse(runWith([withDefaults], ['explore', 'toy-lock-small', '--variant', 'correct', '--json']).out);
    expect(plain).toMatchObject({ limits: { statesMax: 20, requestsMax: 4, faultsMax: 0 }, limitHit: 'statesMax', states: 20 });
    const flagged = JSON.parse(runWith([withDefaults], ['explore', 'toy-lock-small', '--variant', 'correct', '--max-states', '25', '--json']).out);
    expect(flagged).toMatchObject({ limits: { statesMax: 25, requestsMax: 4 }, states: 25 });
  });

  it('reports the limit when --max-states stops the search', () => {
    // Proves: a limited search never claims exhaustion.
    const result = run(['explore', 'toy-lock', '--variant', 'correct', '--requests', '4', '--max-states', '20', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ found: false, exhausted: false, limitHit: 'statesMax', states: 20 });
  });

  it('prints the shortest path of a safety violation in text', () => {
    // Proves: the text output lists the path step by step.
    const result = run(['explore', 'toy-lock', '--variant', 'race', '--requests', '2', '--out', join(directory, 'race.json')]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('SAFETY: shortest path (6 steps):');
    expect(result.out).toContain('  5. take p1 lock 0');
  });

  const bad: Array<[string, string[], RegExp]> = [
    ['a non-integer --max-states', ['explore', 'toy-tug', '--variant', 'fixed', '--max-states', 'lots'], /--max-states must be a non-negative integer/],
    ['invalid --options', ['explore', 'toy-tug', '--variant', 'fixed', '--options', '{"hpaReplicas":0,"gitReplicas":1}'], /--options: hpaReplicas must be an integer in 1\.\.9/],
    ['non-JSON --options', ['explore', 'toy-tug', '--variant', 'fixed', '--options', '{'], /--options is not JSON/],
    ['an unknown --interleavings', ['explore', 'toy-tug', '--variant', 'fixed', '--interleavings', 'some'], /--interleavings must be all, canonical or canonical-quiet/],
    ['an unknown --mode', ['hunt', 'toy-lock', '--variant', 'race', '--mode', 'random'], /--mode must be swarm, scripted or swarm-shrink/],
    ['--path without --mode scripted', ['hunt', 'toy-lock', '--variant', 'race', '--path', '1:2'], /needs --mode scripted/],
    ['a malformed --path', ['hunt', 'toy-lock', '--variant', 'race', '--mode', 'scripted', '--path', 'x'], /--path must look like/],
  ];
  for (const [what, argv, message] of bad) {
    it(`refuses ${what} with exit 2`, () => {
      // Proves: bad input is one line on stderr and exit 2.
      const result = run(argv);
      expect(result.code).toBe(2);
      expect(result.err).toMatch(message);
    });
  }
});

describe('opsim hunt --mode scripted', () => {
  it('exits 1 with the shrunk step count and fast-check replay data, and --seed/--path reproduce it', () => {
    // Proves: the scripted hunt keeps hunt's --json fields, adds seed/path/replayPath, and replays on the first run.
    const out = join(directory, 'scripted.json');
    const result = run(['hunt', 'toy-lock', '--variant', 'deadlock', '--mode', 'scripted', '--runs', '200', '--seed', '7', '--json', '--out', out]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out);
    expect(json).toMatchObject({ driver: 'scripted', seed: 7, found: true, replayPath: null, tracePath: out });
    expect(json.violation.kind).toBe('stuck');
    // steps: the shrunk script's length; actions: every action of the run, as the trace shows.
    expect(json.violation.steps).toBe(json.script.steps.length + json.script.choices.length);
    expect(json.violation.steps).toBeLessThanOrEqual(6);
    expect(json.violation.actions).toBe(JSON.parse(readFileSync(out, 'utf8')).outcome.violation.steps);
    expect(json.violation.actions).toBeGreaterThanOrEqual(json.violation.steps);
    expect(json.path).toMatch(/^\d+(:\d+)*$/);
    const again = JSON.parse(run(['hunt', 'toy-lock', '--variant', 'deadlock', '--mode', 'scripted', '--seed', '7', '--path', json.path, '--json', '--out', join(directory, 'again.json')]).out);
    expect(again.runsToFind).toBe(1);
    expect(again.script).toEqual(json.script);
    expect(again.violation.explanation).toBe(json.violation.explanation);
    const replay = run(['replay', out]);
    expect(replay.out).toContain('replay is byte-identical');
  });

  it('exits 0 on a correct variant and prints the reproduce line on a failing one', () => {
    // Proves: same exit codes as the swarm, and the text output tells how to reproduce.
    expect(run(['hunt', 'toy-lock', '--variant', 'correct', '--mode', 'scripted', '--runs', '50']).code).toBe(0);
    const failing = run(['hunt', 'toy-lock', '--variant', 'race', '--mode', 'scripted', '--runs', '200', '--out', join(directory, 'race-s.json')]);
    expect(failing.code).toBe(1);
    expect(failing.out).toMatch(/reproduce: npm run opsim -- hunt toy-lock --variant race --mode scripted --seed 1 --path [\d:]+/);
    expect(failing.out).toContain('environment steps as taken');
  });
});

describe('opsim hunt --mode swarm-shrink', () => {
  it('exits 1 with the swarm seed, the shrunk script and a trace that replays', () => {
    // Proves: the swarm's find comes out as a shrunk script (driver swarm-shrink) with its origin, and replays byte for byte.
    const out = join(directory, 'swarm-shrink.json');
    const result = run(['hunt', 'toy-lock', '--variant', 'race', '--mode', 'swarm-shrink', '--runs', '50', '--json', '--out', out]);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.out);
    expect(json).toMatchObject({ driver: 'swarm-shrink', found: true, tracePath: out });
    expect(json.fromSwarm.seed).toBe(json.failingSeed);
    expect(json.violation.steps).toBe(json.script.steps.length + json.script.choices.length);
    expect(json.violation.steps).toBeLessThanOrEqual(json.fromSwarm.scriptLength);
    expect(run(['replay', out]).out).toContain('replay is byte-identical');
    const text = run(['hunt', 'toy-lock', '--variant', 'race', '--mode', 'swarm-shrink', '--runs', '50', '--out', join(directory, 'swarm-shrink-text.json')]);
    expect(text.out).toMatch(/the swarm's run \(seed \d+\) written down as a script of \d+ step\(s\), cut and shrunk \(\d+ fast-check shrinks\) to \d+ step\(s\)/);
    expect(run(['hunt', 'toy-lock', '--variant', 'correct', '--mode', 'swarm-shrink', '--runs', '20']).code).toBe(0);
  });
});
