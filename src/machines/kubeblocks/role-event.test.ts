// Proves the role-probe event handler of §2.8: a failed probe only logs "probe event failed" and
// leaves the label alone; a success sets the role and strips an exclusive role from the other pod;
// a report from an older pod incarnation is ignored; a role not in spec.roles removes the label.
import { describe, expect, it } from 'vitest';
import { clusterCreate, nodePool } from '../../sim/cluster/index.ts';
import { postgresqlComponentDefinition } from './cluster-controller.ts';
import { roleEventController } from './instanceset-controller.ts';
import { kubeblocks103 } from './kubeblocks-profile.ts';
import { kubeblocksRuntime, kubeblocksWorldCreate, type KubeBlocksAction } from './kubeblocks-runtime.ts';
import { podUidAnnotation } from './kubeblocks-view.ts';
import type { KubeBlocksWorld, RoleProbeReport } from './kubeblocks-world.ts';

type World = KubeBlocksWorld<Record<string, never>>;

function runningWorld(): World {
  const runtime = kubeblocksRuntime<World>({ profile: kubeblocks103 });
  let world = kubeblocksWorldCreate(clusterCreate({ nodes: nodePool(3), images: ['apecloud/spilo:16'] }), [{
    name: 'pg',
    componentSpecs: [{ name: 'postgresql', componentDef: postgresqlComponentDefinition.name, replicas: 2, offlineInstances: [], instances: [], image: 'apecloud/spilo:16', volumeClaimTemplates: [], stop: false, schedulingPolicy: null }],
  }], {});
  for (let step = 0; step < 2_000; step++) {
    const actions = runtime.actions(world);
    const next = actions.find((action) => action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user') ?? actions.find((action) => action.kind === 'time' && !(action as { idle: boolean }).idle);
    if (next === undefined) break;
    world = runtime.apply(world, next as KubeBlocksAction);
  }
  return world;
}

function withReport(world: World, report: RoleProbeReport): World {
  return { ...world, roleProbes: { ...world.roleProbes, [report.pod]: report } };
}

const handler = roleEventController();

describe('role probe event handler', () => {
  const world = runningWorld();
  const pod0 = world.k8s.pods['default/pg-postgresql-0'];
  const pod1 = world.k8s.pods['default/pg-postgresql-1'];
  const primary = [pod0, pod1].find((pod) => pod?.labels['kubeblocks.io/role'] === 'primary');
  const secondary = [pod0, pod1].find((pod) => pod?.labels['kubeblocks.io/role'] === 'secondary');

  it('starts from a Running cluster with one primary and one secondary', () => {
    expect(primary).toBeDefined();
    expect(secondary).toBeDefined();
  });

  it('a report with code -1 logs "probe event failed" and changes no label', () => {
    const uid = secondary?.annotations[podUidAnnotation] ?? '';
    const result = handler.reconcile(withReport(world, { pod: secondary?.name ?? '', podUid: uid, code: -1, output: '' }), secondary?.name ?? '');
    expect(result.writes.filter((write) => write.kind === 'pod.labels')).toEqual([]);
    expect(result.writes).toContainEqual({ kind: 'log', item: `instanceset-role/${secondary?.name}`, line: 'probe event failed' });
  });

  it('a secondary reporting primary takes the label, and the exclusive role is removed from the old primary', () => {
    const uid = secondary?.annotations[podUidAnnotation] ?? '';
    const result = handler.reconcile(withReport(world, { pod: secondary?.name ?? '', podUid: uid, code: 0, output: 'primary' }), secondary?.name ?? '');
    expect(result.writes).toContainEqual({ kind: 'pod.labels', name: secondary?.name, set: { 'kubeblocks.io/role': 'primary' }, remove: [] });
    expect(result.writes).toContainEqual({ kind: 'pod.labels', name: primary?.name, set: {}, remove: ['kubeblocks.io/role'] });
  });

  it('a report from an older incarnation of the pod is ignored', () => {
    const result = handler.reconcile(withReport(world, { pod: secondary?.name ?? '', podUid: 'gone', code: 0, output: 'primary' }), secondary?.name ?? '');
    expect(result.writes.filter((write) => write.kind === 'pod.labels')).toEqual([]);
  });

  it('a role that is not in spec.roles removes the label', () => {
    const uid = secondary?.annotations[podUidAnnotation] ?? '';
    const result = handler.reconcile(withReport(world, { pod: secondary?.name ?? '', podUid: uid, code: 0, output: 'leader' }), secondary?.name ?? '');
    expect(result.writes).toContainEqual({ kind: 'pod.labels', name: secondary?.name, set: {}, remove: ['kubeblocks.io/role'] });
  });
});
