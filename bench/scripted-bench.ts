/** The scripted driver's figure for a variant expected to fail: runs to find and the shrunk counterexample. */
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { huntScripted, scriptLength } from '../src/sim/scripted.ts';
import { huntSwarmShrink } from '../src/sim/swarm-shrink.ts';
import { nowMs } from './measure.ts';

export interface ScriptedFigures {
  /** fast-check seed and run budget of the hunt. */
  readonly seed: number;
  readonly runs: number;
  readonly found: boolean;
  readonly runsToFind: number | null;
  /** The shrunk script: environment moves + explicit interleaving choices (issue 11 target ≤ 15). */
  readonly scriptSteps: number | null;
  /** Every action of the shrunk counterexample's run up to the verdict. */
  readonly actions: number | null;
  readonly numShrinks: number | null;
  /** Finding and shrinking together. */
  readonly ms: number;
}

/** One scripted hunt (one fast-check seed): a single measurement, not a median; shrinking dominates it. */
export function scriptedFigures(scenario: Scenario, variant: ScenarioVariant, seed: number, runs: number): ScriptedFigures {
  const started = nowMs();
  const result = huntScripted(scenario, variant, { runs, seed });
  return {
    seed,
    runs,
    found: result.found,
    runsToFind: result.runsToFind,
    scriptSteps: result.script ? scriptLength(result.script) : null,
    actions: result.violation?.steps ?? null,
    numShrinks: result.fastCheck?.numShrinks ?? null,
    ms: Math.round(nowMs() - started),
  };
}

export function formatScripted(figures: ScriptedFigures | null): string {
  if (figures === null) return '-';
  if (!figures.found) return `not found in ${figures.runs}`;
  return `${figures.scriptSteps} steps (${figures.actions} actions), run ${figures.runsToFind}`;
}

/** The swarm's find written down as a script and shrunk by fast-check (`hunt --mode swarm-shrink`). */
export interface SwarmShrinkFigures {
  readonly seed: number;
  readonly runs: number;
  readonly found: boolean;
  /** Swarm runs to the find. */
  readonly runsToFind: number | null;
  /** The swarm run's script before shrinking, and after (issue 11 target ≤ 15). */
  readonly scriptStepsBefore: number | null;
  readonly scriptSteps: number | null;
  readonly actions: number | null;
  readonly numShrinks: number | null;
  readonly ms: number;
}

/** One swarm-shrink hunt: a single measurement; shrinking dominates it. */
export function swarmShrinkFigures(scenario: Scenario, variant: ScenarioVariant, seed: number, runs: number): SwarmShrinkFigures {
  const started = nowMs();
  const result = huntSwarmShrink(scenario, variant, { runs, seed });
  return {
    seed,
    runs,
    found: result.found,
    runsToFind: result.runsToFind,
    scriptStepsBefore: result.fromSwarm?.scriptLength ?? null,
    scriptSteps: result.script ? scriptLength(result.script) : null,
    actions: result.violation?.steps ?? null,
    numShrinks: result.fromSwarm?.numShrinks ?? null,
    ms: Math.round(nowMs() - started),
  };
}

export function formatSwarmShrink(figures: SwarmShrinkFigures | null): string {
  if (figures === null) return '-';
  if (!figures.found) return `not found in ${figures.runs}`;
  return `${figures.scriptStepsBefore} → ${figures.scriptSteps} steps (${figures.actions} actions), ${(figures.ms / 1000).toFixed(0)} s`;
}
