// Proves the KubeBlocks world end to end without faults: a Cluster creates its Component, the
// Component its InstanceSet, the InstanceSet labelled pods on the substrate; Patroni roles land as
// labels and everything reaches Running and goes quiet. Also proves the controller seam.
import { describe, expect, it } from 'vitest';
import { clusterCreate, imageNormalize, nodePool } from '../../sim/cluster/index.ts';
import { postgresqlComponentDefinition } from './cluster-controller.ts';
import { componentController } from './component-controller.ts';
import type { KbController } from './kubeblocks-controller.ts';
import { kubeblocks102, kubeblocks103, type KubeBlocksProfile } from './kubeblocks-profile.ts';
import { kubeblocksRuntime, kubeblocksWorldCreate, type KubeBlocksAction } from './kubeblocks-runtime.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';

type World = KubeBlocksWorld<Record<string, never>>;

function createWorld(image: string): World {
  const k8s = clusterCreate({ nodes: nodePool(3), images: ['apecloud/spilo:16'] });
  const digest = k8s.registry[imageNormalize('apecloud/spilo:16')] as string;
  const resolved = image === 'digest' ? `apecloud/spilo@${digest}` : image;
  return kubeblocksWorldCreate(k8s, [{
    name: 'pg',
    componentSpecs: [{
      name: 'postgresql', componentDef: postgresqlComponentDefinition.name, replicas: 2, offlineInstances: [], instances: [],
      image: resolved, volumeClaimTemplates: [{ name: 'data', storageMiB: 1024 }], stop: false, schedulingPolicy: null,
    }],
  }], {});
}

// Always the first urgent action, else time; stops when only an idle step is left.
function drive(profile: KubeBlocksProfile, world: World, controllers: readonly KbController<World>[] = []): { world: World; steps: number } {
  const runtime = kubeblocksRuntime<World>({ profile, controllers });
  let current = world;
  for (let steps = 0; steps < 5_000; steps++) {
    const actions = runtime.actions(current);
    const urgent = actions.find((action) => action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user');
    const time = actions.find((action): action is Extract<KubeBlocksAction, { kind: 'time' }> => action.kind === 'time');
    if (urgent === undefined && (time === undefined || time.idle)) return { world: current, steps };
    current = runtime.apply(current, (urgent ?? time) as KubeBlocksAction);
  }
  throw new Error('did not go quiet');
}

describe('KubeBlocks world without faults', () => {
  for (const profile of [kubeblocks102, kubeblocks103]) {
    it(`${profile.name}: a 2-replica PostgreSQL cluster reaches Running with labelled pods and both roles, then goes quiet`, () => {
      const { world } = drive(profile, createWorld('apecloud/spilo:16'));
      expect(world.kb.clusters['pg']?.status.phase).toBe('Running');
      expect(world.kb.components['pg-postgresql']?.status.phase).toBe('Running');
      const its = world.kb.instanceSets['pg-postgresql'];
      expect(its?.status).toMatchObject({ replicas: 2, readyReplicas: 2, updatedReplicas: 2 });
      const pods = [...world.k8s.pods.values()].sort((left, right) => (left.name < right.name ? -1 : 1));
      expect(pods.map((pod) => pod.name)).toEqual(['pg-postgresql-0', 'pg-postgresql-1']);
      for (const pod of pods) {
        expect(pod.labels).toMatchObject({
          'app.kubernetes.io/instance': 'pg',
          'apps.kubeblocks.io/component-name': 'postgresql',
          'app.kubernetes.io/managed-by': 'kubeblocks',
          'workloads.kubeblocks.io/instance': 'pg-postgresql',
        });
        expect(pod.status.containerStatuses[0]?.image).toBe('docker.io/apecloud/spilo:16');
      }
      expect(pods.map((pod) => pod.labels['kubeblocks.io/role']).sort()).toEqual(['primary', 'secondary']);
      expect(world.k8s.pvcs.get('default/data-pg-postgresql-0')).toBeDefined();
      expect(world.queue).toEqual([]);
    });
  }

  it('a digest-pinned cluster on fresh nodes reaches Running under 1.0.2 too: status.image carries the digest', () => {
    const { world } = drive(kubeblocks102, createWorld('digest'));
    expect(world.kb.components['pg-postgresql']?.status.phase).toBe('Running');
  });

  it('a controller passed with a built-in name replaces that reconcile step', () => {
    const calls: string[] = [];
    const original = componentController(kubeblocks103) as KbController<World>;
    const spy: KbController<World> = { ...original, reconcile: (view, key) => (calls.push(key), original.reconcile(view, key)) };
    const { world } = drive(kubeblocks103, createWorld('apecloud/spilo:16'), [spy]);
    expect(calls.length).toBeGreaterThan(0);
    expect(world.kb.components['pg-postgresql']?.status.phase).toBe('Running');
  });

  it('a controller that keeps failing is requeued with backoff and its error is recorded with a count', () => {
    const failing: KbController<World> = { name: 'cluster', objectKind: 'Cluster', reconcile: () => ({ writes: [], error: 'ComponentDefinition postgresql-16 not found' }) };
    const runtime = kubeblocksRuntime<World>({ profile: kubeblocks103, controllers: [failing] });
    let world = createWorld('apecloud/spilo:16');
    for (let step = 0; step < 20; step++) {
      const action = runtime.actions(world).find((candidate) => candidate.kind !== 'fault' && candidate.kind !== 'user');
      if (action === undefined) break;
      world = runtime.apply(world, action);
    }
    expect(world.errors[0]).toMatchObject({ controller: 'cluster', key: 'pg', message: 'ComponentDefinition postgresql-16 not found' });
    expect(world.errors[0]?.count).toBeGreaterThan(2);
    expect(world.now).toBeGreaterThan(4);
  });

  it('OrderedReady (§2.6): while pod-0 is not Available, pod-1 is not created and the update reconciler logs "instances are not aligned"', () => {
    const runtime = kubeblocksRuntime<World>({ profile: kubeblocks103 });
    let world = createWorld('apecloud/spilo:16');
    // Only the KubeBlocks controllers run: no scheduler or kubelet, so pod-0 never becomes ready.
    for (let step = 0; step < 50; step++) {
      const reconcile = runtime.actions(world).find((action) => action.kind === 'controller' && 'owner' in action && action.owner === 'kubeblocks');
      if (reconcile === undefined) break;
      world = runtime.apply(world, reconcile);
    }
    expect([...world.k8s.pods.keys()]).toEqual(['default/pg-postgresql-0']);
    expect(world.logs['instanceset/pg-postgresql']).toBe('InstanceSet default/pg-postgresql instances are not aligned');
    expect(world.kb.components['pg-postgresql']?.status.phase).toBe('Creating');
  });
});

