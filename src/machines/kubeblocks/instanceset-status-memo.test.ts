// Proves the InstanceSet status kept between calls (computeInstanceSetStatus) gives exactly what the
// plain pass gives (computeInstanceSetStatusPlain): on random sequences of pod lists that change a
// few views at a time, and on the worlds swarm runs of the KubeBlocks scenarios pass through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roleLabelKey, revisionLabelKey, type InstancePodView } from './instance-pod.ts';
import { computeInstanceSetStatus, computeInstanceSetStatusKept, computeInstanceSetStatusPlain, type InstanceSetStatusResult } from './instanceset-status.ts';
import type { InstanceSet } from './kubeblocks-objects.ts';
import { kubeblocksProfiles } from './kubeblocks-profile.ts';
import { instanceSetPodViews } from './kubeblocks-view.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';
import { kubeblocksWorldsOfRuns } from './reached-worlds.ts';

const revisionOf = (name: string): string | undefined => (name.endsWith('-3') ? undefined : name.includes('tpl') ? 'rev-2' : 'rev-1');

function expectSame(memo: InstanceSetStatusResult, plain: InstanceSetStatusResult): void {
  // JSON text: key order and the members' order count, as they do in traces.
  expect(JSON.stringify(memo)).toBe(JSON.stringify(plain));
}

const names = ['pg-0', 'pg-1', 'pg-2', 'pg-3', 'pg-10', 'pg-tpl-0', 'pg-tpl-1', 'other-0'];
const tickOrNull = fc.option(fc.integer({ min: 0, max: 40 }), { nil: null });

const containerArbitrary = fc.record({
  name: fc.constant('postgresql'),
  specImage: fc.constantFrom('apecloud/spilo:16', 'apecloud/spilo:15'),
  statusImage: fc.constantFrom(null, 'docker.io/apecloud/spilo:16', 'apecloud/spilo:16', 'docker.io/apecloud/spilo:15'),
  statusImageId: fc.constantFrom(null, '', 'docker.io/apecloud/spilo@sha256:1111111111111111111111111111111111111111111111111111111111111111'),
  waitingMessage: fc.constantFrom(null, null, 'Back-off pulling image'),
  terminatedExitCode: fc.constantFrom(null, null, 0, 1),
  running: fc.boolean(),
});

const viewArbitrary = (name: string): fc.Arbitrary<InstancePodView> =>
  fc.record({
    name: fc.constant(name),
    uid: fc.constant(`${name}-uid`),
    labels: fc.record({ [revisionLabelKey]: fc.constantFrom('rev-1', 'rev-2'), [roleLabelKey]: fc.constantFrom('primary', 'secondary', 'learner') }, { requiredKeys: [] }),
    nodeName: fc.constantFrom(null, 'node-1'),
    phase: fc.constantFrom('', 'Pending', 'Running', 'Running', 'Failed'),
    terminating: fc.boolean(),
    ready: fc.boolean(),
    readySinceTick: tickOrNull,
    containersReadyTransitionTick: tickOrNull,
    containers: fc.array(containerArbitrary, { minLength: 1, maxLength: 2 }),
  });

const rolesArbitrary = fc.option(
  fc.array(fc.record({ name: fc.constantFrom('primary', 'secondary', 'learner'), updatePriority: fc.integer({ min: 0, max: 3 }), isExclusive: fc.boolean() }), { maxLength: 3 }),
  { nil: null },
);

const itsArbitrary = fc.record({
  replicas: fc.integer({ min: 0, max: 6 }),
  minReadySeconds: fc.constantFrom(0, 0, 5),
  roles: rolesArbitrary,
  conditionStatus: fc.constantFrom('True', 'False'),
});

