/**
 * pgo-switchover-target-leader, explorer only: on the scenario's own small configuration
 * (`Scenario.explore`: two requests, no fault, `canonical-quiet` interleavings, an
 * under-approximation the result labels) the explorer proves the buggy variant stuck (the
 * switchover stays pending, unreported) and exhausts the fixed variant clean. The swarm and scripted
 * hunts of this scenario are covered by its own tests and the bench.
 */
import { describe, expect, it } from 'vitest';
import { scenarioByName } from '../src/scenarios/registry.ts';
import { exploreVariant } from '../src/sim/explore.ts';
import { note } from './support.ts';

const scenario = scenarioByName('pgo-switchover-target-leader');
(scenario ? describe : describe.skip)('pgo-switchover-target-leader (on main)', () => {
  const variant = (name: string) => scenario!.variants.find((candidate) => candidate.name === name)!;

  it('explore: finds the buggy stuck state with the shortest path, the space exhausted', () => {
    // Proves: a target that is already the leader leaves the switchover pending for ever, unreported, in every schedule explored.
    const result = exploreVariant(scenario!, variant('buggy'));
    note('pgo-switchover-target-leader', 'explore buggy', { verdict: result.verdict, stuckKind: result.stuckKind, exhausted: result.exhausted, states: result.states, edges: result.edges, path: result.path.length });
    expect(result.exhausted).toBe(true);
    expect(result.verdict).toBe('stuck');
    expect(result.violation?.property).toBe('every pending switchover is completed or reported as failed');
    expect(result.path.length).toBe(result.violation?.steps);
    expect(result.path.some((label) => label.startsWith('user switchover.target'))).toBe(true);
  });

  it('explore: the fixed variant is clean and its small configuration exhausted', () => {
    // Proves: with the switchover error deferred and reported, no explored state is stuck or unsafe.
    const result = exploreVariant(scenario!, variant('fixed'));
    note('pgo-switchover-target-leader', 'explore fixed', { verdict: result.verdict, exhausted: result.exhausted, states: result.states, edges: result.edges });
    expect(result.exhausted).toBe(true);
    expect(result.verdict).toBe('clean');
  });
});
