/**
 * pg-image-mismatch: KubeBlocks 1.0.2 never counts a Ready pod pinned to a digest whose status
 * shows a tag; 1.0.3 compares imageID. Small configuration for the explorer: one node, one replica,
 * created pinned to the digest, one fault (enough for the node to hold the tag as well).
 */
import { scenarioSuite } from './support.ts';

scenarioSuite({
  scenario: 'pg-image-mismatch',
  scripted: { seed: 1, buggyRuns: 200, fixedRuns: 40, shrunkEnvironmentStepsMax: 2, shrunkStepsMax: 120 },
});
