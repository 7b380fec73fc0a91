/**
 * Building the restored Cluster from a Backup's `kubeblocks.io/cluster-snapshot`, as
 * `RestoreOpsHandler.getClusterObjFromBackup` does (`pkg/operations/restore.go`; reference
 * kubeblocks.md §4.3), under a {@link RestoreProfile}:
 *
 * - name and namespace become the ops target; `kubeblocks.io/restore-from-backup` is set;
 * - services: LoadBalancer services are dropped, NodePort `nodePort`s reset to 0, and
 *   `app.kubernetes.io/instance` removed from selectors;
 * - every componentSpec: `offlineInstances` cleared (later release-1.0 also `tls=false`);
 * - sharding system-account `secretRef`s cleared;
 * - `normalizeSchedulePolicy` on `spec.schedulingPolicy`, each `componentSpecs[i].schedulingPolicy`
 *   and each `shardings[i].template.schedulingPolicy` (not on instance templates): in every
 *   topology-spread-constraint selector and every required and preferred podAffinity /
 *   podAntiAffinity term, a matchLabels `app.kubernetes.io/instance` gets the new cluster name, and
 *   every matchExpression on that key gets `values: [newName]` with its operator unchanged. Other
 *   labels, nodeAffinity and tolerations stay as they are.
 */
import { assert } from '../../sim/assert.ts';
import type { LabelSelector, PodAffinityRules, PodAffinityTerm, SchedulingPolicy, TopologySpreadConstraint, WeightedPodAffinityTerm } from './scheduling-types.ts';
import { labelAppInstance } from './scheduling-types.ts';
import type { Backup, ClusterObjectForRestore, ClusterServiceSpec, ClusterSpecForRestore, ComponentSpecForRestore, RestoreAnnotationOptions, ShardingSpecForRestore } from './cluster-snapshot.ts';
import { annotationClusterSnapshot, annotationRestoreFromBackup, restoreFromBackupAnnotation } from './cluster-snapshot.ts';
import type { RestoreProfile } from './restore-profile.ts';

/**
 * A restore error, typed as upstream's (`intctrlutil.NewFatalError` fails the ops; a panic is
 * recovered by controller-runtime and requeued, so the ops never moves).
 */
export class RestoreBuildError extends Error {
  override readonly name = 'RestoreBuildError';
  constructor(
    readonly type: 'Fatal' | 'Panic',
    message: string,
  ) {
    super(message);
  }
}

/** The Go runtime's message for the v1.0.0 nil-selector dereference. */
export const nilPointerPanicMessage = 'runtime error: invalid memory address or nil pointer dereference';

// --- normalizeSchedulePolicy, term by term ---------------------------------------------------

/** `updateLabelSelector`: rewrites the instance label of one selector; nil is skipped or panics. */
export function normalizeLabelSelector(selector: LabelSelector | null | undefined, newClusterName: string, profile: RestoreProfile): LabelSelector | null | undefined {
  if (selector === null || selector === undefined) {
    if (!profile.normalizeSkipsNilSelector) throw new RestoreBuildError('Panic', nilPointerPanicMessage);
    return selector;
  }
  let result = selector;
  const matchLabels = selector.matchLabels;
  if (matchLabels !== undefined && Object.hasOwn(matchLabels, labelAppInstance)) {
    result = { ...result, matchLabels: { ...matchLabels, [labelAppInstance]: newClusterName } };
  }
  const expressions = selector.matchExpressions;
  if (expressions !== undefined && expressions.some((expression) => expression.key === labelAppInstance)) {
    result = {
      ...result,
      matchExpressions: expressions.map((expression) => (expression.key === labelAppInstance ? { ...expression, values: [newClusterName] } : expression)),
    };
  }
  return result;
}

function withSelector<T extends { readonly labelSelector?: LabelSelector | null }>(holder: T, selector: LabelSelector | null | undefined): T {
  if (selector === holder.labelSelector) return holder;
  return { ...holder, labelSelector: selector };
}

function normalizeTerm(term: PodAffinityTerm, newName: string, profile: RestoreProfile): PodAffinityTerm {
  return withSelector(term, normalizeLabelSelector(term.labelSelector, newName, profile));
}

function normalizeWeightedTerm(term: WeightedPodAffinityTerm, newName: string, profile: RestoreProfile): WeightedPodAffinityTerm {
  const podAffinityTerm = normalizeTerm(term.podAffinityTerm, newName, profile);
  return podAffinityTerm === term.podAffinityTerm ? term : { ...term, podAffinityTerm };
}

function normalizeRules(rules: PodAffinityRules | undefined, newName: string, profile: RestoreProfile): PodAffinityRules | undefined {
  if (rules === undefined) return undefined;
  const required = rules.requiredDuringSchedulingIgnoredDuringExecution?.map((term) => normalizeTerm(term, newName, profile));
  const preferred = rules.preferredDuringSchedulingIgnoredDuringExecution?.map((term) => normalizeWeightedTerm(term, newName, profile));
  return {
    ...rules,
    ...(required !== undefined ? { requiredDuringSchedulingIgnoredDuringExecution: required } : {}),
    ...(preferred !== undefined ? { preferredDuringSchedulingIgnoredDuringExecution: preferred } : {}),
  };
}

