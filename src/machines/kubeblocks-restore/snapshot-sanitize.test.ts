// Proves the restore sanitizing of the cluster snapshot term by term, per behaviour profile,
// against pkg/operations/restore.go (getClusterObjFromBackup, normalizeSchedulePolicy) and PR #9413.
import { describe, expect, it } from 'vitest';
import type { Backup, ClusterObjectForRestore, ClusterSpecForRestore } from './cluster-snapshot.ts';
import { annotationClusterSnapshot, annotationLastApplied, annotationOpsRequest, annotationRestoreFromBackup, backupWithClusterSnapshot, restoreSourceOf } from './cluster-snapshot.ts';
import { kubeblocks09, kubeblocks100, kubeblocks101, kubeblocks101NormalizeInstanceTemplates } from './restore-profile.ts';
import type { PodAffinityTerm, SchedulingPolicy } from './scheduling-types.ts';
import { RestoreBuildError, clusterFromBackup, nilPointerPanicMessage, normalizeLabelSelector, normalizeSchedulePolicy } from './snapshot-sanitize.ts';

const instance = 'app.kubernetes.io/instance';
const component = 'apps.kubeblocks.io/component-name';

// The term addon charts render (issue #8763): required anti-affinity on the old cluster's instance label.
function antiAffinityTerm(clusterName: string): PodAffinityTerm {
  return { labelSelector: { matchLabels: { [instance]: clusterName, [component]: 'mysql' } }, topologyKey: 'kubernetes.io/hostname' };
}

function policyFor(clusterName: string): SchedulingPolicy {
  return {
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [antiAffinityTerm(clusterName)],
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: antiAffinityTerm(clusterName) }],
      },
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: instance, operator: 'In', values: [clusterName, 'other'] }] }, topologyKey: 'topology.kubernetes.io/zone' }],
      },
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: instance, operator: 'In', values: [clusterName] }] }] } },
    },
    tolerations: [{ key: instance, operator: 'Equal', value: clusterName, effect: 'NoSchedule' }],
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { [instance]: clusterName } } }],
  };
}

function sourceCluster(): ClusterObjectForRestore {
  const spec: ClusterSpecForRestore = {
    terminationPolicy: 'Delete',
    schedulingPolicy: policyFor('my1'),
    componentSpecs: [
      {
        name: 'mysql',
        replicas: 3,
        offlineInstances: ['my1-mysql-3'],
        schedulingPolicy: policyFor('my1'),
        instances: [{ name: 'big', replicas: 1, schedulingPolicy: policyFor('my1') }],
      },
    ],
    services: [
      { name: 'lb', type: 'LoadBalancer', selector: { [instance]: 'my1' } },
      { name: 'np', type: 'NodePort', ports: [{ name: 'mysql', port: 3306, nodePort: 31000 }], selector: { [instance]: 'my1', [component]: 'mysql' } },
    ],
  };
  return {
    apiVersion: 'apps.kubeblocks.io/v1',
    kind: 'Cluster',
    metadata: { name: 'my1', namespace: 'default', annotations: { [annotationOpsRequest]: '[]', [annotationLastApplied]: '{}', 'team': 'db' } },
    spec,
  };
}

function completedBackup(): Backup {
  const backup: Backup = { name: 'backup-1', namespace: 'default', clusterName: 'my1', phase: 'Completed', annotations: {}, backupMethod: 'xtrabackup' };
  return backupWithClusterSnapshot(backup, sourceCluster());
}

const target = { clusterName: 'carrot67', namespace: 'default', volumeRestorePolicy: 'Parallel' as const, deferPostReadyUntilClusterRunning: false };

