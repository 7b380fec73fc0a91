/**
 * kafka-offline-online (#9000): on kubeblocks@1.0.0 bringing the highest offline instance back
 * online keeps `replicas`, and the HorizontalScaling OpsRequest stays Running forever.
 *
 * Measured (2 cores shared by six engineers, load ~20): a from-scratch scripted hunt with fast-check
 * seed 1 first fails at run 87 and shrinks 24 times to the two requests of the incident (take
 * broker-2 offline, bring it back) and 83 steps, in 123 s. The suite starts near the end of that
 * shrink path and lets fast-check finish; `npm run opsim -- hunt kafka-offline-online --mode
 * scripted` runs the whole hunt.
 * The explorer needs the `canonical-quiet` schedule (one system interleaving, requests when the
 * system is quiet): with every interleaving 20 000 states reach depth 75 only. Under it the #9000
 * deadlock is found exhaustively (10 066 states, an 89-step path with the two requests); the fixed variant is explored up to a reported limit.
 */
import { scenarioSuite } from './support.ts';

/** Seed 1's full shrink path: 86:0:1:1:2:2:3:3:2:2:3:7:5:8:7:10:7:8:8:8:13:13:11:11:11 */
const partWayDownTheShrink = '86:0:1:1:2:2:3:3:2:2:3:7:5:8:7:10:7:8:8:8:13';

scenarioSuite({
  scenario: 'kafka-offline-online',
  scripted: { seed: 1, buggyRuns: 200, fixedRuns: 20, shrunkEnvironmentStepsMax: 3, shrunkStepsMax: 100, startPath: partWayDownTheShrink },
  explore: { fixedStatesMax: 3_000 },
});
