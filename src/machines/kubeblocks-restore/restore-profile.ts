/**
 * Behaviour profiles of the KubeBlocks restore path, as named flags (DESIGN.md §5). A what-if script
 * can define its own profile from the same flags.
 */

/** What the restore path does, flag by flag. */
export interface RestoreProfile {
  /** `kubeblocks@…` release or proposal name. */
  readonly name: string;
  /**
   * PR #8895 ("fix: restore mysql failed", in v1.0.0): `normalizeSchedulePolicy` rewrites every
   * `app.kubernetes.io/instance` selector in the cluster-, component- and sharding-level scheduling
   * policies to the new cluster name. Without it the snapshot's policies are copied verbatim.
   */
  readonly normalizeSchedulePolicy: boolean;
  /**
   * PR #9413 ("fix: kb crash when restoring cluster", first tag v1.0.1): nil label selectors are
   * skipped. Without it a spread constraint or term without a labelSelector dereferences nil and
   * the ops controller panics on every reconcile.
   */
  readonly normalizeSkipsNilSelector: boolean;
  /**
   * Not upstream (a proposal): also normalize `componentSpecs[].instances[].schedulingPolicy`,
   * which `getClusterObjFromBackup` leaves verbatim in every version read.
   */
  readonly normalizeInstanceTemplates: boolean;
}

/** v0.9: the snapshot's scheduling policies are copied verbatim (issue #8763). */
export const kubeblocks09: RestoreProfile = {
  name: 'kubeblocks@0.9',
  normalizeSchedulePolicy: false,
  normalizeSkipsNilSelector: false,
  normalizeInstanceTemplates: false,
};

/** v1.0.0: normalized, but a nil label selector panics (fixed by PR #9413). */
export const kubeblocks100: RestoreProfile = {
  name: 'kubeblocks@1.0.0',
  normalizeSchedulePolicy: true,
  normalizeSkipsNilSelector: false,
  normalizeInstanceTemplates: false,
};

/** v1.0.1: normalized, nil selectors skipped; instance templates still verbatim. */
export const kubeblocks101: RestoreProfile = {
  name: 'kubeblocks@1.0.1',
  normalizeSchedulePolicy: true,
  normalizeSkipsNilSelector: true,
  normalizeInstanceTemplates: false,
};

/** Proposal: v1.0.1 plus normalizing instance-template scheduling policies. */
export const kubeblocks101NormalizeInstanceTemplates: RestoreProfile = {
  name: 'kubeblocks@1.0.1+normalize-instance-templates',
  normalizeSchedulePolicy: true,
  normalizeSkipsNilSelector: true,
  normalizeInstanceTemplates: true,
};

/** The profiles this module knows, by name. */
export const restoreProfiles: readonly RestoreProfile[] = [kubeblocks09, kubeblocks100, kubeblocks101, kubeblocks101NormalizeInstanceTemplates];
