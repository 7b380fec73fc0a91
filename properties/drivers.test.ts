/**
 * Determinism across drivers: the same script gives the same trace when run by the scripted driver
 * twice and when replayed from its saved trace (`opsim replay`), for generated scripts on every
 * toy model variant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrace, replayTrace } from '../src/sim/replay.ts';
import type { Scenario } from '../src/sim/scenario.ts';
import { scriptArbitrary, traceScript } from '../src/sim/scripted.ts';
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
