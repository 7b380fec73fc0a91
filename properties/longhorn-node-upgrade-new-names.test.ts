/**
 * longhorn-node-upgrade-new-names (#9938) under the explorer, with the scenario's explore defaults
 * (one volume, three requests, no fault, `canonical-quiet`: one system interleaving, requests
 * while the system is quiet — an under-approximation, labelled in the result). The swarm hunts
 * of this scenario are in src/scenarios/longhorn-node-upgrade/longhorn-node-upgrade.test.ts.
 *
 * Measured: buggy stuck (livelock) after cordon and drain of node-2 and a scale-down: the volume
 * detaches with 2 of 3 replica CRs, keeps Scheduled=False, and CSI refuses the attach (not ready
 * for workloads) — a 100-step path, 15 423 states, exhausted; fixed clean, 15 573 states, exhausted.
 */
import { describe, expect, it } from 'vitest';
import { scenarioByName } from '../src/scenarios/registry.ts';
import { exploreVariant } from '../src/sim/explore.ts';
import { note } from './support.ts';

const scenario = scenarioByName('longhorn-node-upgrade-new-names');
(scenario ? describe : describe.skip)('longhorn-node-upgrade-new-names (on main)', () => {
  const variant = (name: string) => scenario!.variants.find((candidate) => candidate.name === name)!;

  it('explore: the buggy variant is found stuck detached with the shortest path, the space exhausted', () => {
    // Proves: the explorer reaches #9938's stuck state from the scenario's small configuration and closes its loop.
    const result = exploreVariant(scenario!, variant('buggy'));
    note('longhorn-node-upgrade-new-names', 'explore buggy', { verdict: result.verdict, stuckKind: result.stuckKind, exhausted: result.exhausted, states: result.states, edges: result.edges, path: result.path.length, interleavings: result.interleavings });
    expect(result.interleavings).toBe('canonical-quiet');
    expect(result.exhausted).toBe(true);
    expect(result.verdict).toBe('stuck');
    expect(result.path.length).toBe(result.violation?.steps);
    expect(result.violation?.explanation).toMatch(/is detached .*Scheduled=False .*not ready for workloads/);
    // Pinned so that structural changes to the model or the explorer show up here.
    expect([result.states, result.edges, result.path.length]).toEqual([15_423, 17_603, 100]);
  });

  it('explore: the fixed variant is clean and its small configuration exhausted', () => {
    // Proves: with PR #3522 (and the proposals) no state reachable under the same budget and schedule is stuck or unsafe.
    const result = exploreVariant(scenario!, variant('fixed'));
    note('longhorn-node-upgrade-new-names', 'explore fixed', { verdict: result.verdict, exhausted: result.exhausted, states: result.states, edges: result.edges });
    expect(result.violation?.explanation ?? null).toBeNull();
    expect(result.verdict).toBe('clean');
    expect(result.exhausted).toBe(true);
    expect([result.states, result.edges]).toEqual([15_573, 17_751]);
  });
});
