// Proves how KubeBlocks scheduling policies land on pods: component replaces cluster
// (scheduling_utils.go BuildSchedulingPolicy), templates overwrite wholesale (instance_util.go
// buildInstanceTemplateExt), restore jobs copy only affinity/tolerations/spread (plan/restore.go).
import { describe, expect, it } from 'vitest';
import type { ClusterScheduling } from './scheduling-policy.ts';
import { buildSchedulingPolicy, componentPodLabels, componentPodScheduling, instancePodScheduling, mergeAffinity, restoreJobPodLabels, restoreJobScheduling } from './scheduling-policy.ts';
import type { Affinity, SchedulingPolicy } from './scheduling-types.ts';

const hostname = 'kubernetes.io/hostname';
const clusterPolicy: SchedulingPolicy = {
  affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { 'app.kubernetes.io/instance': 'my1' } }, topologyKey: hostname }] } },
  tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }],
};
const componentPolicy: SchedulingPolicy = { nodeSelector: { disk: 'ssd' }, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: hostname, whenUnsatisfiable: 'ScheduleAnyway' }] };
const templatePolicy: SchedulingPolicy = { nodeName: 'node-1' };

function cluster(withComponentPolicy: boolean): ClusterScheduling {
  return {
    schedulingPolicy: clusterPolicy,
    componentSpecs: [
      { name: 'mysql', replicas: 3, ...(withComponentPolicy ? { schedulingPolicy: componentPolicy } : {}), instances: [{ name: 'pinned', replicas: 1, schedulingPolicy: templatePolicy }, { name: 'plain', replicas: 1 }] },
    ],
  };
}

describe('BuildSchedulingPolicy', () => {
  // Proves the cluster policy applies when the component has none.
  it('falls back to the cluster policy', () => {
    expect(buildSchedulingPolicy(cluster(false), 'mysql')).toEqual(clusterPolicy);
  });
  // Proves a component policy replaces the cluster's entirely (no merge of the anti-affinity).
  it('lets the component policy replace the cluster policy', () => {
    const built = buildSchedulingPolicy(cluster(true), 'mysql');
    expect(built).toEqual(componentPolicy);
    expect(built?.affinity).toBeUndefined();
  });
  // Proves no policy at any level yields no policy (pods keep the definition's scheduling).
  it('returns undefined when nothing is set', () => {
    expect(buildSchedulingPolicy({ componentSpecs: [{ name: 'mysql', replicas: 1 }] }, 'mysql')).toBeUndefined();
  });
  // Proves the data-plane affinity is merged in, its terms first, duplicates not repeated.
  it('merges the data-plane affinity', () => {
    const dataPlane: Affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { tier: 'db' } }, topologyKey: hostname }] } };
    const built = buildSchedulingPolicy(cluster(false), 'mysql', { affinity: dataPlane });
    const terms = built?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    expect(terms.map((term) => term.labelSelector?.matchLabels)).toEqual([{ tier: 'db' }, { 'app.kubernetes.io/instance': 'my1' }]);
    expect(mergeAffinity(dataPlane, dataPlane)).toEqual(dataPlane);
  });
});

describe('instance templates', () => {
  // Proves a template policy overwrites every scheduling field, dropping the inherited anti-affinity.
  it('overwrites the pod scheduling wholesale', () => {
    expect(instancePodScheduling(cluster(false), 'mysql', 'pinned')).toEqual(templatePolicy);
  });
  // Proves a template without a policy keeps the component's scheduling.
  it('keeps the component scheduling without a template policy', () => {
    expect(instancePodScheduling(cluster(false), 'mysql', 'plain')).toEqual(componentPodScheduling(cluster(false), 'mysql'));
  });
});

describe('restore job pods', () => {
  // Proves prepareData jobs copy affinity, tolerations and spread constraints but not nodeSelector/nodeName.
  it('take only affinity, tolerations and topology spread constraints', () => {
    const pod = { ...componentPolicy, ...clusterPolicy, nodeName: 'node-9', schedulerName: 'custom' };
    expect(restoreJobScheduling(pod)).toEqual({ affinity: clusterPolicy.affinity, tolerations: clusterPolicy.tolerations, topologySpreadConstraints: componentPolicy.topologySpreadConstraints });
  });
  // Proves restore job pods carry no instance label, so no instance selector ever matches them.
  it('carry dataprotection labels only', () => {
    expect(restoreJobPodLabels('r1')).toEqual({ 'app.kubernetes.io/managed-by': 'kubeblocks-dataprotection', 'dataprotection.kubeblocks.io/restore': 'r1' });
    expect(componentPodLabels('carrot67', 'mysql')).toEqual({ 'app.kubernetes.io/instance': 'carrot67', 'app.kubernetes.io/managed-by': 'kubeblocks', 'apps.kubeblocks.io/component-name': 'mysql' });
  });
});
