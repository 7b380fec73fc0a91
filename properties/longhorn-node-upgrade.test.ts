/**
 * longhorn-node-upgrade: on longhorn@1.7.2 a replica on a re-imaged disk stays stopped and blocks
 * the engine start.
 *
 * Measured (2 cores shared, load ~20), fast-check seed 1:
 * - buggy: fails on the first run and shrinks 18 times to ONE fault, `im.restart node-2`, and 29
 *   steps: the replica goes to `error` with `failedAt` empty and is never rebuilt (the scenario
 *   `longhorn-error-replica-never-failed` now carries that story; the fixed variants carry its
 *   proposal). Not the disk-UUID story, but a stuck state of 1.7.2 all the same.
 * - fixed: FINDING. Fails at run 126 and shrinks 50 times to `user upgrade.cordon node-1` then
 *   `fault node.down node-1` (533 steps): after the node comes back the volume stays detached while
 *   its pod runs on node-1. Kept below as a finding (reported to the lead and the scenario's owner),
 *   never hidden; the test fails once the model or the proposal changes, and must then be revisited.
 * Explore: not in this suite. Under the default fingerprint the controllers' loops never close
 * (write counters) and the explorer reports its limit without a verdict.
 */
import { describe, expect, it } from 'vitest';
import { scenarioByName } from '../src/scenarios/registry.ts';
import { huntScripted } from '../src/sim/scripted.ts';
import { note } from './support.ts';

/** The fixed variant's full shrink path with seed 1: 125:4:2:2:2:2:2:2:3:3:5:6:7:11:9:7:8:8:9:9:9:22:22:22:25:35:46:27:22:7:0:2:1:1:1:1:1:1:1:9:6:15:16:25:28:27:27:35:7:11:19 */
const fixedNearTheEnd = '125:4:2:2:2:2:2:2:3:3:5:6:7:11:9:7:8:8:9:9:9:22:22:22:25:35:46:27:22:7:0:2:1:1:1:1:1:1:1:9:6:15:16:25:28:27:27:35:7';

const scenario = scenarioByName('longhorn-node-upgrade');
(scenario ? describe : describe.skip)('longhorn-node-upgrade (on main)', () => {
  const variant = (name: string) => scenario!.variants.find((candidate) => candidate.name === name)!;
  const taken = (result: ReturnType<typeof huntScripted>) => result.resolved.filter((step) => step.taken !== null).map((step) => step.taken);

  it('scripted: the buggy variant fails its liveness property with a short shrunk script', () => {
    // Proves: fast-check finds a stuck volume on longhorn@1.7.2 and shrinks it to a short story.
    const result = huntScripted(scenario!, variant('buggy'), { runs: 100, seed: 1 });
    note('longhorn-node-upgrade', 'scripted buggy', { runsToFind: result.runsToFind, shrunkSteps: result.violation?.steps, taken: taken(result), numShrinks: result.fastCheck?.numShrinks });
    expect(result.violation?.kind).toBe('stuck');
    expect(taken(result).length).toBeLessThanOrEqual(2);
    expect(result.violation?.steps).toBeLessThanOrEqual(60);
  });

  it('finding: a cordon then a node down leaves the fixed variant detached forever', () => {
    // Proves: the finding above is still there (see the header); shrinking from near the end reaches the two-step story.
    const result = huntScripted(scenario!, variant('fixed'), { runs: 200, seed: 1, path: fixedNearTheEnd, endOnFailure: false });
    note('longhorn-node-upgrade', 'scripted fixed (finding)', { shrunkSteps: result.violation?.steps, taken: taken(result), path: result.fastCheck?.path });
    expect(result.violation?.kind).toBe('stuck');
    expect(result.violation?.headline).toMatch(/^Volume vol-1 is stuck in detached/);
    expect(taken(result)).toEqual(['user upgrade.cordon node-1', 'fault node.down node-1']);
  });
});
