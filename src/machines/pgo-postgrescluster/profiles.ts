/**
 * Behaviour profiles of PGO's reconcile: the upstream step order and proposed fixes.
 *
 * - `pgo@5.7`: upstream (G:`internal/controller/postgrescluster/controller.go`, identical in
 *   v5.7.9, v5.8.9 and main): `reconcilePatroniSwitchover` runs before `reconcileInstanceSets`,
 *   and its error returns early, so no StatefulSet is re-created while a switchover fails.
 * - `pgo@5.7+instances-before-switchover` (a PROPOSAL, never released): instance sets are
 *   reconciled before the switchover step, so a failing switchover cannot block re-creating a
 *   deleted instance. Later steps (users, backups, PgBouncer) are still skipped on its error.
 * - `pgo@5.7+switchover-error-deferred` (a PROPOSAL, never released, and the better fix we argue
 *   for): upstream order kept, but a switchover error no longer skips the steps after it; it is
 *   returned at the end (controller-runtime still requeues with backoff) and recorded as a Warning
 *   Event `SwitchoverFailed` on the PostgresCluster (upstream has `// TODO: event` at each error),
 *   so every other step keeps running and the user can see why the switchover is not happening.
 */
import { profileMoveStepBefore, profileReplaceStep, type PgoProfile, type ReconcileStep } from './reconcile.ts';
import { observeInstances, reconcileInstanceSets, reconcilePatroniStatus, reconcilePatroniSwitchover } from './steps.ts';

export const pgo57: PgoProfile = {
  name: 'pgo@5.7',
  upstream: true,
  summary: 'upstream PGO 5.7: switchover before instance sets; an error returns early',
  steps: [observeInstances, reconcilePatroniStatus, reconcilePatroniSwitchover, reconcileInstanceSets],
};

export const pgo57InstancesBeforeSwitchover: PgoProfile = profileMoveStepBefore(
  pgo57,
  'reconcileInstanceSets',
  'reconcilePatroniSwitchover',
  'pgo@5.7+instances-before-switchover',
  'proposal: reconcile instance sets before the switchover step, so a failing switchover cannot block re-creating instances',
);

/** The switchover step with its error deferred and reported as a Warning Event. */
export const reconcilePatroniSwitchoverDeferred: ReconcileStep = {
  name: 'reconcilePatroniSwitchover',
  onError: 'defer',
  run(input) {
    const output = reconcilePatroniSwitchover.run(input);
    if (output.result.kind !== 'error') return output;
    const event = {
      type: 'Warning' as const,
      reason: 'SwitchoverFailed',
      message: output.result.message,
      involvedObject: `PostgresCluster/${input.view.cluster.name}`,
      source: 'postgrescluster-controller',
    };
    return { state: { ...output.state, writes: output.state.writes.concat([{ kind: 'event', event }]) }, result: output.result };
  },
};

export const pgo57SwitchoverErrorDeferred: PgoProfile = profileReplaceStep(
  pgo57,
  'reconcilePatroniSwitchover',
  reconcilePatroniSwitchoverDeferred,
  'pgo@5.7+switchover-error-deferred',
  'proposal: keep the upstream order, but a switchover error skips no later step and is reported as a Warning Event',
);

export const pgoProfiles: readonly PgoProfile[] = [pgo57, pgo57InstancesBeforeSwitchover, pgo57SwitchoverErrorDeferred];

export function pgoProfileByName(name: string): PgoProfile | undefined {
  return pgoProfiles.find((profile) => profile.name === name);
}
