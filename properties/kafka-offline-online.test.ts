/**
 * kafka-offline-online (#9000): on kubeblocks@1.0.0 bringing the highest offline instance back
 * online keeps `replicas`, and the HorizontalScaling OpsRequest stays Running forever.
 *
 * Measured (2 cores, shared): a from-scratch scripted hunt with fast-check seed 1 first fails at run
 * 93 and shrinks 71 times to 5 requests/faults and 134 steps (path below). Runs here are ~1 s, so
 * the suite starts near the end of that shrink path and lets fast-check finish the shrinking; run
 * `npm run opsim -- hunt kafka-offline-online --mode scripted` for the whole hunt.
 * The explorer needs the `canonical-quiet` schedule (one system interleaving, requests when the
 * system is quiet): with every interleaving, 20 000 states reach depth 75 only. Under it the #9000
 * deadlock is found after 12 866 states (exhaustive), and the fixed variant exhausts at 13 090.
 */
import { scenarioSuite } from './support.ts';

/** Seed 1's full shrink path: 92:0:5:3:5:4:5:6:10:15:14:14:14:14:14:14:14:15:15:15:17:18:18:20:12:13:12:12:12:12:12:12:13:13:13:15:3:3:3:4:16:15:14:14:14:14:15:18:30:30:31:31:33:14:15:16:16:20:20:22:26:26:26:28:30:30:33:34:34:39:39:37 */
const partWayDownTheShrink = '92:0:5:3:5:4:5:6:10:15:14:14:14:14:14:14:14:15:15:15:17:18:18:20:12:13:12:12:12:12:12:12:13:13:13:15:3:3:3:4:16:15:14:14:14:14:15:18:30:30:31:31:33:14:15:16:16:20:20:22:26:26:26:28';

scenarioSuite({
  scenario: 'kafka-offline-online',
  scripted: { seed: 1, buggyRuns: 200, fixedRuns: 20, shrunkEnvironmentStepsMax: 6, shrunkStepsMax: 160, startPath: partWayDownTheShrink },
  explore: { configurations: [{ nodes: 1, timeoutSeconds: null }], faultsMax: 0, requestsMax: 2, statesMax: 14_000, fixedStatesMax: 4_000, interleavings: 'canonical-quiet' },
});
