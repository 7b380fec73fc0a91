/**
 * Scenario `restore-anti-affinity` (seed shared/seeds/003_98c5b363797202a2.txt; issue #8763): a
 * source cluster `my1` whose addon chart renders pod anti-affinity on its own instance label
 * (`app.kubernetes.io/instance=my1`), still running on a small node pool, is backed up and restored
 * into a new cluster. The Backup's `kubeblocks.io/cluster-snapshot` stores the cluster- and
 * component-level scheduling policies verbatim; the restore copies them (0.9) or rewrites the
 * instance selectors to the new name (`normalizeSchedulePolicy`, PR #8895, plus PR #9413's nil fix).
 * With the old selector, the restore job pods (prepareData) and the new cluster's pods are repelled
 * by every node that hosts a pod of `my1`: Pending forever, the cluster `Creating`, the ops `Running`.
 *
 * The swarm varies the node count and zones, the source replicas, which policy carries the term
 * (cluster, component, both, none), required vs preferred, hostname vs zone topology, an instance
 * template, a spread constraint without selector; the user backs up, restores (Parallel or Serial),
 * deletes or scales the source; nodes go down and up.
 */
import type { Scenario, ScenarioVariant } from '../../sim/scenario.ts';
import { ratio } from '../../sim/prng.ts';
import { kubeblocks09, kubeblocks100, kubeblocks101 } from '../../machines/kubeblocks-restore/restore-profile.ts';
import { restoreModel } from './restore-world.ts';

const variants: readonly ScenarioVariant[] = [
  {
    name: 'buggy',
    profile: kubeblocks09.name,
    summary: 'the snapshot scheduling policy is copied verbatim: restored pods keep anti-affinity on app.kubernetes.io/instance=my1',
    model: restoreModel('restore-anti-affinity', kubeblocks09, false),
    expect: 'stuck',
  },
  {
    name: 'fixed',
    profile: kubeblocks101.name,
    summary: 'normalizeSchedulePolicy points instance selectors at the new cluster (PR #8895) and skips nil selectors (PR #9413)',
    model: restoreModel('restore-anti-affinity', kubeblocks101, false),
    expect: 'clean',
  },
  {
    name: 'v1.0.0',
    profile: kubeblocks100.name,
    summary: 'normalizeSchedulePolicy dereferences a nil label selector (a spread constraint without one): the ops controller panics on every reconcile and the Restore stays Creating (PR #9413)',
    model: restoreModel('restore-anti-affinity', kubeblocks100, false),
    expect: 'stuck',
  },
];

/** Swarm settings shared by the restore scenarios: long enough for a backup and a restore in the fault phase. */
export const restoreSwarm = {
  faultPhaseTicks: 400,
  convergenceTicksMax: 900,
  actionsPerRunMax: 30_000,
  faultChance: ratio(1, 30),
  requestChance: ratio(1, 16),
  faultsMax: 4,
  requestsMax: 6,
} as const;

export const restoreAntiAffinityScenario: Scenario = {
  name: 'restore-anti-affinity',
  title: 'KubeBlocks restore: restored pods Pending forever on the source cluster\'s inherited anti-affinity (kubeblocks 0.9 vs 1.0.1)',
  seedDocument: 'shared/seeds/003_98c5b363797202a2.txt',
  variants,
  swarm: restoreSwarm,
  huntRunsDefault: 200,
  // One node, one source replica, two requests (backup, restore); one system interleaving with
  // requests when quiet (an under-approximation, labelled): the buggy variant is found exhaustively.
  explore: { configurations: [{ nodeCount: 1, sourceReplicas: 1 }], faultsMax: 0, requestsMax: 2, statesMax: 8_000, interleavings: 'canonical-quiet' },
};
