/**
 * The reconcile steps PGO's outcome depends on in these scenarios, each named after its upstream
 * function. Steps of `Reconcile` not modelled (handleDelete, image checks, certificates, services,
 * ConfigMaps, users, pgBackRest, PgBouncer, monitoring, restarts) never fail here and write
 * nothing the scenarios read, so leaving them out does not change which step runs after an error.
 */
import type { ExecResult } from '../patroni-member/rest-api.ts';
import { generateInstanceName, instancePvcName, type InstanceSetStatus, type PgoView } from './postgrescluster.ts';
import type { ObservedInstance, PgoWrite, ReconcileStep, StepInput, StepOutput } from './reconcile.ts';

const next = (input: StepInput, state = input.state): StepOutput => ({ state, result: { kind: 'continue' } });

/**
 * G:`internal/controller/postgrescluster/instance.go` `observeInstances` / `newObservedInstances`:
 * an instance is built from StatefulSets and then from pods (by the `instance` label), so a pod
 * whose StatefulSet is gone still counts, and so does a StatefulSet with no pod.
 */
export function observeInstancesOf(view: PgoView): ObservedInstance[] {
  const byName = new Map<string, { instanceSet: string; hasRunner: boolean; pods: string[] }>();
  for (const sts of view.statefulSets) byName.set(sts.name, { instanceSet: sts.instanceSet, hasRunner: true, pods: [] });
  for (const pod of view.pods) {
    const entry = byName.get(pod.instance) ?? { instanceSet: pod.instanceSet, hasRunner: false, pods: [] };
    entry.pods.push(pod.name);
    byName.set(pod.instance, entry);
  }
  return [...byName.entries()]
    .map(([name, entry]) => ({ name, instanceSet: entry.instanceSet, hasRunner: entry.hasRunner, pods: entry.pods.slice().sort() }))
    .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0));
}

function instanceStatuses(view: PgoView, observed: readonly ObservedInstance[]): InstanceSetStatus[] {
  return view.cluster.spec.instances.map((set) => {
    const runners = observed.filter((instance) => instance.instanceSet === set.name && instance.hasRunner);
    const ready = runners.filter((instance) => instance.pods.some((pod) => view.pods.find((candidate) => candidate.name === pod)?.ready === true));
    return { name: set.name, replicas: runners.length, readyReplicas: ready.length };
  });
}

export const observeInstances: ReconcileStep = {
  name: 'observeInstances',
  onError: 'return',
  run(input) {
    const observed = observeInstancesOf(input.view);
    const instances = instanceStatuses(input.view, observed);
    return next(input, { ...input.state, observed, status: { ...input.state.status, instances } });
  },
};

/** G:`internal/controller/postgrescluster/patroni.go` `reconcilePatroniStatus`: the system identifier from the DCS. */
export const reconcilePatroniStatus: ReconcileStep = {
  name: 'reconcilePatroniStatus',
  onError: 'return',
  run(input) {
    const systemIdentifier = input.view.dcsInitialize ?? '';
    const patroni = input.state.status.patroni;
    if (patroni.systemIdentifier === systemIdentifier) return next(input);
    return next(input, { ...input.state, status: { ...input.state.status, patroni: { ...patroni, systemIdentifier } } });
  },
};

/**
 * G:`internal/controller/postgrescluster/instance.go` `reconcileInstanceSets` → `scaleUpInstances`
 * with `findAvailableInstanceNames`: only instances with a StatefulSet count; a missing one is
 * re-created under the name of a pgdata PVC that has no StatefulSet, else under a new name.
 * (Scale-down and rollout are not modelled: these scenarios never change replicas or templates.)
 */
export const reconcileInstanceSets: ReconcileStep = {
  name: 'reconcileInstanceSets',
  onError: 'return',
  run(input) {
    const { view, state } = input;
    const writes: PgoWrite[] = [];
    const taken = state.observed.map((instance) => instance.name).concat(view.pvcs.map((pvc) => pvc.instance));
    for (const set of view.cluster.spec.instances) {
      const runners = state.observed.filter((instance) => instance.instanceSet === set.name && instance.hasRunner).map((instance) => instance.name);
      const available = view.pvcs
        .filter((pvc) => pvc.instanceSet === set.name && !pvc.terminating && !runners.includes(pvc.instance))
        .map((pvc) => pvc.instance)
        .sort();
      for (let count = runners.length; count < set.replicas; count++) {
        const name = available.shift() ?? generateInstanceName(view.cluster.name, set.name, taken);
        taken.push(name);
        writes.push({ kind: 'pvc.apply', name: instancePvcName(name), instance: name, instanceSet: set.name });
        writes.push({ kind: 'statefulset.apply', name, instanceSet: set.name });
      }
    }
    if (writes.length === 0) return next(input);
    return next(input, { ...state, writes: state.writes.concat(writes) });
  },
};

