import { describe, expect, it } from 'vitest';
import { clockCreate, clockSchedule } from './clock.ts';
import { eventsRecord } from './events.ts';
import { explore, exploreVariant, canonicalFingerprint } from './explore.ts';
import { analyse } from './explore/analysis.ts';
import { csrOf } from './explore/graph.ts';
import { followLabels } from './explore/path.ts';
import type { SearchGraph } from './explore/search.ts';
import { parseTrace, replayTrace } from './replay.ts';
import type { Scenario, ScenarioVariant } from './scenario.ts';
import { hunt } from './swarm.ts';
import { serializeTrace } from './trace.ts';
import { toyScenario } from './testing/toy-scenario.ts';
import { toyTugScenario } from './testing/toy-tug-scenario.ts';
import { toyGridExpected, toyGridScenario } from './testing/toy-grid.ts';

function variant(scenario: Scenario, name: string): ScenarioVariant {
  const found = scenario.variants.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no variant ${name}`);
  return found;
}

describe('explorer on the toy models', () => {
  it('pins the state and edge counts of the tiny toy configurations', () => {
    // Proves: structural changes to the models, the fingerprint or the move rules show up as changed numbers.
    const counts = [
      [toyScenario, 'correct', 2],
      [toyScenario, 'deadlock', 2],
      [toyScenario, 'correct', 4],
      [toyTugScenario, 'livelock', 0],
      [toyTugScenario, 'fixed', 0],
    ].map(([scenario, name, requestsMax]) => {
      const result = exploreVariant(scenario as Scenario, variant(scenario as Scenario, name as string), { requestsMax: requestsMax as number, faultsMax: 0 });
      return [name, requestsMax, result.states, result.edges, result.exhausted];
    });
    expect(counts).toEqual([
      ['correct', 2, 58, 89, true],
      ['deadlock', 2, 76, 120, true],
      ['correct', 4, 130, 221, true],
      ['livelock', 0, 20, 34, true],
      ['fixed', 0, 12, 20, true],
    ]);
  });

  it('sees exactly the states and edges of the toy grid, worked out in closed form', () => {
    // Proves: one state per distinct world and phase and every edge counted, on grids whose counts are known.
    const grid = toyGridScenario.variants[0] as ScenarioVariant;
    const seen = [[3], [4, 5, 6], [2, 2, 2, 2, 2, 2, 2, 2]].map((sizes) => {
      const result = exploreVariant(toyGridScenario, grid, { configurations: [{ sizes }], faultsMax: 0, requestsMax: 0 });
      expect(result).toMatchObject({ verdict: 'clean', exhausted: true });
      expect({ states: result.states, edges: result.edges }).toEqual(toyGridExpected(sizes));
      return [result.states, result.edges];
    });
    // 4 × 5 × 6: 120 points, 286 increments, each seen unsettled and settled, plus 120 settle edges.
    expect(seen[1]).toEqual([240, 692]);
  });

  it('finds the deadlock with the shortest path and names the point of no return', () => {
    // Proves: stuck detection by terminal components finds a deadlock, with a shortest path and no cycle.
    const result = exploreVariant(toyScenario, variant(toyScenario, 'deadlock'), { requestsMax: 2 });
    expect(result.verdict).toBe('stuck');
    expect(result.stuckKind).toBe('deadlock');
    expect(result.exhausted).toBe(true);
    expect(result.path).toEqual(['user work.request p0', 'acquire p0 lock 0', 'user work.request p1', 'acquire p1 lock 1', 'environment.settle']);
    expect(result.cycle).toBeNull();
    expect(result.violation?.headline).toBe('Process p0 is stuck in waiting since tick 0: waits for lock 1 held by p1');
    expect(result.violation?.details).toContain('explore: point of no return: after step 3 (acquire p1 lock 1) no path reaches the goal any more');
  });

  it('finds the race with a shortest path: no violation within one step less', () => {
    // Proves: BFS reports a shortest safety counterexample (a depth limit one below finds nothing and says so).
    const result = exploreVariant(toyScenario, variant(toyScenario, 'race'), { requestsMax: 2 });
    expect(result.verdict).toBe('safety');
    expect(result.path).toHaveLength(6);
    const shorter = exploreVariant(toyScenario, variant(toyScenario, 'race'), { requestsMax: 2, depthMax: 5 });
    expect(shorter.verdict).toBe('clean');
    expect(shorter.limitHit).toBe('depthMax');
    expect(shorter.exhausted).toBe(false);
  });

  it('finds the controllers-undoing-each-other livelock that the swarm cannot see, with its cycle', () => {
    // Proves: the cycle analysis finds a livelock whose every quiet point looks healthy to the swarm.
    const livelock = variant(toyTugScenario, 'livelock');
    const swarm = hunt(toyTugScenario, livelock, { runs: 100, seed: 1 });
    expect(swarm.found).toBe(false);
    const result = exploreVariant(toyTugScenario, livelock);
    expect(result.verdict).toBe('stuck');
    expect(result.stuckKind).toBe('livelock');
    expect(result.cycle).toEqual([
      'reconcile Deployment web',
      'refresh Application web',
      'time.advance 5',
      'timer argocd.selfheal',
      'reconcile Deployment web',
      'refresh Application web',
      'time.advance 15',
      'timer hpa.sync',
    ]);
    expect(result.violation?.explanation).toContain('the property comes and goes but never stays');
  });

  it('exhausts the fixed tug configuration without a violation', () => {
    // Proves: a world that loops harmlessly (the HPA's periodic sync) with the property true throughout is not stuck.
    const result = exploreVariant(toyTugScenario, variant(toyTugScenario, 'fixed'));
    expect(result).toMatchObject({ verdict: 'clean', exhausted: true, limitHit: null, stuckStates: 0 });
    expect(result.sometimesNeverSeen).toEqual([]);
  });

  it('under statesMax reports the limit and claims nothing about unexplored futures', () => {
    // Proves: soundness under limits: states that can reach unexpanded ones are never called stuck.
    const result = exploreVariant(toyScenario, variant(toyScenario, 'deadlock'), { requestsMax: 2, statesMax: 30 });
    expect(result).toMatchObject({ verdict: 'clean', exhausted: false, limitHit: 'statesMax', states: 30 });
    expect(result.closedStates).toBeLessThan(result.states);
  });

  it('replays an explore trace byte for byte', () => {
    // Proves: explore counterexamples are ordinary traces that opsim replay re-runs identically.
    for (const [scenario, name] of [[toyScenario, 'deadlock'], [toyTugScenario, 'livelock'], [toyScenario, 'race']] as const) {
      const result = exploreVariant(scenario, variant(scenario, name), { requestsMax: 2 });
      const text = serializeTrace(result.trace!);
      const replayed = replayTrace(variant(scenario, name), parseTrace(text));
      expect(replayed.identical).toBe(true);
    }
  });

  it('follows a path by labels and refuses a label that is not enabled', () => {
    // Proves: paths are replayed by label, and a stale path fails loudly rather than silently diverging.
    const model = variant(toyScenario, 'deadlock').model;
    const budget = { faultsMax: 0, requestsMax: 2 };
    expect(followLabels(model, { roundsMax: 2 }, budget, ['user work.request p0']).nodes).toHaveLength(2);
    expect(() => followLabels(model, { roundsMax: 2 }, budget, ['acquire p0 lock 0'])).toThrow(/not enabled/);
  });

  it('explores several configurations and a custom fingerprint', () => {
    // Proves: more than one initial configuration is explored, and a user fingerprint replaces the default.
    const model = variant(toyScenario, 'correct').model;
    const target = { model, scenario: 'toy-lock', variant: 'correct', profile: 'toy', swarm: toyScenario.swarm };
    const both = explore(target, { configurations: [{ roundsMax: 1 }, { roundsMax: 2 }], requestsMax: 2 });
    const one = explore(target, { configurations: [{ roundsMax: 2 }], requestsMax: 2 });
    expect(both.states).toBeGreaterThan(one.states);
    const coarse = explore(target, { configurations: [{ roundsMax: 2 }], requestsMax: 2, fingerprint: (world) => JSON.stringify(world.locks) });
    expect(coarse.states).toBeLessThan(one.states);
  });
});

describe('reduced interleavings', () => {
  it('canonical keeps the deadlock; canonical-quiet shrinks the space and misses bugs that need the environment mid-step', () => {
    // Proves: the under-approximations are what they say: fewer states, a found deadlock is real, interleaving bugs may be missed.
    const full = exploreVariant(toyScenario, variant(toyScenario, 'deadlock'), { requestsMax: 2 });
    const canonical = exploreVariant(toyScenario, variant(toyScenario, 'deadlock'), { requestsMax: 2, interleavings: 'canonical' });
    expect(canonical.states).toBeLessThanOrEqual(full.states);
    expect(canonical).toMatchObject({ verdict: 'stuck', stuckKind: 'deadlock', interleavings: 'canonical' });
    expect(canonical.violation?.details.some((detail) => detail.includes('a deadlock is one under any schedule'))).toBe(true);
    const text = serializeTrace(canonical.trace!);
    expect(replayTrace(variant(toyScenario, 'deadlock'), parseTrace(text)).identical).toBe(true);
    const quiet = exploreVariant(toyScenario, variant(toyScenario, 'deadlock'), { requestsMax: 2, interleavings: 'canonical-quiet' });
    expect(quiet.states).toBeLessThan(full.states);
    expect(quiet.verdict).toBe('clean');
    expect(exploreVariant(toyScenario, variant(toyScenario, 'race'), { requestsMax: 2, interleavings: 'canonical-quiet' }).verdict).toBe('clean');
  });
});

describe('default fingerprint', () => {
  it('keeps timers and tick stamps relative to now, leaves out absolute time, Event history and counts, keeps write counters', () => {
    // Proves: the same situation at different ticks is one state; a different timer offset or write counter is not.
    const at = (now: number, due: number, resourceVersion = 3) => ({
      now,
      clock: clockSchedule(clockCreate<string>(now), 'requeue', due, 'x'),
      resourceVersion,
      retryDueTick: now + 5,
      lastTransitionTick: now - 2,
      errors: [{ message: 'boom', count: now }],
      events: eventsRecord([], { type: 'Normal', reason: 'Scaled', message: 'm', involvedObject: 'Deployment/web', source: 's' }, now),
    });
    expect(canonicalFingerprint(at(10, 5), 10)).toBe(canonicalFingerprint(at(70, 5), 70));
    expect(canonicalFingerprint(at(10, 5), 10)).not.toBe(canonicalFingerprint(at(10, 6), 10));
    expect(canonicalFingerprint(at(10, 5), 10)).not.toBe(canonicalFingerprint(at(10, 5, 4), 10));
    expect(canonicalFingerprint({ b: 1, a: 2 }, 0)).toBe(canonicalFingerprint({ a: 2, b: 1 }, 0));
  });

  it('gives the same key from the cache as from scratch when a shared subtree meets another now', () => {
    // Proves: caching by identity never reuses a now-dependent subtree's text at another tick.
    const shared = { clock: clockSchedule(clockCreate<string>(0), 'requeue', 5, 'x'), name: 'a' };
    const first = canonicalFingerprint({ shared }, 0);
    expect(canonicalFingerprint({ shared }, 3)).not.toBe(first);
    expect(canonicalFingerprint({ shared: structuredClone(shared) }, 3)).toBe(canonicalFingerprint({ shared }, 3));
  });
});

describe('stuck analysis on hand-built graphs', () => {
  function graph(successors: number[][], holds: boolean[], expanded: boolean[]): SearchGraph {
    const count = successors.length;
    return {
      ...csrOf(successors),
      hashHi: Uint32Array.from(successors, (_, index) => index),
      hashLo: new Uint32Array(count),
      parent: Int32Array.from(successors, (_, index) => (index === 0 ? -1 : index - 1)),
      via: new Int32Array(count),
      depth: Int32Array.from(successors, (_, index) => index),
      root: Int32Array.from(successors, (_, index) => (index === 0 ? 0 : -1)),
      settled: new Uint8Array(count).fill(1),
      expanded: Uint8Array.from(expanded, (flag) => (flag ? 1 : 0)),
      eventuallyBits: Int32Array.from(holds, (flag) => (flag ? 1 : 0)),
      edges: successors.flat().length,
      limitHit: null,
      stop: null,
      sometimesSeen: [],
      depthReached: count - 1,
    };
  }

  it('tells a deadlock, a livelock and a recoverable cycle apart', () => {
    // Proves: the terminal-component rule on graphs whose answers are worked out by hand.
    // 0 → 1 (terminal, P false): deadlock.
    expect(analyse(graph([[1], []], [false, false], [true, true]), 1).finding).toMatchObject({ kind: 'deadlock', state: 1, stuckStates: 2 });
    // 0 → 1 ⇄ 2, P never holds: livelock.
    expect(analyse(graph([[1], [2], [1]], [false, false, false], [true, true, true]), 1).finding).toMatchObject({ kind: 'livelock', state: 1, flapping: false, cycle: [2, 1] });
    // 0 ⇄ 1 → 2 (terminal, P true): the cycle can be left towards the goal: not stuck.
    expect(analyse(graph([[1], [0, 2], []], [false, false, true], [true, true, true]), 1).finding).toBeNull();
  });

  it('never calls a state stuck when its future reaches an unexpanded state', () => {
    // Proves: soundness under limits on a graph: 0 → 1 where 1 was never expanded.
    const analysis = analyse(graph([[1], []], [false, false], [true, false]), 1);
    expect(analysis.finding).toBeNull();
    expect(analysis.closedStates).toBe(0);
  });
});
