// Proves the runtime's kept action buffers (ActionList) hand out fresh lists equal to the split of
// `actions`, call after call, and that a fill an exception cut short leaves nothing in the next list.
import { describe, expect, it } from 'vitest';
import { isEnvironmentAction } from '../../sim/model.ts';
import { clusterCreate, nodePool } from '../../sim/cluster/index.ts';
import { postgresqlComponentDefinition } from './cluster-controller.ts';
import { kubeblocks103 } from './kubeblocks-profile.ts';
import { kubeblocksRuntime, kubeblocksWorldCreate, type ExtensionAction, type KubeBlocksAction } from './kubeblocks-runtime.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';

type World = KubeBlocksWorld<Record<string, never>>;

const world: World = kubeblocksWorldCreate(clusterCreate({ nodes: nodePool(2), images: ['apecloud/spilo:16'] }), [{
  name: 'pg',
  componentSpecs: [{
    name: 'postgresql', componentDef: postgresqlComponentDefinition.name, replicas: 2, offlineInstances: [], instances: [],
    image: 'apecloud/spilo:16', volumeClaimTemplates: [{ name: 'data', storageMiB: 1024 }], stop: false, schedulingPolicy: null,
  }],
}], {});

describe('the runtime action lists', () => {
  it('are fresh arrays equal to the split of actions, and a throw mid-fill leaves nothing behind', () => {
    let throwNext = false;
    const request: ExtensionAction = { kind: 'user', owner: 'probe', label: 'user probe.poke' };
    const step: ExtensionAction = { kind: 'controller', owner: 'probe', label: 'probe.step' };
    const runtime = kubeblocksRuntime<World>({
      profile: kubeblocks103,
      clusterFaults: ['node.down', 'node.up'],
      extensions: [{
        name: 'probe',
        actions: () => {
          if (throwNext) {
            throwNext = false;
            throw new Error('cut short');
          }
          return [step, request];
        },
        apply: (current) => current,
      }],
    });
    const expectSplit = (current: World): void => {
      const all = runtime.actions(current);
      const system = runtime.systemActions(current);
      const environment = runtime.environmentActions(current);
      expect(system).toEqual(all.filter((action) => !isEnvironmentAction(action)));
      expect(environment).toEqual(all.filter((action) => isEnvironmentAction(action)));
      // Fresh arrays: a later call never changes a list handed out before.
      const again = runtime.systemActions(current);
      expect(again).not.toBe(system);
      expect(again).toEqual(system);
    };
    let current = world;
    for (let index = 0; index < 40; index++) {
      expectSplit(current);
      throwNext = true;
      expect(() => runtime.systemActions(current)).toThrow('cut short');
      throwNext = true;
      expect(() => runtime.environmentActions(current)).toThrow('cut short');
      expectSplit(current);
      const next = runtime.systemActions(current).find((action: KubeBlocksAction) => action.kind !== 'time' && action !== step) ?? runtime.systemActions(current).at(-1)!;
      current = runtime.apply(current, next);
    }
    expect(current.k8s.resourceVersion).toBeGreaterThan(world.k8s.resourceVersion);
  });
});