const error = (input: StepInput, message: string, state = input.state): StepOutput => ({ state, result: { kind: 'error', message } });

/**
 * G:`internal/controller/postgrescluster/patroni.go` `reconcilePatroniSwitchover`, in upstream
 * order: disabled → clear status; nothing pending → clear the timeline; guards; record the timeline
 * and return; a changed timeline means done; otherwise run `patronictl switchover|failover` and
 * count it a success only when stdout contains `switched over` / `failed over`
 * (G:`internal/patroni/api.go` `SwitchoverAndWait`, `FailoverAndWait`).
 */
export const reconcilePatroniSwitchover: ReconcileStep = {
  name: 'reconcilePatroniSwitchover',
  onError: 'return',
  run(input) {
    const { view, state } = input;
    const cluster = view.cluster;
    const spec = cluster.spec.switchover;
    const patroni = state.status.patroni;
    const withPatroni = (changes: Partial<typeof patroni>) => ({ ...state, status: { ...state.status, patroni: { ...patroni, ...changes } } });
    if (spec === null || !spec.enabled) {
      if (patroni.switchover === null && patroni.switchoverTimeline === null) return next(input);
      return next(input, withPatroni({ switchover: null, switchoverTimeline: null }));
    }
    const annotation = cluster.triggerSwitchover ?? '';
    if (annotation === '' || patroni.switchover === annotation) {
      return patroni.switchoverTimeline === null ? next(input) : next(input, withPatroni({ switchoverTimeline: null }));
    }
    if (input.resumed !== null) return finishAction(input, spec.type, annotation);
    if (state.observed.length <= 1) return error(input, 'Need more than one instance to switchover');
    if (spec.type === 'Failover' && (spec.targetInstance === null || spec.targetInstance === '')) return error(input, 'TargetInstance required when running failover');
    let candidate: string | null = null;
    if (spec.targetInstance !== null && spec.targetInstance !== '') {
      const target = state.observed.find((instance) => instance.name === spec.targetInstance);
      if (target === undefined) return error(input, 'TargetInstance was specified but not found in the cluster');
      if (target.pods.length !== 1) return error(input, `TargetInstance should have one pod. Pods (${target.pods.length})`);
      candidate = target.pods[0] ?? null;
    }
    const runningPod = firstRunningPod(view, state.observed);
    if (runningPod === null) return error(input, 'Could not find a running pod when attempting switchover.');
    const timeline = getTimeline(view, runningPod);
    if (timeline.kind === 'error') return error(input, timeline.message);
    if (timeline.value === 0) return error(input, 'error getting and parsing current timeline');
    if (patroni.switchoverTimeline === null || patroni.switchoverTimeline === 0) return next(input, withPatroni({ switchoverTimeline: timeline.value }));
    if (patroni.switchoverTimeline !== timeline.value) return next(input, withPatroni({ switchover: annotation, switchoverTimeline: null }));
    return { state, result: { kind: 'exec', request: { pod: runningPod, command: spec.type === 'Failover' ? 'failover' : 'switchover', candidate } } };
  },
};

function firstRunningPod(view: PgoView, observed: readonly ObservedInstance[]): string | null {
  for (const instance of observed) {
    if (instance.pods.length !== 1) continue;
    const pod = view.pods.find((candidate) => candidate.name === instance.pods[0]);
    if (pod !== undefined && pod.databaseRunning) return pod.name;
  }
  return null;
}

/** G:`internal/patroni/api.go` `GetTimeline`: the TL of the member with Role `Leader` and State `running`, else 0. */
function getTimeline(view: PgoView, pod: string): { kind: 'ok'; value: number } | { kind: 'error'; message: string } {
  const listed = view.patronictlList(pod);
  if (listed.exitCode !== 0) return { kind: 'error', message: `command terminated with exit code ${listed.exitCode}` };
  if (listed.stderr !== '') return { kind: 'error', message: listed.stderr };
  const leader = listed.members.find((member) => member.Role === 'Leader' && member.State === 'running');
  return { kind: 'ok', value: leader?.TL ?? 0 };
}

function finishAction(input: StepInput, type: 'Switchover' | 'Failover', annotation: string): StepOutput {
  const result = input.resumed as ExecResult;
  const patroni = input.state.status.patroni;
  if (result.exitCode !== 0) return error(input, `command terminated with exit code ${result.exitCode}`);
  const success = result.stdout.includes(type === 'Failover' ? 'failed over' : 'switched over');
  if (!success) return error(input, 'unable to switchover');
  return next(input, { ...input.state, status: { ...input.state.status, patroni: { ...patroni, switchover: annotation, switchoverTimeline: null } } });
}

/** Every modelled step by name, for profiles and what-if scripts. */
export const pgoSteps = { observeInstances, reconcilePatroniStatus, reconcilePatroniSwitchover, reconcileInstanceSets } as const;