/** `normalizeSchedulePolicy(cluster, policy)`: spread constraints first, then (if affinity is set) anti-affinity, then affinity. */
export function normalizeSchedulePolicy<P extends SchedulingPolicy | null | undefined>(policy: P, newClusterName: string, profile: RestoreProfile): P {
  if (policy === undefined || policy === null) return policy;
  assert(newClusterName.length > 0, 'normalizeSchedulePolicy needs the new cluster name');
  const spread = policy.topologySpreadConstraints?.map(
    (constraint): TopologySpreadConstraint => withSelector(constraint, normalizeLabelSelector(constraint.labelSelector, newClusterName, profile)),
  );
  let result: SchedulingPolicy = spread !== undefined ? { ...policy, topologySpreadConstraints: spread } : policy;
  const affinity = policy.affinity;
  if (affinity === undefined) return result as P;
  const podAntiAffinity = normalizeRules(affinity.podAntiAffinity, newClusterName, profile);
  const podAffinity = normalizeRules(affinity.podAffinity, newClusterName, profile);
  result = {
    ...result,
    affinity: {
      ...affinity,
      ...(podAntiAffinity !== undefined ? { podAntiAffinity } : {}),
      ...(podAffinity !== undefined ? { podAffinity } : {}),
    },
  };
  return result as P;
}

// --- getClusterObjFromBackup ------------------------------------------------------------------

function sanitizeServices(services: readonly ClusterServiceSpec[] | undefined): readonly ClusterServiceSpec[] | undefined {
  if (services === undefined) return undefined;
  const kept: ClusterServiceSpec[] = [];
  for (const service of services) {
    if (service.type === 'LoadBalancer') continue;
    let next = service;
    if (service.type === 'NodePort' && service.ports !== undefined) {
      next = { ...next, ports: service.ports.map((port) => ({ ...port, nodePort: 0 })) };
    }
    if (service.selector !== undefined) {
      const { [labelAppInstance]: _dropped, ...selector } = service.selector;
      next = { ...next, selector };
    }
    kept.push(next);
  }
  return kept;
}

function sanitizeComponent<C extends ComponentSpecForRestore>(component: C, newName: string, profile: RestoreProfile): C {
  // `OfflineInstances = nil`: cleared (kept as an empty list where the spec spells the field).
  let next: C = component.offlineInstances === undefined ? component : { ...component, offlineInstances: [] };
  if (profile.normalizeSchedulePolicy && component.schedulingPolicy != null) {
    next = { ...next, schedulingPolicy: normalizeSchedulePolicy(component.schedulingPolicy, newName, profile) };
  }
  if (profile.normalizeInstanceTemplates && component.instances !== undefined) {
    next = {
      ...next,
      instances: component.instances.map((template) =>
        template.schedulingPolicy == null ? template : { ...template, schedulingPolicy: normalizeSchedulePolicy(template.schedulingPolicy, newName, profile) },
      ),
    };
  }
  return next;
}

/** `rebuildShardAccountSecrets` (secretRefs cleared), then the template's policy normalized. */
function sanitizeSharding(sharding: ShardingSpecForRestore, newName: string, profile: RestoreProfile): ShardingSpecForRestore {
  const template = sharding.template;
  const systemAccounts = template.systemAccounts?.map(({ secretRef: _ref, ...account }) => account);
  const schedulingPolicy = profile.normalizeSchedulePolicy ? normalizeSchedulePolicy(template.schedulingPolicy, newName, profile) : template.schedulingPolicy;
  return {
    ...sharding,
    template: {
      ...template,
      ...(systemAccounts !== undefined ? { systemAccounts } : {}),
      ...(schedulingPolicy !== undefined ? { schedulingPolicy } : {}),
    },
  };
}

/** What a Restore OpsRequest contributes to the new cluster. */
export interface RestoreTarget extends RestoreAnnotationOptions {
  /** `spec.clusterName` of the ops: the new cluster. */
  readonly clusterName: string;
  readonly namespace: string;
}

/**
 * `getClusterObjFromBackup`: the new Cluster, or a {@link RestoreBuildError} thrown as upstream
 * would fail (missing snapshot: Fatal) or crash (v1.0.0 nil selector: Panic).
 */
export function clusterFromBackup<S extends ClusterSpecForRestore>(backup: Backup, target: RestoreTarget, profile: RestoreProfile): ClusterObjectForRestore<S> {
  const snapshot = backup.annotations[annotationClusterSnapshot];
  if (snapshot === undefined) {
    throw new RestoreBuildError('Fatal', `missing snapshot annotation in backup ${backup.name}, ${annotationClusterSnapshot} is empty in Annotations`);
  }
  const source = JSON.parse(snapshot) as ClusterObjectForRestore<S>;
  assert(source.kind === 'Cluster' && Array.isArray(source.spec.componentSpecs), `backup ${backup.name} snapshot is not a Cluster`);
  const newName = target.clusterName;
  const restoreAnnotation = restoreFromBackupAnnotation(
    backup,
    source.spec.componentSpecs.map((component) => component.name),
    target,
  );
  const services = sanitizeServices(source.spec.services);
  // Upstream order: services, offlineInstances, shard secrets, then normalize cluster → components → shardings.
  const componentSpecs = source.spec.componentSpecs.map((component) => sanitizeComponent(component, newName, profile));
  const clusterPolicy = profile.normalizeSchedulePolicy ? normalizeSchedulePolicy(source.spec.schedulingPolicy, newName, profile) : source.spec.schedulingPolicy;
  const shardings = source.spec.shardings?.map((sharding) => sanitizeSharding(sharding, newName, profile));
  const spec = {
    ...source.spec,
    componentSpecs,
    ...(clusterPolicy !== undefined ? { schedulingPolicy: clusterPolicy } : {}),
    ...(services !== undefined ? { services } : {}),
    ...(shardings !== undefined ? { shardings } : {}),
  } as S;
  return {
    apiVersion: source.apiVersion,
    kind: 'Cluster',
    metadata: {
      name: newName,
      namespace: target.namespace,
      annotations: { ...(source.metadata.annotations ?? {}), [annotationRestoreFromBackup]: restoreAnnotation },
    },
    spec,
  };
}
