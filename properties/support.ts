/**
 * The shared shape of a scenario's property suite (issue 9): under the scripted driver the buggy
 * variant's generic liveness property fails with a short shrunk script and the fixed variant's
 * passes; the explorer finds the buggy stuck state on a small configuration and exhausts the fixed
 * one (or reports its limit) without a violation. A suite is skipped until its scenario is on main.
 */
import { describe, expect, it } from 'vitest';
import { scenarioByName } from '../src/scenarios/registry.ts';
import { exploreVariant, type ExploreResult } from '../src/sim/explore.ts';
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { huntScripted, scriptLength } from '../src/sim/scripted.ts';

/** Issue 11's bound on a shrunk scripted counterexample. */
const scriptLengthTarget = 15;

export interface ScenarioSuite {
  readonly scenario: string;
  readonly scripted: {
    readonly seed: number;
    /** fast-check runs allowed to find the buggy variant's violation. */
    readonly buggyRuns: number;
    /** fast-check runs the fixed variant must pass. */
    readonly fixedRuns: number;
    /** Upper bounds on the shrunk counterexample: environment steps taken, and steps in all. */
    readonly shrunkEnvironmentStepsMax: number;
    readonly shrunkStepsMax: number;
    /**
     * For scenarios whose runs are too slow to rediscover the bug inside the test budget: start at
     * the run where a full hunt with `seed` first failed (fast-check `path`), then shrink from there.
     * The full hunt's numbers are written next to the suite.
     */
    readonly startPath?: string;
    /** Bound on shrinking effort (`fc.limitShrink`), for the same reason. */
    readonly shrinksMax?: number;
  };
  /** The explorer uses the scenario's `explore` defaults; the suite may only lower the fixed variant's limit. */
  readonly explore?: {
    /** A lower limit for the fixed variant when exhausting it would not fit the test budget (the limit is then reported). */
    readonly fixedStatesMax?: number;
  };
}

function variantOf(scenario: Scenario, name: string): ScenarioVariant {
  const variant = scenario.variants.find((candidate) => candidate.name === name);
  if (variant === undefined) throw new Error(`${scenario.name} has no variant ${name}`);
  return variant;
}

/** Measured numbers, printed so that a run of the suite shows them (shrunk steps, states, rates). */
export function note(scenario: string, what: string, detail: Record<string, unknown>): void {
  if (process.env['OPSIM_SUITE_NOTES']) process.stdout.write(`[${scenario}] ${what} ${JSON.stringify(detail)}\n`);
}

function exploreOf(scenario: Scenario, variant: ScenarioVariant, suite: ScenarioSuite): ExploreResult {
  const fixedStatesMax = variant.name === 'fixed' ? suite.explore?.fixedStatesMax : undefined;
  const started = performance.now();
  const result = exploreVariant(scenario, variant, fixedStatesMax === undefined ? {} : { statesMax: fixedStatesMax });
  const ms = performance.now() - started;
  note(scenario.name, `explore ${variant.name}`, { verdict: result.verdict, stuckKind: result.stuckKind, exhausted: result.exhausted, limitHit: result.limitHit, interleavings: result.interleavings, states: result.states, edges: result.edges, path: result.path.length, ms: Math.round(ms), statesPerSecond: Math.round((result.states * 1000) / ms) });
  return result;
}

export function scenarioSuite(suite: ScenarioSuite): void {
  const scenario = scenarioByName(suite.scenario);
  (scenario ? describe : describe.skip)(`${suite.scenario} (${scenario ? 'on main' : 'not landed yet'})`, () => {
    const found = scenario as Scenario;

    it('scripted: the buggy variant fails its liveness property with a short shrunk script', () => {
      // Proves: fast-check discovers the stuck state from generic scripts and shrinks it to a short story.
      const { seed, startPath, shrinksMax } = suite.scripted;
      const result = huntScripted(found, variantOf(found, 'buggy'), {
        runs: suite.scripted.buggyRuns,
        seed,
        ...(startPath === undefined ? {} : { path: startPath, endOnFailure: false }),
        ...(shrinksMax === undefined ? {} : { shrinksMax }),
      });
      note(suite.scenario, 'scripted buggy', { found: result.found, runsToFind: result.runsToFind, scriptLength: result.script ? scriptLength(result.script) : null, actions: result.violation?.steps, environmentSteps: result.resolved.filter((step) => step.taken !== null).map((step) => step.taken), numShrinks: result.fastCheck?.numShrinks, path: result.fastCheck?.path });
      expect(result.found).toBe(true);
      expect(result.violation?.kind).toBe('stuck');
      expect(result.resolved.filter((step) => step.taken !== null).length).toBeLessThanOrEqual(suite.scripted.shrunkEnvironmentStepsMax);
      expect(result.violation?.steps).toBeLessThanOrEqual(suite.scripted.shrunkStepsMax);
      // Issue 11: the shrunk counterexample (environment moves + explicit interleaving choices) is at most 15 steps.
      expect(scriptLength(result.script as NonNullable<typeof result.script>)).toBeLessThanOrEqual(scriptLengthTarget);
    });

    it('scripted: the fixed variant passes', () => {
      // Proves: the fixed profile survives the same generator (the property is not trivially false).
      const result = huntScripted(found, variantOf(found, 'fixed'), { runs: suite.scripted.fixedRuns, seed: suite.scripted.seed });
      note(suite.scenario, 'scripted fixed', { found: result.found, runsDone: result.runsDone, actions: result.actions });
      expect(result.violation?.explanation ?? null).toBeNull();
      expect(result.runsDone).toBe(suite.scripted.fixedRuns);
    });

    it('explore: finds the buggy stuck state with the shortest path', () => {
      // Proves: exhaustive search of the scenario's small configuration finds the stuck state the swarm hunts for.
      expect(found.explore, `${suite.scenario} declares no explore defaults`).toBeDefined();
      const result = exploreOf(found, variantOf(found, 'buggy'), suite);
      expect(result.verdict).toBe('stuck');
      expect(result.violation?.kind).toBe('stuck');
      expect(result.path.length).toBe(result.violation?.steps);
    });

    it('explore: the fixed variant is clean (exhausted, or the limit is reported)', () => {
      // Proves: no reachable state of the fixed variant's small configuration is stuck or unsafe.
      const result = exploreOf(found, variantOf(found, 'fixed'), suite);
      expect(result.violation?.explanation ?? null).toBeNull();
      expect(result.exhausted || result.limitHit !== null).toBe(true);
    });
  });
}
