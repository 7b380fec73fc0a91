/**
 * Behaviour profiles of the KubeBlocks OpsRequest controller (DESIGN.md §5). A profile is a set of
 * named flags, each a rule that changed between upstream releases; a what-if script can define its
 * own by spreading a stock profile and flipping a flag.
 *
 * Facts: shared/reference/kubeblocks.md §3.4 ("The last offline pod back online bug").
 */

/** The rules that differ between the modelled releases. */
export interface OpsBehaviourFlags {
  /**
   * `true` (v1.0.0, issue #9000): when `scaleOut.offlineInstancesToOnline` is given without
   * `replicaChanges`, the auto-sync regenerates pod names from the OLD replica count and the new
   * offline list, and counts only the requested names found there; the highest ordinal is never
   * found, so `replicas` is not raised. `false` (PR #9405, v1.0.1): replicas are adjusted only when
   * `replicaChanges` is not set, counting names from a provisionally raised replica count.
   */
  readonly onlineAutoSyncUsesOldReplicas: boolean;
  /**
   * `true` (v1.0.0): `getCreateAndDeletePodSet` always puts every `offlineInstancesToOnline` name into
   * the created set, so the ops waits for that pod even when the spec will never create it.
   * `false` (PR #9405): progress is purely the difference of the two generated name sets.
   */
  readonly onlineNamesForcedIntoCreatedSet: boolean;
}

/** A named behaviour profile. */
export interface OpsProfile {
  /** `kubeblocks@1.0.0`, or a user's own name for a proposal. */
  readonly name: string;
  readonly flags: OpsBehaviourFlags;
}

/** KubeBlocks v1.0.0 (tag 2025-05-27): shows the "last ordinal pod can not be online" hang. */
export const kubeblocks100: OpsProfile = {
  name: 'kubeblocks@1.0.0',
  flags: { onlineAutoSyncUsesOldReplicas: true, onlineNamesForcedIntoCreatedSet: true },
};

/** KubeBlocks v1.0.1: carries PR #9405 (cherry-pick 78dddecf on release-1.0). */
export const kubeblocks101: OpsProfile = {
  name: 'kubeblocks@1.0.1',
  flags: { onlineAutoSyncUsesOldReplicas: false, onlineNamesForcedIntoCreatedSet: false },
};

/** The stock profiles by name. */
export const opsProfiles: readonly OpsProfile[] = [kubeblocks100, kubeblocks101];

/** The stock profile called `name`, or undefined. */
export function opsProfileByName(name: string): OpsProfile | undefined {
  return opsProfiles.find((profile) => profile.name === name);
}