function instanceSet(name: string, spec: { replicas: number; minReadySeconds: number; roles: InstanceSet['spec']['roles']; conditionStatus: 'True' | 'False' }): InstanceSet {
  return {
    name,
    clusterName: 'pg',
    componentName: name,
    generation: 2,
    componentGeneration: 1,
    deleting: false,
    spec: {
      replicas: spec.replicas,
      minReadySeconds: spec.minReadySeconds,
      template: { containerName: 'postgresql', image: 'apecloud/spilo:16', schedulingPolicy: null },
      instances: [],
      offlineInstances: [],
      podManagementPolicy: 'OrderedReady',
      parallelConcurrency: 1,
      roles: spec.roles,
      volumeClaimTemplates: [],
      podLabels: {},
    },
    status: {
      observedGeneration: 1,
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      updatedReplicas: 0,
      currentReplicas: 0,
      updateRevision: 'rev-1',
      currentRevision: 'rev-0',
      conditions: [{ type: 'InstanceReady', status: spec.conditionStatus, reason: 'Ready', message: '', lastTransitionTick: 3 }],
      membersStatus: [],
    },
    readiness: { value: 'NotReady', context: {} },
  };
}

// One step of a pod list's life: a view replaced (often by an equal copy, as a pod write that
// changes nothing the view shows), added, removed, or the whole list reversed.
const stepArbitrary = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), keep: fc.constantFrom('content', 'name', 'nothing'), view: fc.constantFrom(...names).chain(viewArbitrary) }),
  fc.record({ kind: fc.constant('add' as const), view: fc.constantFrom(...names).chain(viewArbitrary) }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('reverse' as const) }),
);

