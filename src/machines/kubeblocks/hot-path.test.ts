// Proves the KubeBlocks speed caches (issue 11) give exactly what the plain computations give, on
// every world a few swarm runs of every KubeBlocks scenario pass through (and a 30-pod cluster),
// visited in run order and out of it, so a cache keyed on the wrong thing would serve a stale answer.
import { describe, expect, it } from 'vitest';
import { alignmentPlan, compareInstanceNames, desiredInstances } from './instance-names.ts';
import { computeInstanceSetStatus, computePodImageMatched, podImageMatched, podsByInstanceName, sortPodsByInstanceName } from './instanceset-status.ts';
import { kubeblocks103, kubeblocksProfiles } from './kubeblocks-profile.ts';
import { componentController } from './component-controller.ts';
import { instanceSetController, planFor } from './instanceset-controller.ts';
import { roleEventController } from './role-event.ts';
import { instancePodView, instanceSetPods, instanceSetPodViews } from './kubeblocks-view.ts';
import { instanceSetLabelKey } from './instance-pod.ts';
import { computeRoleProbeActions, dropStaleReports, minimalPatroni, probeWalkCounts, roleProbeActions } from './engine.ts';
import { atMostOneHScalePerComponent, runningHScalesByComponent } from '../kubeblocks-opsrequest/opsrequest.properties.ts';
import type { OpsRequest } from '../kubeblocks-opsrequest/opsrequest.objects.ts';
import { computePendingPods, pendingPods } from '../kubeblocks-restore/restore.properties.ts';
import type { RestoreWorld } from '../kubeblocks-restore/restore-objects.ts';
import { clusterCordon, type Node } from '../../sim/cluster/index.ts';
import { kubeblocksWorldsOfRuns } from './reached-worlds.ts';
import { applyWrite, applyWrites, dequeue, splitWorkItem, type KbWrite, type KubeBlocksWorld } from './kubeblocks-world.ts';

const kubeblocksScenarioNames = [
  'pg-image-mismatch',
  'pg-image-tag-alias',
  'pg-role-event-reorder',
  'kafka-offline-online',
  'kafka-offline-gap',
  'restore-anti-affinity',
  'restore-instance-template-anti-affinity',
];

/** Every world the runs pass through: seeds 1–3 of every variant of every KubeBlocks scenario (1–8 for the image ones), and a 30-pod pg-image-mismatch run. */
function kubeblocksWorlds(): KubeBlocksWorld[] {
  // The image scenarios draw a digest image for one run in four: more seeds there.
  return kubeblocksWorldsOfRuns(kubeblocksScenarioNames, (name) => (name.startsWith('pg-image') ? [1, 2, 3, 4, 5, 6, 7, 8] : [1, 2, 3]));
}

/** The worlds in run order, then every one again in an order far from it (a prime stride). */
function runOrderAndShuffled<T>(items: readonly T[]): T[] {
  const stride = 7919;
  return [...items, ...items.map((_item, index) => items[(index * stride) % items.length] as T)];
}

