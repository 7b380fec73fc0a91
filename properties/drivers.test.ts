/**
 * Determinism across drivers: the same script gives the same trace when run by the scripted driver
 * twice and when replayed from its saved trace (`opsim replay`), for generated scripts on every
 * toy model variant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace } from '../src/sim/replay.ts';
import type { Scenario } from '../src/sim/scenario.ts';
import { runScript, scriptArbitrary, traceScript } from '../src/sim/scripted.ts';
import { scriptFromSwarmRun } from '../src/sim/scripted/from-swarm.ts';
import { runSwarm } from '../src/sim/swarm.ts';
import { scenarioByName } from '../src/scenarios/registry.ts';
import { serializeTrace } from '../src/sim/trace.ts';
import { toyScenario } from '../src/sim/testing/toy-scenario.ts';
import { toyTugScenario } from '../src/sim/testing/toy-tug-scenario.ts';

const cases: Array<[Scenario, string]> = [
  [toyScenario, 'correct'],
  [toyScenario, 'deadlock'],
  [toyScenario, 'race'],
  [toyTugScenario, 'livelock'],
  [toyTugScenario, 'fixed'],
];

describe('determinism across drivers', () => {
  for (const [scenario, name] of cases) {
    it(`${scenario.name}/${name}: a script traces identically twice and replays byte for byte`, () => {
      // Proves: scripted runs are a function of the script alone, and replay re-runs them exactly.
      const variant = scenario.variants.find((candidate) => candidate.name === name)!;
      fc.assert(
        fc.property(scriptArbitrary(variant.model, scenario.swarm), (script) => {
          const spec = { scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm: scenario.swarm, script };
          const text = serializeTrace(traceScript(variant.model, spec));
          expect(serializeTrace(traceScript(variant.model, spec))).toBe(text);
          const replayed = replayTrace(variant, parseTrace(text));
          expect(replayed.divergence).toBeNull();
          expect(replayed.identical).toBe(true);
        }),
        { seed: 20261122, numRuns: 25 },
      );
    });
  }
});

describe('a swarm run written down as a script, on real scenarios', () => {
  // Seeds 1–3 and one the swarm found the incident at when this test was written (kafka 128,
  // kafka-offline-gap 72, pg-role-event-reorder 4).
  const real: Array<[string, string, number[]]> = [
    ['kafka-offline-online', 'buggy', [1, 2, 3, 128]],
    ['kafka-offline-gap', 'buggy', [1, 2, 3, 72]],
    ['pg-role-event-reorder', 'buggy', [1, 2, 3, 4]],
    ['longhorn-node-upgrade', 'buggy', [1, 2, 3]],
    ['pgo-replica-deleted', 'buggy', [1, 2, 3]],
  ];
  for (const [name, variantName, seeds] of real) {
    it(`${name}/${variantName}: replays to the swarm run's verdict and violation`, () => {
      // Proves: hunt --mode swarm-shrink starts from a script that is the swarm's run, on models with timers, faults and requests.
      const scenario = scenarioByName(name)!;
      const variant = scenario.variants.find((candidate) => candidate.name === variantName)!;
      for (const seed of seeds) {
        const swarmRun = runSwarm(variant.model, { scenario: name, variant: variantName, profile: variant.profile, seed, swarm: scenario.swarm }, false);
        const { script } = scriptFromSwarmRun(variant.model, scenario.swarm, seed);
        const replayed = runScript(variant.model, scenario.swarm, script, false);
        expect(replayed.outcome.verdict).toBe(swarmRun.outcome.verdict);
        expect(replayed.outcome.violation?.property ?? null).toBe(swarmRun.outcome.violation?.property ?? null);
        expect(replayed.resolved.filter((step) => step.taken === null)).toEqual([]);
      }
    });
  }
});