describe('cluster snapshot annotation (backup_controller.go getClusterObjectString)', () => {
  // Proves the snapshot keeps the spec verbatim and drops exactly the ops-request and last-applied annotations.
  it('stores the whole spec and filters two annotations', () => {
    const stored = JSON.parse(completedBackup().annotations[annotationClusterSnapshot] as string) as ClusterObjectForRestore;
    expect(stored.spec).toEqual(sourceCluster().spec);
    expect(stored.metadata.annotations).toEqual({ team: 'db' });
    expect(stored.metadata.name).toBe('my1');
  });
});

describe('kubeblocks@0.9: snapshot copied verbatim', () => {
  // Proves the buggy profile keeps every scheduling policy naming the old cluster (issue #8763).
  it('keeps app.kubernetes.io/instance=my1 in cluster, component and template policies', () => {
    const restored = clusterFromBackup(completedBackup(), target, kubeblocks09);
    expect(restored.metadata.name).toBe('carrot67');
    expect(restored.spec.schedulingPolicy).toEqual(policyFor('my1'));
    expect(restored.spec.componentSpecs[0]?.schedulingPolicy).toEqual(policyFor('my1'));
    expect(restored.spec.componentSpecs[0]?.instances?.[0]?.schedulingPolicy).toEqual(policyFor('my1'));
  });
});

describe('kubeblocks@1.0.1: normalizeSchedulePolicy term by term', () => {
  const restored = clusterFromBackup(completedBackup(), target, kubeblocks101);
  const policy = restored.spec.componentSpecs[0]?.schedulingPolicy;

  // Proves required anti-affinity matchLabels instance is rewritten and other labels stay.
  it('rewrites required podAntiAffinity matchLabels', () => {
    expect(policy?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.labelSelector?.matchLabels).toEqual({ [instance]: 'carrot67', [component]: 'mysql' });
  });
  // Proves preferred (weighted) anti-affinity terms are rewritten too.
  it('rewrites preferred podAntiAffinity terms', () => {
    const term = policy?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0];
    expect(term?.weight).toBe(100);
    expect(term?.podAffinityTerm.labelSelector?.matchLabels?.[instance]).toBe('carrot67');
  });
  // Proves a matchExpression on the instance key gets values [new] with its operator kept.
  it('replaces podAffinity matchExpression values, keeping the operator', () => {
    const expression = policy?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.labelSelector?.matchExpressions?.[0];
    expect(expression).toEqual({ key: instance, operator: 'In', values: ['carrot67'] });
  });
  // Proves topology spread constraint selectors are rewritten.
  it('rewrites topologySpreadConstraints selectors', () => {
    expect(policy?.topologySpreadConstraints?.[0]?.labelSelector?.matchLabels?.[instance]).toBe('carrot67');
  });
  // Proves nodeAffinity and tolerations are left alone even when they mention the instance label.
  it('leaves nodeAffinity and tolerations untouched', () => {
    expect(policy?.affinity?.nodeAffinity).toEqual(policyFor('my1').affinity?.nodeAffinity);
    expect(policy?.tolerations).toEqual(policyFor('my1').tolerations);
  });
  // Proves the cluster-level policy is normalized the same way.
  it('normalizes spec.schedulingPolicy', () => {
    expect(restored.spec.schedulingPolicy?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.labelSelector?.matchLabels?.[instance]).toBe('carrot67');
  });
  // Proves upstream leaves instance-template policies verbatim (the gap behind restore-instance-template-anti-affinity).
  it('does not touch componentSpecs[].instances[].schedulingPolicy', () => {
    expect(restored.spec.componentSpecs[0]?.instances?.[0]?.schedulingPolicy).toEqual(policyFor('my1'));
  });
  // Proves the proposal profile normalizes instance templates too.
  it('normalizes instance templates under the proposal profile', () => {
    const proposed = clusterFromBackup(completedBackup(), target, kubeblocks101NormalizeInstanceTemplates);
    const templatePolicy = proposed.spec.componentSpecs[0]?.instances?.[0]?.schedulingPolicy;
    expect(templatePolicy?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.[0]?.labelSelector?.matchLabels?.[instance]).toBe('carrot67');
  });
  // Proves a selector without the instance label keeps its identity (structural sharing).
  it('keeps selectors without the instance label as they are', () => {
    const selector = { matchLabels: { [component]: 'mysql' } };
    expect(normalizeLabelSelector(selector, 'carrot67', kubeblocks101)).toBe(selector);
  });
});

