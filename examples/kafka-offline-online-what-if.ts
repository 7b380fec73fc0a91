/**
 * What if: "would upgrading KubeBlocks 1.0.0 → 1.0.1 unstick our 'bring the broker back online'
 * OpsRequests? And what if 1.0.0 had only stopped forcing the requested names into the ops' created
 * set (a profile of our own), without the replica fix?"
 *
 * Builds the `kafka-offline-online` model for each behaviour profile from the public parts, adds the
 * stricter "every instance brought back online exists" property, and hunts it with the stock
 * swarm. Run: `npx tsx examples/kafka-offline-online-what-if.ts [runs]`.
 */
import {
  hunt,
  kafkaOfflineOnlineModel,
  kafkaSwarm,
  onlineInstancesExistProperty,
  opsPort,
  opsProfileKubeblocks100,
  opsProfileKubeblocks101,
  type KafkaExt,
  type OpsProfile,
  type Scenario,
} from '../src/index.ts';

const runs = Number(process.argv[2] ?? 200);
const noForcedNames: OpsProfile = {
  name: 'kubeblocks@1.0.0+no-forced-created-set',
  flags: { ...opsProfileKubeblocks100.flags, onlineNamesForcedIntoCreatedSet: false },
};

for (const profile of [opsProfileKubeblocks100, noForcedNames, opsProfileKubeblocks101]) {
  const model = kafkaOfflineOnlineModel(profile, [onlineInstancesExistProperty(opsPort<KafkaExt>())]);
  const scenario: Scenario = {
    name: 'what-if',
    title: 'Kafka brokers taken offline and brought back',
    variants: [{ name: profile.name, profile: profile.name, summary: profile.name, model, expect: 'clean' }],
    swarm: { ...kafkaSwarm, faultPhaseTicks: 1_500, requestsMax: 20, actionsPerRunMax: 40_000 },
    huntRunsDefault: runs,
  };
  const variant = scenario.variants[0];
  if (variant === undefined) throw new Error('no variant');
  const result = hunt(scenario, variant, { runs, seed: 1 });
  const answer = result.violation === null ? `no violation in ${result.runsDone} runs` : `${result.violation.kind} after ${result.runsToFind} run(s): ${result.violation.headline}`;
  console.log(`${profile.name.padEnd(42)} ${answer}`);
}
