// Proves the role Event queue's kept answers (the head place and the fault list kept with the
// reports and queue they read, the pod of an item kept per item, afterApply's same-queue return)
// equal the plain computation, on the worlds swarm runs of pg-role-event-reorder reach, in run
// order and out of it.
import { describe, expect, it } from 'vitest';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';
import { kubeblocksWorldsOfRuns } from './reached-worlds.ts';
import { headPlacePlain, roleEventItemReady, roleEventQueueExtension } from './role-event-queue.ts';

const worlds = kubeblocksWorldsOfRuns(['pg-role-event-reorder'], () => [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
const visits = [...worlds, ...worlds.map((_world, index) => worlds[(index * 7919) % worlds.length] as KubeBlocksWorld)];

function readyPlain(world: KubeBlocksWorld, item: string): boolean {
  if (!item.startsWith('instanceset-role/')) return true;
  const report = world.roleProbes[item.slice('instanceset-role/'.length)];
  return report === undefined || report.queued === headPlacePlain(world);
}

describe('the role Event queue kept answers', () => {
  it('equal the plain computation on reached worlds', () => {
    const faults = ['pod.update-conflict', 'operator.restart'] as const;
    const kept = roleEventQueueExtension(faults);
    let roleItems = 0;
    let offered = 0;
    for (const world of visits) {
      for (const item of [...world.queue, ...Object.keys(world.roleProbes).map((pod) => `instanceset-role/${pod}`), 'instanceset-role/none']) {
        expect(roleEventItemReady(world, item)).toBe(readyPlain(world, item));
        if (item.startsWith('instanceset-role/') && world.roleProbes[item.slice(17)] !== undefined) roleItems++;
      }
      // A fresh extension keeps nothing: its list is the plain one.
      const plain = roleEventQueueExtension(faults).actions!(world);
      expect(kept.actions!(world)).toEqual(plain);
      offered += plain.length;
    }
    expect(roleItems).toBeGreaterThan(500);
    expect(offered).toBeGreaterThan(500);
  });

  it('afterApply returns the world at once exactly when the loop would leave it', () => {
    const extension = roleEventQueueExtension(['pod.update-conflict']);
    let same = 0;
    for (let index = 1; index < worlds.length; index++) {
      const before = worlds[index - 1] as KubeBlocksWorld;
      const after = worlds[index] as KubeBlocksWorld;
      if (after.queue !== before.queue) continue;
      same++;
      expect(extension.afterApply!(before, after)).toBe(after);
      // A copy of the queue goes through the loop: no report is re-placed.
      const copied = { ...after, queue: after.queue.slice() };
      expect(extension.afterApply!(before, copied).roleProbes).toBe(after.roleProbes);
    }
    expect(same).toBeGreaterThan(300);
  });
});