describe('getClusterObjFromBackup: the non-scheduling sanitizing', () => {
  const restored = clusterFromBackup(completedBackup(), target, kubeblocks101);
  // Proves LoadBalancer services are dropped, nodePorts reset and the instance selector removed.
  it('sanitizes services', () => {
    expect(restored.spec.services).toEqual([{ name: 'np', type: 'NodePort', ports: [{ name: 'mysql', port: 3306, nodePort: 0 }], selector: { [component]: 'mysql' } }]);
  });
  // Proves offlineInstances are cleared.
  it('clears offlineInstances', () => {
    expect(restored.spec.componentSpecs[0]?.offlineInstances).toEqual([]);
  });
  // Proves the restore-from-backup annotation names the backup per component.
  it('sets kubeblocks.io/restore-from-backup', () => {
    expect(restoreSourceOf(restored.metadata.annotations?.[annotationRestoreFromBackup], 'mysql')).toEqual({ name: 'backup-1', namespace: 'default' });
    expect(restored.metadata.annotations?.['team']).toBe('db');
  });
  // Proves a backup without a snapshot fails with upstream's Fatal message.
  it('fails Fatal without a snapshot annotation', () => {
    const bare: Backup = { ...completedBackup(), annotations: {} };
    expect(() => clusterFromBackup(bare, target, kubeblocks101)).toThrow('missing snapshot annotation in backup backup-1, kubeblocks.io/cluster-snapshot is empty in Annotations');
  });
});

describe('nil label selectors (PR #9413)', () => {
  const spreadWithoutSelector: SchedulingPolicy = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }] };
  const termWithoutSelector: SchedulingPolicy = { affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname' }] } } };
  // Proves v1.0.0 panics on a spread constraint without a selector.
  it('kubeblocks@1.0.0 panics', () => {
    expect(() => normalizeSchedulePolicy(spreadWithoutSelector, 'carrot67', kubeblocks100)).toThrow(nilPointerPanicMessage);
    try {
      normalizeSchedulePolicy(termWithoutSelector, 'carrot67', kubeblocks100);
      expect.unreachable('v1.0.0 must panic on a nil term selector');
    } catch (error) {
      expect(error).toBeInstanceOf(RestoreBuildError);
      expect((error as RestoreBuildError).type).toBe('Panic');
    }
  });
  // Proves v1.0.1 skips nil selectors and leaves the policy unchanged.
  it('kubeblocks@1.0.1 skips them', () => {
    expect(normalizeSchedulePolicy(spreadWithoutSelector, 'carrot67', kubeblocks101)).toEqual(spreadWithoutSelector);
    expect(normalizeSchedulePolicy(termWithoutSelector, 'carrot67', kubeblocks101)).toEqual(termWithoutSelector);
  });
  // Proves v0.9 never looks at selectors, so a nil one cannot crash it.
  it('kubeblocks@0.9 copies without reading selectors', () => {
    const backup = completedBackup();
    const snapshot = JSON.parse(backup.annotations[annotationClusterSnapshot] as string) as ClusterObjectForRestore;
    const withNil = { ...snapshot, spec: { ...snapshot.spec, schedulingPolicy: termWithoutSelector } };
    const crafted: Backup = { ...backup, annotations: { [annotationClusterSnapshot]: JSON.stringify(withNil) } };
    expect(clusterFromBackup(crafted, target, kubeblocks09).spec.schedulingPolicy).toEqual(termWithoutSelector);
    expect(() => clusterFromBackup(crafted, target, kubeblocks100)).toThrow(nilPointerPanicMessage);
  });
});
