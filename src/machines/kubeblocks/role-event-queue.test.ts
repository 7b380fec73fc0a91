// Proves the role Event queue: reports are offered to the handler first in, first out; a pod
// update conflict takes the head out and, once its backoff fires, puts it behind the reports
// queued meanwhile; an operator restart re-lists every pending report at one place (any order).
import { describe, expect, it } from 'vitest';
import { clusterCreate, nodePool } from '../../sim/cluster/index.ts';
import { postgresqlComponentDefinition } from './cluster-controller.ts';
import { kubeblocks103 } from './kubeblocks-profile.ts';
import { kubeblocksRuntime, kubeblocksWorldCreate, type KubeBlocksAction } from './kubeblocks-runtime.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';
import { roleEventHead, roleEventQueueExtension } from './role-event-queue.ts';

type World = KubeBlocksWorld<Record<string, never>>;
const runtime = kubeblocksRuntime<World>({ profile: kubeblocks103, extensions: [roleEventQueueExtension<World>(['pod.update-conflict', 'operator.restart'])] });

/** Drives creation taking the first enabled non-fault step (role reports handled only when `handle`) until `stop`. */
function drive(world: World, stop: (next: World) => boolean, handle = false): World {
  let current = world;
  for (let step = 0; step < 4_000; step++) {
    if (stop(current)) return current;
    const actions = runtime.actions(current);
    const next = actions.find((action) => action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user' && (handle || !action.label.startsWith('reconcile Pod'))) ?? actions.find((action) => action.kind === 'time' && !(action as { idle: boolean }).idle);
    if (next === undefined) return current;
    current = runtime.apply(current, next as KubeBlocksAction);
  }
  return current;
}

const created = kubeblocksWorldCreate(clusterCreate({ nodes: nodePool(3), images: ['apecloud/spilo:16'] }), [{
  name: 'pg',
  componentSpecs: [{ name: 'postgresql', componentDef: postgresqlComponentDefinition.name, replicas: 3, offlineInstances: [], instances: [], image: 'apecloud/spilo:16', volumeClaimTemplates: [], stop: false, schedulingPolicy: null }],
}], {});
// Role handling held back until three reports are pending.
const pending = drive(created, (world) => Object.keys(world.roleProbes).length >= 3);
const arrival = Object.keys(pending.roleProbes).sort((a, b) => pending.roleProbes[a]!.queued - pending.roleProbes[b]!.queued || a.localeCompare(b));
const byLabel = (world: World, label: string) => runtime.actions(world).find((action) => action.label === label);
const roleReconciles = (world: World) => runtime.actions(world).filter((action) => action.label.startsWith('reconcile Pod')).map((action) => action.label);

describe('role event queue', () => {
  it('holds three pending reports, and offers only the first to arrive', () => {
    expect(arrival).toHaveLength(3);
    expect(roleReconciles(pending)).toEqual([`reconcile Pod ${arrival[0]}`]);
    expect(roleEventHead(pending)).toEqual([arrival[0]]);
  });

  it('a conflict requeues the head with backoff; when it fires the report is last', () => {
    const conflict = byLabel(pending, `fault pod.update-conflict ${arrival[0]} (role event requeued)`);
    expect(conflict).toBeDefined();
    let world = runtime.apply(pending, conflict as KubeBlocksAction);
    expect(roleReconciles(world)).toEqual([`reconcile Pod ${arrival[1]}`]);
    expect(world.errors.at(-1)?.message).toContain('the object has been modified');
    const requeue = `timer requeue/instanceset-role/${arrival[0]}`;
    for (let step = 0; step < 10 && byLabel(world, requeue) === undefined; step++) {
      world = runtime.apply(world, runtime.actions(world).find((action) => action.kind === 'time') as KubeBlocksAction);
    }
    world = runtime.apply(world, byLabel(world, requeue) as KubeBlocksAction);
    const places = arrival.map((pod) => world.roleProbes[pod]!.queued);
    expect(places[0]).toBeGreaterThan(Math.max(places[1]!, places[2]!));
    expect(roleReconciles(world)).toEqual([`reconcile Pod ${arrival[1]}`]);
  });

  it('a restart re-lists every pending report at one place, so any may go first', () => {
    const restart = byLabel(pending, 'fault operator.restart (events re-listed)');
    expect(restart).toBeDefined();
    const world = runtime.apply(pending, restart as KubeBlocksAction);
    expect(roleReconciles(world).sort()).toEqual(arrival.map((pod) => `reconcile Pod ${pod}`).sort());
  });

  it('offers no restart with fewer than two pending reports', () => {
    const quiet = drive(created, () => false, true);
    expect(Object.keys(quiet.roleProbes).length).toBeLessThan(2);
    expect(byLabel(quiet, 'fault operator.restart (events re-listed)')).toBeUndefined();
  });
});
