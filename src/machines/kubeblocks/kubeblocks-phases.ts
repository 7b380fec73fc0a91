/**
 * Phase enums and the two phase rules of KubeBlocks release-1.0, as pure functions:
 * the Component phase (reference §1.3, first match wins) and the Cluster phase aggregated from
 * its components (§1.5). The XState machines in `kubeblocks-component/` and
 * `kubeblocks-cluster/` take their guards from here, so the table is written once.
 */

/** apis/apps/v1/component_types.go `ComponentPhase` (no `Abnormal` in 1.0+). */
export const componentPhases = ['Creating', 'Running', 'Updating', 'Stopping', 'Stopped', 'Starting', 'Deleting', 'Failed'] as const;
export type ComponentPhase = (typeof componentPhases)[number];

/** apis/apps/v1/cluster_types.go `ClusterPhase`. */
export const clusterPhases = ['Creating', 'Running', 'Updating', 'Stopping', 'Stopped', 'Deleting', 'Failed', 'Abnormal'] as const;
export type ClusterPhase = (typeof clusterPhases)[number];

/** The inputs of the Component phase decision (§1.3 "Inputs"). */
export interface ComponentPhaseInputs {
  /** The InstanceSet has a deletionTimestamp. */
  readonly isDeleting: boolean;
  /** `spec.stop` is true. */
  readonly stopped: boolean;
  /** `its.status.replicas > 0`. */
  readonly hasRunningPods: boolean;
  /** No postProvision action, or its "done" annotation is present. */
  readonly postProvisionDone: boolean;
  /** Generation annotation aligned AND `IsInstanceSetReady` (§2.5). */
  readonly isITSUpdatedNRunning: boolean;
  readonly hasRunningScaleOut: boolean;
  readonly hasRunningVolumeExpansion: boolean;
  /** Equals `hasFailedPod` on release-1.0. */
  readonly hasFailure: boolean;
}

/** Which row of the §1.3 table decided, for tests and traces. */
export type ComponentPhaseRow = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/** Options that differ between releases (row 2's postProvision clause came after v1.0.0). */
export interface ComponentPhaseRuleOptions {
  readonly stoppingWaitsForPostProvision: boolean;
}

/**
 * The Component phase, first match wins
 * (controllers/apps/component/transformer_component_status.go, release-1.0).
 * `current` is the phase before this reconcile (`''` on a fresh component).
 */
export function componentPhaseRule(
  current: ComponentPhase | '',
  inputs: ComponentPhaseInputs,
  options: ComponentPhaseRuleOptions,
): { readonly phase: ComponentPhase; readonly row: ComponentPhaseRow } {
  if (inputs.isDeleting) return { phase: 'Deleting', row: 1 };
  const stopWaits = inputs.hasRunningPods || (options.stoppingWaitsForPostProvision && !inputs.postProvisionDone);
  if (inputs.stopped && stopWaits) return { phase: 'Stopping', row: 2 };
  if (inputs.stopped) return { phase: 'Stopped', row: 3 };
  if (inputs.isITSUpdatedNRunning && !inputs.hasRunningScaleOut && !inputs.hasRunningVolumeExpansion) return { phase: 'Running', row: 4 };
  if (!inputs.hasFailure && (current === '' || current === 'Creating')) return { phase: 'Creating', row: 5 };
  if (!inputs.hasFailure && (current === 'Stopped' || current === 'Stopping' || current === 'Starting')) return { phase: 'Starting', row: 6 };
  if (!inputs.hasFailure) return { phase: 'Updating', row: 7 };
  return { phase: 'Failed', row: 8 };
}

/** Which row of the §1.5 table decided; 8 means "keep the previous phase". */
export type ClusterPhaseRow = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * `composeClusterPhase` (controllers/apps/cluster/transformer_cluster_status.go): the cluster phase
 * from its component entries, first match wins; `null` means no rule matched (row 8) and the
 * previous phase is kept. Callers skip it entirely when there are no entries.
 */
export function clusterPhaseRule(entries: readonly (ComponentPhase | '')[]): { readonly phase: ClusterPhase | null; readonly row: ClusterPhaseRow } {
  const every = (allowed: readonly (ComponentPhase | '')[]): boolean => entries.every((phase) => allowed.includes(phase));
  const some = (wanted: ComponentPhase): boolean => entries.some((phase) => phase === wanted);
  if (every(['Stopped'])) return { phase: 'Stopped', row: 1 };
  if (every(['Running', 'Stopped'])) return { phase: 'Running', row: 2 };
  if (every(['Creating', ''])) return { phase: 'Creating', row: 3 };
  if (every(['Creating', 'Running', 'Updating']) || some('Starting')) return { phase: 'Updating', row: 4 };
  if (some('Stopping')) return { phase: 'Stopping', row: 5 };
  if (every(['Failed'])) return { phase: 'Failed', row: 6 };
  if (some('Failed')) return { phase: 'Abnormal', row: 7 };
  return { phase: null, row: 8 };
}
