/**
 * kafka-offline-gap: an OpsRequest that brings an offline broker back online Succeeds without it.
 * Generated scripts rarely find it (the scripted driver's first find was run 661, 3 steps), the
 * swarm finds it in tens of runs; swarm-shrink turns the swarm's run (140 script steps at seed 72)
 * into the incident's own short story of OpsRequests.
 */
import { describe, expect, it } from 'vitest';
import { scenarioByName } from '../src/scenarios/registry.ts';
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { scriptLength } from '../src/sim/scripted.ts';
import { huntSwarmShrink } from '../src/sim/swarm-shrink.ts';
import { note } from './support.ts';

const scenario = scenarioByName('kafka-offline-gap') as Scenario;
const buggy = scenario.variants.find((candidate) => candidate.name === 'buggy') as ScenarioVariant;

describe('kafka-offline-gap', () => {
  it('swarm-shrink: the swarm find shrinks to at most 15 script steps, ending in the request that brings a broker back', () => {
    // Proves: the recorded OpsRequests still point at the same requests after shrinking renames them
    // (hscale-N shifts), so the story shrinks to a few requests instead of stopping at the swarm's nine.
    const result = huntSwarmShrink(scenario, buggy, { runs: 500, seed: 1, shrinksMax: 2000 });
    const environment = result.resolved.filter((step) => step.taken !== null).map((step) => step.taken ?? '');
    note(scenario.name, 'swarm-shrink buggy', { runsToFind: result.runsToFind, scriptLength: result.script ? scriptLength(result.script) : null, environment });
    expect(result.found).toBe(true);
    expect(scriptLength(result.script as NonNullable<typeof result.script>)).toBeLessThanOrEqual(15);
    expect(environment.every((move) => move.startsWith('user opsrequest.'))).toBe(true);
    expect(environment.some((move) => move.includes('offlineInstancesToOnline'))).toBe(true);
  }, 120_000);
});
