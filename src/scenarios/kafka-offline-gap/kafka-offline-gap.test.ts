import { describe, expect, it } from 'vitest';
import { hunt } from '../../sim/swarm.ts';
import { kafkaOfflineGapScenario } from './kafka-offline-gap.ts';

describe('kafka-offline-gap (finding on kubeblocks@1.0.1)', () => {
  it('a hunt finds an OpsRequest that Succeeds without the instance it brought back online', () => {
    // Proves the finding is reachable from generated requests on the fixed release.
    const variant = kafkaOfflineGapScenario.variants[0]!;
    const result = hunt(kafkaOfflineGapScenario, variant, { runs: 300, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.kind).toBe('safety');
    expect(result.violation?.property).toBe('every instance an OpsRequest brings back online exists when it turns Succeed');
    expect(result.violation?.explanation).toContain('does not exist');
  });
});
