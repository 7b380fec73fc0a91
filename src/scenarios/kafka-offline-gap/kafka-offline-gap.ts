/**
 * Scenario `kafka-offline-gap`: a finding of the `kafka-offline-online` hunt, kept as its own
 * scenario. On `kubeblocks@1.0.1` (with the PR #9405 fix) an OpsRequest that brings an offline
 * instance back online without `replicaChanges` turns `Succeed` with progress `0/0` and the
 * instance never comes back, when an ordinal gap sits below it: e.g. broker-2 taken offline
 * (replicas 2, offline [broker-2]), then a plain scale-in by one (replicas 1, broker-1 deleted,
 * offline still [broker-2]), then broker-2 brought back: the fix's count walks the regenerated
 * names [broker-0, broker-1], does not reach broker-2, adds nothing, and clears broker-2 from
 * `offlineInstances`. With `replicaChanges: 1` (the documented workaround) the same request
 * creates broker-1 instead of broker-2 and also Succeeds (progress 1/1). This is upstream issue
 * #9457 "scaleIn ops should consider deleting offlineInstances first" (opened 2025-06-17, after the
 * fix shipped; a scale-in leaves an ordinal gap and a later online "gets a misleading -3 pod
 * instead" of -4), closed as Stale; main's PR #10901 (2026-09) derives the targets from InstanceSet
 * instance records instead of name rules, which may remove it (UNVERIFIED, reference §3.4).
 * On 1.0.0 the same sequence hangs in Running instead (the forced created set).
 *
 * Same world and request vocabulary as `kafka-offline-online`, plus the stricter property
 * "every instance an OpsRequest brings back online exists when it turns Succeed".
 */
import type { Scenario } from '../../sim/scenario.ts';
import { onlineInstancesExistProperty } from '../../machines/kubeblocks-opsrequest/opsrequest.properties.ts';
import { kubeblocks101 } from '../../machines/kubeblocks-opsrequest/profile.ts';
import { opsPort } from '../kafka-offline-online/opsrequest-extension.ts';
import { kafkaOfflineOnlineModel, kafkaSwarm, type KafkaExt } from '../kafka-offline-online/kafka-offline-online.ts';

export const kafkaOfflineGapScenario: Scenario = {
  name: 'kafka-offline-gap',
  title: 'KubeBlocks Kafka (finding): bringing an instance back above an ordinal gap Succeeds 0/0 without the instance',
  seedDocument: 'shared/seeds/002_c46fec0e737daf47.txt',
  variants: [
    {
      name: 'buggy',
      profile: kubeblocks101.name,
      summary: 'PR #9405 counts names only up to the first one the regenerated set lacks; an ordinal gap below the instance yields 0 (cf. #9457)',
      model: kafkaOfflineOnlineModel(kubeblocks101, [onlineInstancesExistProperty(opsPort<KafkaExt>())]),
      expect: 'safety',
    },
  ],
  // Three requests in a row must succeed for the gap to form: longer runs with more requests.
  swarm: { ...kafkaSwarm, faultPhaseTicks: 1_500, requestsMax: 20, actionsPerRunMax: 40_000 },
  huntRunsDefault: 300,
};
