/**
 * longhorn-node-upgrade: on longhorn@1.7.2 a replica on a re-imaged disk stays stopped and blocks
 * the engine start. Measured (2 cores, shared): the scripted hunt (fast-check seed 1) fails on its
 * first run in every variant and shrinks (18 times) to ONE fault, `im.restart node-2`, and 29 steps:
 * the replica on node-2 goes to `error` with `failedAt` empty, the volume turns degraded, and
 * nothing ever rebuilds it. That is not the disk-UUID story and it also holds for the fixed
 * variant, so it is kept below as a finding (reported to the lead and the scenario's owner) rather
 * than hidden; the swarm's generator reaches it far less often because it rarely restarts an
 * instance manager with no upgrade step after it.
 * Explore: not in this suite. Under the default fingerprint the volume and node controllers' loops
 * never close (write counters) and the explorer reports its limit without a verdict.
 */
import { describe, expect, it } from 'vitest';
import { scenarioByName } from '../src/scenarios/registry.ts';
import { huntScripted } from '../src/sim/scripted.ts';
import { note } from './support.ts';

const scenario = scenarioByName('longhorn-node-upgrade');
(scenario ? describe : describe.skip)('longhorn-node-upgrade (on main)', () => {
  const variant = (name: string) => scenario!.variants.find((candidate) => candidate.name === name)!;

  it('scripted: the buggy variant fails its liveness property with a short shrunk script', () => {
    // Proves: fast-check finds a stuck volume on longhorn@1.7.2 and shrinks it to a short story.
    const result = huntScripted(scenario!, variant('buggy'), { runs: 100, seed: 1 });
    const taken = result.resolved.filter((step) => step.taken !== null).map((step) => step.taken);
    note('longhorn-node-upgrade', 'scripted buggy', { runsToFind: result.runsToFind, shrunkSteps: result.violation?.steps, taken, numShrinks: result.fastCheck?.numShrinks });
    expect(result.violation?.kind).toBe('stuck');
    expect(taken.length).toBeLessThanOrEqual(2);
    expect(result.violation?.steps).toBeLessThanOrEqual(60);
  });

  it('finding: an instance-manager restart leaves even the fixed variant degraded forever', () => {
    // Proves: the finding above is still there; when the model rebuilds such a replica this test fails and the suite must be updated.
    const result = huntScripted(scenario!, variant('fixed'), { runs: 100, seed: 1 });
    const taken = result.resolved.filter((step) => step.taken !== null).map((step) => step.taken);
    note('longhorn-node-upgrade', 'scripted fixed (finding)', { runsToFind: result.runsToFind, shrunkSteps: result.violation?.steps, taken });
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.headline).toMatch(/^Volume vol-1 is stuck in degraded/);
    expect(taken).toEqual(['fault im.restart node-2']);
  });
});
