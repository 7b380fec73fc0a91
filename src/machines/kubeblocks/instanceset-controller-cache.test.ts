// Proves the InstanceSet controller's per-spec pieces (the revision-by-pod function kept per spec,
// the shared `aligned` log write) answer exactly what the plain computation gives, on the worlds
// swarm runs of the KubeBlocks scenarios pass through (instance templates included).
import { describe, expect, it } from 'vitest';
import { desiredInstances } from './instance-names.ts';
import { firstOutdated, firstOutdatedPlain, instanceRevision, instanceSetController, revisionByPodOf } from './instanceset-controller.ts';
import { roleLabelKey } from './instance-pod.ts';
import { kubeblocksProfiles } from './kubeblocks-profile.ts';
import { instanceSetPodViews } from './kubeblocks-view.ts';
import type { InstanceSet } from './kubeblocks-objects.ts';
import { kubeblocksWorldsOfRuns } from './reached-worlds.ts';

// The revision computed afresh: a copied spec misses every per-spec cache.
function plainRevisionByPod(its: InstanceSet, name: string): string | undefined {
  const fresh = { ...its, spec: { ...its.spec } };
  const desired = desiredInstances(fresh.name, fresh.spec).find((instance) => instance.name === name);
  return desired === undefined ? undefined : instanceRevision(fresh, desired.templateName);
}

describe('the InstanceSet controller per-spec caches', () => {
  it('give the plain revisions and writes on the worlds swarm runs reach', () => {
    const worlds = kubeblocksWorldsOfRuns(['pg-image-mismatch', 'pg-role-event-reorder', 'restore-instance-template-anti-affinity', 'kafka-offline-online'], () => [1, 2]);
    let asked = 0;
    let templated = 0;
    const controller = instanceSetController(kubeblocksProfiles[0]!);
    for (const world of worlds) {
      for (const its of Object.values(world.kb.instanceSets)) {
        const names = new Set([...instanceSetPodViews(world, its.name).map((pod) => pod.name), ...desiredInstances(its.name, its.spec).map((instance) => instance.name), `${its.name}-99`]);
        for (const name of names) {
          expect(revisionByPodOf(its)(name)).toBe(plainRevisionByPod(its, name));
          if (its.spec.instances.length > 0) templated++;
          asked++;
        }
        // The shared `aligned` log write says what a fresh one would.
        for (const write of controller.reconcile(world, its.name).writes) if (write.kind === 'log' && write.line === null) expect(write).toEqual({ kind: 'log', item: `instanceset/${its.name}`, line: null });
      }
    }
    expect(asked).toBeGreaterThan(10_000);
    expect(templated).toBeGreaterThan(300);
  });

  it('finds the first outdated pod the plain filter-and-sort finds, under every role priority', () => {
    // Proves: the one-scan minimum is the sort's first entry (priorities, ties broken by the greater name, NaN to the plain form).
    const worlds = kubeblocksWorldsOfRuns(['pg-image-mismatch', 'pg-image-tag-alias', 'pg-role-event-reorder'], () => [1, 2, 3]);
    const priorityChoices: readonly (readonly number[])[] = [[0, 0, 0], [2, 1, 0], [0, 1, 2], [1, 1, 5], [Number.NaN, 1, 0]];
    let outdated = 0;
    let compared = 0;
    for (const world of worlds) {
      for (const its of Object.values(world.kb.instanceSets)) {
        const views = instanceSetPodViews(world, its.name);
        // Another image makes every pod outdated; roles with other priorities reorder them.
        const variants: InstanceSet[] = [its, { ...its, spec: { ...its.spec, template: { ...its.spec.template, image: 'other:1' } } }];
        for (const variant of variants) {
          for (const priorities of priorityChoices) {
            const roles = variant.spec.roles?.map((role, index) => ({ ...role, updatePriority: priorities[index % priorities.length] as number })) ?? null;
            const withRoles = { ...variant, spec: { ...variant.spec, roles } };
            const plain = firstOutdatedPlain(withRoles, views);
            expect(firstOutdated(withRoles, views)).toBe(plain);
            if (plain !== undefined) outdated++;
            compared++;
          }
        }
        expect(views.every((view) => typeof view.labels[roleLabelKey] === 'string' || view.labels[roleLabelKey] === undefined)).toBe(true);
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(outdated).toBeGreaterThan(5_000);
  });
});