describe('computeInstanceSetStatus kept between calls', () => {
  it('equals the plain pass on random pod lists changing a few views per call, under every profile', () => {
    // Proves: reused facts never answer for a replaced view, a moved name, another profile, spec or now.
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...names).chain(viewArbitrary), { maxLength: 6 }),
        fc.nat({ max: kubeblocksProfiles.length - 1 }),
        fc.array(
          fc.record({
            step: stepArbitrary,
            its: itsArbitrary,
            // Mostly the sequence's profile and InstanceSet, so that the kept facts are reused.
            profile: fc.option(fc.nat({ max: kubeblocksProfiles.length - 1 }), { freq: 4, nil: null }),
            now: fc.integer({ min: 0, max: 60 }),
            itsName: fc.constantFrom('a', 'a', 'a', 'b'),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        (initial, profileIndex, calls) => {
          let pods = initial;
          for (const call of calls) {
            pods = stepped(pods, call.step);
            const profile = kubeblocksProfiles[call.profile ?? profileIndex]!;
            const its = instanceSet(call.itsName, call.its);
            const plain = computeInstanceSetStatusPlain(profile, its, pods, 'rev-1', revisionOf, call.now);
            // The kept path at every length (the public entry walks short lists afresh).
            expectSame(computeInstanceSetStatusKept(profile, its, pods, 'rev-1', revisionOf, call.now), plain);
            expectSame(computeInstanceSetStatus(profile, its, pods, 'rev-1', revisionOf, call.now), plain);
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('equals the plain pass on the worlds swarm runs of the KubeBlocks scenarios reach, in run order and out of it', () => {
    // Proves: on real pod views (and a 30-pod cluster), at the run's now and later, under every profile and minReadySeconds.
    const worlds = worldsOfRuns();
    const visits = [...worlds, ...worlds.map((_world, index) => worlds[(index * 7919) % worlds.length] as KubeBlocksWorld)];
    let compared = 0;
    let largest = 0;
    // One profile at a time, so that consecutive calls reuse the kept facts (another profile starts afresh).
    for (const [index, profile] of kubeblocksProfiles.entries()) {
      for (const world of visits) {
        for (const its of Object.values(world.kb.instanceSets)) {
          const views = instanceSetPodViews(world, its.name);
          largest = Math.max(largest, views.length);
          const now = world.now + index * 7;
          const variant = index === 1 ? { ...its, spec: { ...its.spec, minReadySeconds: 10 } } : its;
          const plain = computeInstanceSetStatusPlain(profile, variant, views, 'rev-1', revisionOf, now);
          expectSame(computeInstanceSetStatusKept(profile, variant, views, 'rev-1', revisionOf, now), plain);
          expectSame(computeInstanceSetStatus(profile, variant, views, 'rev-1', revisionOf, now), plain);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(largest).toBeGreaterThanOrEqual(30);
  });
});

// `its` with stored conditions and members that no fresh status can equal (a message and a member
// no pod gives) but the same condition statuses and transition ticks: every object is then built afresh.
function withUnreusableStatus(its: InstanceSet): InstanceSet {
  const conditions = its.status.conditions.map((condition) => ({ ...condition, message: '\u0000 not reusable' }));
  return { ...its, status: { ...its.status, conditions, membersStatus: its.status.membersStatus === null ? null : [{ podName: '\u0000', role: '' }] } };
}

describe('the stored InstanceSet status reused by the status pass', () => {
  it('is what a status built afresh says, on the worlds swarm runs reach and on random pod lists', () => {
    // Proves: a stored condition, members list or whole status is handed back only when a fresh one would write the same JSON.
    const worlds = worldsOfRuns();
    let reused = 0;
    let compared = 0;
    for (const [index, profile] of kubeblocksProfiles.entries()) {
      for (const world of worlds) {
        for (const its of Object.values(world.kb.instanceSets)) {
          const views = instanceSetPodViews(world, its.name);
          // The run's own now, then a later one (conditions flip, transition ticks move).
          for (const now of [world.now, world.now + index * 13]) {
            const kept = computeInstanceSetStatusPlain(profile, its, views, its.status.updateRevision, revisionOf, now);
            const fresh = computeInstanceSetStatusPlain(profile, withUnreusableStatus(its), views, its.status.updateRevision, revisionOf, now);
            expect(fresh.status).not.toBe(its.status);
            expect(JSON.stringify(kept)).toBe(JSON.stringify(fresh));
            if (kept.status === its.status) reused++;
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    expect(reused).toBeGreaterThan(1_000);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...names).chain(viewArbitrary), { maxLength: 6 }), fc.array(stepArbitrary, { maxLength: 3 }), itsArbitrary, fc.integer({ min: 0, max: 60 }), fc.nat({ max: kubeblocksProfiles.length - 1 }), (before, steps, spec, now, profileIndex) => {
        const profile = kubeblocksProfiles[profileIndex]!;
        // The status of one call stored, then asked at `now` and later over the pods a few steps on (as the next reconcile does).
        const first = computeInstanceSetStatusPlain(profile, instanceSet('a', spec), before, 'rev-1', revisionOf, now);
        const pods = steps.reduce(stepped, before);
        const its = { ...instanceSet('a', spec), status: first.status };
        for (const later of [now, now + 7]) {
          const kept = computeInstanceSetStatusPlain(profile, its, pods, 'rev-1', revisionOf, later);
          const fresh = computeInstanceSetStatusPlain(profile, withUnreusableStatus(its), pods, 'rev-1', revisionOf, later);
          expect(JSON.stringify(kept)).toBe(JSON.stringify(fresh));
        }
      }),
      { numRuns: 1_000 },
    );
  });
});

function stepped(pods: readonly InstancePodView[], step: StepValue): InstancePodView[] {
  const next = pods.slice();
  switch (step.kind) {
    case 'replace': {
      if (next.length === 0) return next;
      const at = step.at % next.length;
      // A new object with the same content (a pod write the view does not show), new content under
      // the same name (a pod changed), or another pod altogether.
      const old = next[at] as InstancePodView;
      next[at] = step.keep === 'content' ? { ...old } : step.keep === 'name' ? { ...step.view, name: old.name, uid: old.uid } : step.view;
      return next;
    }
    case 'add':
      next.splice(next.length === 0 ? 0 : step.view.name.length % (next.length + 1), 0, step.view);
      return next;
    case 'remove':
      if (next.length > 0) next.splice(step.at % next.length, 1);
      return next;
    case 'reverse':
      return next.reverse();
    default: {
      const exhaustive: never = step;
      throw new Error(`unknown step ${String(exhaustive)}`);
    }
  }
}

type StepValue =
  | { readonly kind: 'replace'; readonly at: number; readonly keep: 'content' | 'name' | 'nothing'; readonly view: InstancePodView }
  | { readonly kind: 'add'; readonly view: InstancePodView }
  | { readonly kind: 'remove'; readonly at: number }
  | { readonly kind: 'reverse' };

/** Every world seeds 1–3 of every variant of the KubeBlocks scenarios pass through, and a 30-pod pg-image-mismatch run. */
function worldsOfRuns(): KubeBlocksWorld[] {
  return kubeblocksWorldsOfRuns(['pg-image-mismatch', 'pg-image-tag-alias', 'pg-role-event-reorder', 'kafka-offline-online', 'restore-anti-affinity'], () => [1, 2, 3]);
}
