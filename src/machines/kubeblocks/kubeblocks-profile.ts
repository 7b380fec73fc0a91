/**
 * KubeBlocks behaviour profiles: the upstream release a model imitates, as named flags.
 *
 * A what-if script picks a profile by name (`kubeblocksProfile('kubeblocks@1.0.3')`) or defines
 * its own by spreading one and changing a flag (`{ ...kubeblocks102, name: 'mine', … }`).
 */
import { assert } from '../../sim/assert.ts';

/** How the InstanceSet decides that a pod runs the image its spec asks for (reference §2.7). */
export type ImageMatchRule =
  /**
   * `isImageMatched` of v0.9.2 … v1.0.2 (pkg/controller/instanceset/instance_util.go): spec and
   * `status.image` are split into name, tag and digest; a spec digest must equal the digest in
   * `status.image`, a spec tag must equal the tag in `status.image`, and the last path segment of
   * the names must be equal (registry and namespace ignored). `status.imageID` is never read.
   */
  | 'status-image-split'
  /**
   * `MatchContainerImageInStatus` of PR #10199 / #10257 (pkg/controllerutil/image_util.go, first
   * tag v1.0.3-beta.7): a digest-pinned spec is compared only with the digest in
   * `status.imageID`; a tag spec needs an equal tag and an equal base name in `status.image`; a
   * tagless spec needs an equal base name.
   */
  | 'digest-via-image-id'
  /**
   * A proposal upstream never shipped: the fork of beclab/Olares PR #2414 ("kubeblocks: skip check
   * pod spec,status image", fork commit beclab/kubeblocks 569c3db) counts a Ready pod as ready
   * whatever its status image says. It gives up what PR #8505 added the check for (noticing a pod
   * whose in-place image update the kubelet has not applied yet).
   */
  | 'skip';

/**
 * How the role-event handler enforces an exclusive role (`spec.roles[].isExclusive`, §2.8) when
 * it gives a pod that role (pkg/controller/instanceset/pod_role_event_handler.go,
 * `removeExclusiveRoleLabels`).
 */
export type ExclusiveRoleRule =
  /** v1.0.2 and before: the API has no `isExclusive` (PR #10052 merged 2026-02-11, after the tag). */
  | 'none'
  /**
   * PR #10052 "support exclusive replica roles to prevent stale labels" (shipped in
   * 1.0.3-beta.1, issue #10083): the label is removed from every other pod carrying the role,
   * with no version check on those pods and without stamping their version (issue #10087).
   */
  | 'strip'
  /**
   * PR #10086 "check version before remove exclusive role label" (release cherry-pick #10088,
   * 2026-03-18): a peer whose recorded role-event version is at least the event's is left alone
   * (`checkStaleLastRoleEventVersion`); a stripped peer gets the event's version.
   */
  | 'strip-if-newer';

/** A KubeBlocks behaviour profile: named flags with documented meaning. */
export interface KubeBlocksProfile {
  /** `kubeblocks@1.0.2`, or a user's own name for a proposal. */
  readonly name: string;
  /** The image-match rule the InstanceSet status reconciler uses (§2.7). */
  readonly imageMatch: ImageMatchRule;
  /**
   * Seconds after `InstanceReady` turned True within which every pod must carry a role label,
   * else the component is `Failed` with "Role probe timeout…" (§1.3,
   * `defaultRoleProbeTimeoutAfterPodsReady = 60`).
   */
  readonly roleProbeTimeoutSeconds: number;
  /**
   * Seconds a container may wait with a message (or be terminated non-zero) before the pod
   * counts as failed (§2.4, `PodContainerFailedTimeout = 10 s`).
   */
  readonly podContainerFailedTimeoutSeconds: number;
  /**
   * Whether `Stopping` also waits for the postProvision action (release-1.0 after v1.0.0, §1.3
   * row 2). Irrelevant while no ComponentDefinition has a postProvision action.
   */
  readonly stoppingWaitsForPostProvision: boolean;
  /** How an exclusive role is taken away from the other pods (§2.8). */
  readonly exclusiveRole: ExclusiveRoleRule;
  /**
   * Whether kbagent re-sends its latest role-probe output when the pod's role label changes
   * (PR #10201 "recover role labels after exclusive role cleanup", merged 2026-05-08: the label
   * mounted through the Downward API and watched with `reportOnFileChange`). Without it kbagent
   * reports only when the probe output changes.
   */
  readonly roleProbeResendOnLabelChange: boolean;
}

/** KubeBlocks v1.0.2 (tag 2026-02-06): the string-split image match on `status.image`. */
export const kubeblocks102: KubeBlocksProfile = {
  name: 'kubeblocks@1.0.2',
  imageMatch: 'status-image-split',
  roleProbeTimeoutSeconds: 60,
  podContainerFailedTimeoutSeconds: 10,
  stoppingWaitsForPostProvision: true,
  exclusiveRole: 'none',
  roleProbeResendOnLabelChange: false,
};

/**
 * KubeBlocks v1.0.3-beta.1 (March 2026, issue #10083): exclusive roles (PR #10052) whose label
 * is stripped from the other pods without a version check (issue #10087); still the
 * string-split image match (PR #10199 first ships in v1.0.3-beta.6).
 */
export const kubeblocks103beta1: KubeBlocksProfile = {
  ...kubeblocks102,
  name: 'kubeblocks@1.0.3-beta.1',
  exclusiveRole: 'strip',
};

/**
 * KubeBlocks v1.0.3: digest-aware match (PR #10199), the registry-drift fixes (PR #10257), and
 * the version check before an exclusive role label is stripped (PR #10086 / #10088).
 */
export const kubeblocks103: KubeBlocksProfile = {
  ...kubeblocks102,
  name: 'kubeblocks@1.0.3',
  imageMatch: 'digest-via-image-id',
  exclusiveRole: 'strip-if-newer',
};

/**
 * kubeblocks@1.0.3 plus PR #10201 (merged 2026-05-08; the first release tag that ships it was not
 * verified): a pod whose role label was taken away reports its role again.
 */
export const kubeblocks103RoleLabelRecovery: KubeBlocksProfile = {
  ...kubeblocks103,
  name: 'kubeblocks@1.0.3+pr10201',
  roleProbeResendOnLabelChange: true,
};

/** Proposal: kubeblocks@1.0.3 without the image check, as the Olares fork ships it (PR #2414). */
export const kubeblocks103SkipImageCheck: KubeBlocksProfile = {
  ...kubeblocks103,
  name: 'kubeblocks@1.0.3+skip-image-check',
  imageMatch: 'skip',
};

/** The built-in profiles, by name. */
export const kubeblocksProfiles: readonly KubeBlocksProfile[] = [kubeblocks102, kubeblocks103beta1, kubeblocks103, kubeblocks103RoleLabelRecovery, kubeblocks103SkipImageCheck];

/** The built-in profile called `name`; throws naming the known ones otherwise. */
export function kubeblocksProfile(name: string): KubeBlocksProfile {
  const found = kubeblocksProfiles.find((profile) => profile.name === name);
  assert(found !== undefined, `unknown KubeBlocks profile ${name}; known: ${kubeblocksProfiles.map((profile) => profile.name).join(', ')}`);
  return found;
}
