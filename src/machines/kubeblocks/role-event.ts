/**
 * The role-probe event handler (pkg/controller/instanceset/pod_role_event_handler.go, reference
 * §2.8), run by the Event reconciler (controllers/k8score/event_controller.go): it turns a kbagent
 * `roleProbe` report into the pod's `kubeblocks.io/role` label.
 *
 * - A report with a non-zero code only logs "probe event failed" and is ignored.
 * - A report from an older incarnation of the pod (another UID) is ignored.
 * - A report whose version (the Event's `eventTime`) is not newer than the one recorded on the
 *   pod is stale and ignored (`checkStaleLastRoleEventVersion`); the handler records the version
 *   of every report it applies (`LastRoleEventVersionAnnotationKey`; the key's spelling was not
 *   read, so the model names it {@link lastRoleEventVersionAnnotation}).
 * - The role label is set when the role is in `spec.roles`, removed otherwise; an exclusive role
 *   is then taken away from the other pods as the profile's {@link ExclusiveRoleRule} says.
 *
 * Upstream handles each Event object as its own work item, first in, first out; two pods' reports
 * are handled out of order only after a failed pod update (the reconcile requeues with backoff) or
 * after a controller restart (the comment in `Handle`: "event order is crucial in role probing, but
 * it's not guaranteed when controller restarted"; issues #4694, #8857). The order, and those two
 * faults, are modelled in role-event-queue.ts: only the reports at the head are offered.
 */
import type { Pod } from '../../sim/cluster/index.ts';
import { unreachable } from '../../sim/assert.ts';
import { instanceSetLabelKey, roleLabelKey } from './instance-pod.ts';
import type { InstanceSet } from './kubeblocks-objects.ts';
import type { KubeBlocksProfile } from './kubeblocks-profile.ts';
import { instanceSetPods, kubeblocksPod, podUidAnnotation } from './kubeblocks-view.ts';
import { workItem, type KbWrite, type KubeBlocksWorld, type RoleProbeReport } from './kubeblocks-world.ts';
import type { KbController, ReconcileResult } from './kubeblocks-controller.ts';

/** The model's spelling of upstream's `constant.LastRoleEventVersionAnnotationKey`. */
export const lastRoleEventVersionAnnotation = 'opsim.io/last-role-event-version';

/** The role-event version recorded on `pod`, or null when none was. */
export function recordedRoleEventVersion(pod: Pod): number | null {
  const recorded = pod.annotations[lastRoleEventVersionAnnotation];
  return recorded === undefined ? null : Number(recorded);
}

// checkStaleLastRoleEventVersion: stale when the pod already recorded this version or a newer one.
function staleFor(pod: Pod, version: number): boolean {
  const recorded = recordedRoleEventVersion(pod);
  return recorded !== null && version <= recorded;
}

/** updatePodRoleLabel + removeExclusiveRoleLabels for an accepted report of `pod`. */
function roleLabelWrites(profile: KubeBlocksProfile, view: KubeBlocksWorld, its: InstanceSet, pod: Pod, role: string, version: number): KbWrite[] {
  const spec = its.spec.roles?.find((candidate) => candidate.name === role);
  const annotate = { [lastRoleEventVersionAnnotation]: String(version) };
  const own: KbWrite = spec === undefined
    ? { kind: 'pod.labels', name: pod.name, set: {}, remove: pod.labels[roleLabelKey] === undefined ? [] : [roleLabelKey], annotate }
    : { kind: 'pod.labels', name: pod.name, set: pod.labels[roleLabelKey] === role ? {} : { [roleLabelKey]: role }, remove: [], annotate };
  if (spec === undefined || !spec.isExclusive) return [own];
  return [own, ...exclusiveStripWrites(profile, view, its, pod, role, version)];
}

function exclusiveStripWrites(profile: KubeBlocksProfile, view: KubeBlocksWorld, its: InstanceSet, pod: Pod, role: string, version: number): KbWrite[] {
  const holders = instanceSetPods(view, its.name).filter((other) => other.name !== pod.name && other.labels[roleLabelKey] === role);
  switch (profile.exclusiveRole) {
    case 'none':
      return [];
    case 'strip':
      // PR #10052: every other holder loses the label; its recorded version is left as it was (#10087).
      return holders.map((other) => ({ kind: 'pod.labels', name: other.name, set: {}, remove: [roleLabelKey] }));
    case 'strip-if-newer':
      // PR #10086: a holder that recorded this version or a newer one keeps the role.
      return holders
        .filter((other) => !staleFor(other, version))
        .map((other) => ({ kind: 'pod.labels', name: other.name, set: {}, remove: [roleLabelKey], annotate: { [lastRoleEventVersionAnnotation]: String(version) } }));
    default:
      return unreachable(profile.exclusiveRole);
  }
}

function handleReport(profile: KubeBlocksProfile, view: KubeBlocksWorld, report: RoleProbeReport): KbWrite[] {
  const log = (line: string | null): KbWrite => ({ kind: 'log', item: workItem('instanceset-role', report.pod), line });
  if (report.code !== 0) return [log('probe event failed')];
  const pod = kubeblocksPod(view, report.pod);
  const its = pod === undefined ? undefined : view.kb.instanceSets[pod.labels[instanceSetLabelKey] ?? ''];
  if (pod === undefined || its === undefined || (pod.annotations[podUidAnnotation] ?? pod.name) !== report.podUid) return [log(null)];
  if (staleFor(pod, report.version)) return [log('stale role event received, ignore it')];
  return [log(null), ...roleLabelWrites(profile, view, its, pod, report.output.trim(), report.version)];
}

/** The role-probe event handler under `profile`: one work item per pod with a pending report. */
export function roleEventController(profile: KubeBlocksProfile): KbController {
  return {
    name: 'instanceset-role',
    objectKind: 'Pod',
    reconcile(view: KubeBlocksWorld, key: string): ReconcileResult {
      const report = view.roleProbes[key];
      if (report === undefined) return { writes: [] };
      // The Event is marked handled (`role.kubeblocks.io/event-handled: count-<n>`) whatever the outcome.
      return { writes: [{ kind: 'roleProbe.handled', pod: key }, ...handleReport(profile, view, report)] };
    },
  };
}