describe('the KubeBlocks hot path', () => {
  const worlds = kubeblocksWorlds();
  const visits = runOrderAndShuffled(worlds);

  it('reaches enough worlds, pods and large InstanceSets for the checks below to mean something', () => {
    // Proves: the sample is not vacuous (many worlds, InstanceSets of more than ten pods, pods not yet matched).
    expect(worlds.length).toBeGreaterThan(5_000);
    const sizes = worlds.flatMap((world) => Object.keys(world.kb.instanceSets).map((name) => instanceSetPodViews(world, name).length));
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(30);
    const unmatched = worlds.some((world) => Object.keys(world.kb.instanceSets).some((name) => instanceSetPodViews(world, name).some((view) => kubeblocksProfiles.some((profile) => !computePodImageMatched(profile, view)))));
    expect(unmatched).toBe(true);
  });

  it('podImageMatched kept per view and rule equals the match computed afresh, under every profile', () => {
    // Proves: the per-view cache never answers for another rule or a stale view.
    for (const world of visits) {
      for (const name of Object.keys(world.kb.instanceSets)) {
        for (const view of instanceSetPodViews(world, name)) {
          for (const profile of kubeblocksProfiles) expect(podImageMatched(profile, view)).toBe(computePodImageMatched(profile, view));
        }
      }
    }
  });

  it('podsByInstanceName gives the pods sorted afresh, the same objects in the same order', () => {
    // Proves: the reused permutation is only reused for the very same names in the same order.
    for (const world of visits) {
      for (const name of Object.keys(world.kb.instanceSets)) {
        const views = instanceSetPodViews(world, name);
        const sorted = podsByInstanceName(views);
        const expected = sortPodsByInstanceName(views);
        expect(sorted.length).toBe(expected.length);
        sorted.forEach((view, index) => expect(view).toBe(expected[index]));
      }
    }
  });

  it('membersStatus is ordered by role priority, then by instance name, as upstream sorts it', () => {
    // Proves: sorting the name-ordered members by priority alone (stable) equals the two-key sort.
    for (const world of worlds) {
      for (const its of Object.values(world.kb.instanceSets)) {
        const roles = its.spec.roles;
        if (roles === null) continue;
        const views = instanceSetPodViews(world, its.name);
        const members = computeInstanceSetStatus(kubeblocksProfiles[0]!, its, views.slice().reverse(), '', () => undefined, world.now).status.membersStatus ?? [];
        const priority = (role: string): number => roles.find((candidate) => candidate.name === role)?.updatePriority ?? 0;
        const expected = members.slice().sort((left, right) => priority(right.role) - priority(left.role) || compareInstanceNames(left.podName, right.podName));
        expect(members).toEqual(expected);
      }
    }
  });

  it('applyWrites copies the world once and gives what applying the writes one at a time gives', () => {
    // Proves: the batched draft equals the sequential writes (JSON text, and identity when nothing changed) on the writes
    // real reconciles return from the worlds of the runs.
    const controllers = [componentController(kubeblocks103), instanceSetController(kubeblocks103), roleEventController(kubeblocks103)];
    let batches = 0;
    const kinds = new Set<string>();
    for (const [index, world] of worlds.entries()) {
      if (index % 3 !== 0) continue;
      for (const item of world.queue) {
        const { controller: name, key } = splitWorkItem(item);
        const controller = controllers.find((candidate) => candidate.name === name);
        if (controller === undefined) continue;
        const view = dequeue(world, item);
        const writes: readonly KbWrite[] = controller.reconcile(view, key).writes;
        const sequential = writes.reduce((next, write) => applyWrite(next, write), view);
        const batched = applyWrites(view, writes);
        expect(JSON.stringify(batched)).toBe(JSON.stringify(sequential));
        expect(batched === view).toBe(sequential === view);
        batches++;
        for (const write of writes) kinds.add(write.kind);
      }
    }
    expect(batches).toBeGreaterThan(1_000);
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['event', 'instanceset.put', 'log', 'pod.create', 'pod.delete', 'pod.labels', 'roleProbe.handled', 'timer.schedule']));
  });

  it('the pods and views an InstanceSet selects, kept per InstanceSet for the last index list and pod map, equal a fresh selection', () => {
    // Proves: the in-place selection entry never serves the pods of another world, in run order or out of it.
    for (const world of visits) {
      for (const name of Object.keys(world.kb.instanceSets)) {
        const fresh = [...world.k8s.pods.keys()]
          .filter((key) => world.k8s.pods.get(key)?.labels[instanceSetLabelKey] === name)
          .sort()
          .map((key) => world.k8s.pods.get(key));
        const pods = instanceSetPods(world, name);
        expect(pods.length).toBe(fresh.length);
        pods.forEach((pod, index) => expect(pod).toBe(fresh[index]));
        const views = instanceSetPodViews(world, name);
        views.forEach((view, index) => expect(view).toBe(instancePodView(pods[index]!)));
      }
    }
  });

  it('role-probe actions kept for the objects they read equal the actions computed afresh, with and without label resends', () => {
    // Proves: the field-by-field input check never serves the actions of another world, and the
    // list updated from the previous walk by the changed pods equals a walk of every pod (in run
    // order most lists are updates; shuffled, the previous world is far away).
    let offered = 0;
    const updatedBefore = probeWalkCounts.updated;
    // One pass per resend setting, so consecutive worlds share every input but the pods (the per-pod reuse is exercised).
    for (const resend of [false, true]) {
      for (const world of visits) {
        const actions = roleProbeActions(world, minimalPatroni, resend);
        expect(actions).toEqual(computeRoleProbeActions(world, minimalPatroni, resend));
        offered += actions.length;
      }
    }
    expect(offered).toBeGreaterThan(100);
    expect(probeWalkCounts.updated - updatedBefore).toBeGreaterThan(worlds.length / 2);
  });

  it('the minimal Patroni drops exactly the stale reports a full scan drops, checking only changed pods after a clean scan', () => {
    // Proves: the incremental staleness check (changed pods only, same nodes and reports) equals scanning every report.
    const afterApply = minimalPatroni.afterApply!;
    let dropped = 0;
    for (const world of visits) {
      const plain = dropStaleReports(world);
      const next = afterApply(world);
      expect(JSON.stringify(next)).toBe(JSON.stringify(plain));
      expect(next === world).toBe(plain === world);
      if (plain !== world) dropped++;
    }
    expect(dropped).toBeGreaterThan(10);
    // A report replaced by one of another incarnation while its pod stays the same object (no run does
    // this, a restored or edited world may): the check must look at changed reports, not only changed pods.
    let forged = 0;
    for (const world of worlds.filter((_world, index) => index % 50 === 0)) {
      const patroni = world.engine['patroni'] as { readonly reported?: Readonly<Record<string, { readonly uid: string }>> } | undefined;
      const name = Object.keys(patroni?.reported ?? {})[0];
      if (patroni === undefined || name === undefined || afterApply(world) !== world) continue;
      const reported = { ...patroni.reported, [name]: { ...patroni.reported![name]!, uid: 'another-incarnation' } };
      const edited = { ...world, engine: { ...world.engine, patroni: { ...patroni, reported } } } as KubeBlocksWorld;
      expect(JSON.stringify(afterApply(edited))).toBe(JSON.stringify(dropStaleReports(edited)));
      forged++;
    }
    expect(forged).toBeGreaterThan(10);
    // A reported member's node lost while its pod stays the same object (swarm node faults do this):
    // the check after a clean scan must look at the pods of changed nodes, with the same reports
    // and with a copy of them (the two incremental paths).
    let lostNodes = 0;
    for (const world of worlds.filter((_world, index) => index % 50 === 0)) {
      const patroni = world.engine['patroni'] as { readonly reported?: Readonly<Record<string, { readonly uid: string }>> } | undefined;
      const name = Object.keys(patroni?.reported ?? {})[0];
      const nodeName = name === undefined ? null : (world.k8s.pods.get(`default/${name}`)?.spec.nodeName ?? null);
      const node = nodeName === null ? undefined : world.k8s.nodes.get(nodeName);
      if (patroni === undefined || node === undefined || afterApply(world) !== world) continue;
      const nodes = world.k8s.nodes.with(node.name, { ...node, conditions: node.conditions.map((condition) => ({ ...condition, status: 'False' })) } as Node);
      const lost = { ...world, k8s: { ...world.k8s, nodes } } as KubeBlocksWorld;
      const lostWithCopiedReports = { ...lost, engine: { ...lost.engine, patroni: { ...patroni, reported: { ...patroni.reported } } } } as KubeBlocksWorld;
      for (const edited of [lost, lostWithCopiedReports]) {
        afterApply(world);
        const plain = dropStaleReports(edited);
        expect(plain).not.toBe(edited);
        expect(JSON.stringify(afterApply(edited))).toBe(JSON.stringify(plain));
      }
      lostNodes++;
    }
    expect(lostNodes).toBeGreaterThan(10);
  });

  it('role-probe reports kept per pod are asked again when only the leader pod, the leader node or a member node changes', () => {
    // Proves: the per-pod reuse keys on every leader's pod and node objects (which decide the other members' roles) and on each pod's own node.
    const led = worlds.filter((world) => {
      const patroni = world.engine['patroni'] as { readonly leaders?: Readonly<Record<string, { readonly pod: string }>> } | undefined;
      return Object.keys(patroni?.leaders ?? {}).length > 0 && world.k8s.pods.values().length >= 2;
    });
    expect(led.length).toBeGreaterThan(100);
    let changedRoles = 0;
    for (const world of led.filter((_world, index) => index % 25 === 0)) {
      const leaders = (world.engine['patroni'] as { readonly leaders: Readonly<Record<string, { readonly pod: string }>> }).leaders;
      const leaderKey = `default/${Object.values(leaders)[0]!.pod}`;
      const leader = world.k8s.pods.get(leaderKey);
      if (leader === undefined) continue;
      const stopped = { ...leader, status: { ...leader.status, containerStatuses: leader.status.containerStatuses.map((status) => ({ ...status, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } } })) } };
      const withStoppedLeader = { ...world, k8s: { ...world.k8s, pods: world.k8s.pods.with(leaderKey, stopped) } } as KubeBlocksWorld;
      const node = leader.spec.nodeName === null ? undefined : world.k8s.nodes.get(leader.spec.nodeName);
      const withLostNode = node === undefined ? world : ({ ...world, k8s: { ...world.k8s, nodes: world.k8s.nodes.with(node.name, { ...node, conditions: node.conditions.map((condition) => ({ ...condition, status: 'False' })) } as Node) } } as KubeBlocksWorld);
      // A member other than the leader, on another node: losing that node changes only its own report.
      const member = world.k8s.pods.values().find((pod) => pod.name !== leader.name && pod.spec.nodeName !== null && pod.spec.nodeName !== leader.spec.nodeName);
      const memberNode = member?.spec.nodeName == null ? undefined : world.k8s.nodes.get(member.spec.nodeName);
      const withLostMemberNode = memberNode === undefined ? world : ({ ...world, k8s: { ...world.k8s, nodes: world.k8s.nodes.with(memberNode.name, { ...memberNode, conditions: memberNode.conditions.map((condition) => ({ ...condition, status: 'False' })) } as Node) } } as KubeBlocksWorld);
      for (const changed of [withStoppedLeader, withLostNode, withLostMemberNode]) {
        for (const resend of [false, true]) {
          roleProbeActions(world, minimalPatroni, resend);
          const actions = roleProbeActions(changed, minimalPatroni, resend);
          const expected = computeRoleProbeActions(changed, minimalPatroni, resend);
          expect(actions).toEqual(expected);
          if (JSON.stringify(expected) !== JSON.stringify(computeRoleProbeActions(world, minimalPatroni, resend))) changedRoles++;
        }
      }
    }
    expect(changedRoles).toBeGreaterThan(10);
  });

  it('the pending-pod verdicts kept per pods record equal the verdicts computed afresh, and are asked again when only the nodes or the Restores change', () => {
    // Proves: the cache keyed on the pods record and the objects the scheduler and podClusterName
    // read (not the Events log) never serves another world's verdicts. Run order hits it on the
    // steps that only record Events or write KubeBlocks objects; the cordoned copies change only
    // the nodes, the copies without Restores only the Restores.
    const restoreWorlds = visits.filter((world): world is RestoreWorld => (world.ext as Partial<RestoreWorld['ext']> | null)?.restore !== undefined);
    let pending = 0;
    let podsShared = 0;
    let previous: RestoreWorld | null = null;
    for (const world of restoreWorlds) {
      const got = pendingPods(world);
      expect(got).toEqual(computePendingPods(world));
      pending += got.length;
      if (previous !== null && previous.k8s !== world.k8s && previous.k8s.pods === world.k8s.pods) podsShared++;
      previous = world;
    }
    expect(pending).toBeGreaterThan(100);
    expect(podsShared).toBeGreaterThan(100);
    let changed = 0;
    for (const world of restoreWorlds) {
      if (pendingPods(world).length === 0) continue;
      const cordoned = { ...world, k8s: world.k8s.nodeNames.reduce((k8s, name) => clusterCordon(k8s, name, world.now), world.k8s) };
      const withoutRestores = { ...world, ext: { ...world.ext, restore: { ...world.ext.restore, restores: {} } } };
      for (const copy of [cordoned, withoutRestores]) {
        const got = pendingPods(copy);
        const fresh = computePendingPods(copy);
        expect(got).toEqual(fresh);
        if (JSON.stringify(fresh) !== JSON.stringify(pendingPods(world))) changed++;
      }
    }
    // Non-vacuous: the copies' verdicts differ from the original's for many worlds.
    expect(changed).toBeGreaterThan(20);
  });

  it('the alignment plan kept with the pod names it was made for equals the plan made afresh', () => {
    // Proves: the reused plan is only reused for the same desired instances and the same pod names in the same order.
    let creates = 0;
    for (const world of visits) {
      for (const its of Object.values(world.kb.instanceSets)) {
        const views = instanceSetPodViews(world, its.name);
        const plan = planFor(its, views);
        expect(plan).toEqual(alignmentPlan(desiredInstances(its.name, its.spec), views.map((view) => view.name)));
        creates += plan.create.length;
      }
    }
    expect(creates).toBeGreaterThan(100);
    // The same InstanceSet over as many pods, one of them named otherwise (a surplus ordinal): planned afresh.
    let renamed = 0;
    for (const world of worlds.filter((_world, index) => index % 40 === 0)) {
      for (const its of Object.values(world.kb.instanceSets)) {
        const views = instanceSetPodViews(world, its.name);
        if (views.length === 0) continue;
        const other = views.map((view, index) => (index === views.length - 1 ? { ...view, name: `${its.name}-99` } : view));
        planFor(its, views);
        expect(planFor(its, other)).toEqual(alignmentPlan(desiredInstances(its.name, its.spec), other.map((view) => view.name)));
        renamed++;
      }
    }
    expect(renamed).toBeGreaterThan(10);
  });

  it('the one-HorizontalScaling-per-component check equals the grouping it replaces, on run OpsRequests and crowded copies', () => {
    // Proves: the set-based check answers as `runningHScalesByComponent(...).every(ops <= 1)` did, true and false alike.
    const lists = worlds
      .map((world) => (world.ext as { readonly ops?: { readonly opsRequests: readonly OpsRequest[] } }).ops?.opsRequests)
      .filter((list): list is readonly OpsRequest[] => list !== undefined && list.length > 0);
    expect(lists.length).toBeGreaterThan(100);
    let crowded = 0;
    for (const list of lists) {
      // Every running op twice (a copy under another name) crowds its components.
      for (const candidate of [list, [...list, ...list.map((ops) => ({ ...ops, name: `${ops.name}-copy` }))]]) {
        const expected = runningHScalesByComponent(candidate).every((entry) => entry.ops.length <= 1);
        expect(atMostOneHScalePerComponent(candidate)).toBe(expected);
        if (!expected) crowded++;
      }
    }
    expect(crowded).toBeGreaterThan(10);
  });
});
