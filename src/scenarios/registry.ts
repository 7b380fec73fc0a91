/**
 * The built-in scenarios, in the order `opsim list` and the demo show them. Each scenario module
 * exports one {@link Scenario}; add yours here.
 */
import type { Scenario } from '../sim/scenario.ts';
import { pgImageMismatchScenario } from './pg-image-mismatch/pg-image-mismatch.ts';
import { pgImageTagAliasScenario } from './pg-image-tag-alias/pg-image-tag-alias.ts';
import { pgRoleEventReorderScenario } from './pg-role-event-reorder/pg-role-event-reorder.ts';
import { longhornNodeUpgradeScenario } from './longhorn-node-upgrade/index.ts';
import { longhornNodeUpgradeNewNamesScenario } from './longhorn-node-upgrade-new-names/index.ts';
import { longhornNodeUpgradeDataLossScenario } from './longhorn-node-upgrade-data-loss/index.ts';
import { longhornErrorReplicaNeverFailedScenario } from './longhorn-error-replica-never-failed/index.ts';
import { longhornRebuildSlotDeadlockScenario } from './longhorn-rebuild-slot-deadlock/index.ts';
import { pgoReplicaDeleted } from './pgo-replica-deleted/index.ts';
import { pgoSwitchoverTargetLeader } from './pgo-switchover-target-leader/index.ts';
import { kafkaOfflineOnlineScenario } from './kafka-offline-online/kafka-offline-online.ts';
import { kafkaOfflineGapScenario } from './kafka-offline-gap/kafka-offline-gap.ts';
import { restoreAntiAffinityScenario } from './restore-anti-affinity/restore-anti-affinity.ts';
import { restoreInstanceTemplateAntiAffinityScenario } from './restore-instance-template-anti-affinity/restore-instance-template-anti-affinity.ts';

export const scenarios: readonly Scenario[] = [
  pgImageMismatchScenario,
  pgImageTagAliasScenario,
  pgRoleEventReorderScenario,
  kafkaOfflineOnlineScenario,
  kafkaOfflineGapScenario,
  longhornNodeUpgradeScenario,
  longhornNodeUpgradeNewNamesScenario,
  longhornNodeUpgradeDataLossScenario,
  longhornErrorReplicaNeverFailedScenario,
  longhornRebuildSlotDeadlockScenario,
  pgoReplicaDeleted,
  pgoSwitchoverTargetLeader,
  restoreAntiAffinityScenario,
  restoreInstanceTemplateAntiAffinityScenario,
];

/** The scenario called `name`, or undefined. */
export function scenarioByName(name: string): Scenario | undefined {
  return scenarios.find((scenario) => scenario.name === name);
}
