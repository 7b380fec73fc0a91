/**
 * The generic properties of a KubeBlocks world, declared next to the machines they speak about,
 * and `pending()`: why a component is not `Running`, in words a person can check against
 * `kubectl get its,pods -o yaml`.
 */
import { always, eventually, sometimes, type Explanation, type Property } from '../../sim/property.ts';
import { eventsAbout } from '../../sim/events.ts';
import { instancePodView, instanceSetPods } from './kubeblocks-view.ts';
import { podImageMismatch } from './instanceset-status.ts';
import { notReadyPodNames } from './instanceset-controller.ts';
import type { KubeBlocksProfile } from './kubeblocks-profile.ts';
import type { Component } from './kubeblocks-objects.ts';
import { markPodRestartedDuringCreation } from './kubeblocks-runtime.ts';
import type { KubeBlocksWorld } from './kubeblocks-world.ts';

/** Pods of the component's InstanceSet whose spec and status images do not match under `profile`. */
export function imageMismatches(profile: KubeBlocksProfile, world: KubeBlocksWorld, itsName: string): string[] {
  const lines: string[] = [];
  for (const pod of instanceSetPods(world, itsName)) {
    const mismatch = podImageMismatch(profile, instancePodView(pod));
    if (mismatch !== null) lines.push(`pod ${pod.name} image ${mismatch.specImage} in spec, ${mismatch.statusImage} in status (imageID ${mismatch.statusImageId})`);
  }
  return lines;
}

/** Why `component` is not Running, or null when it is. */
export function componentPending(profile: KubeBlocksProfile, world: KubeBlocksWorld, component: Component): string | null {
  if (component.status.phase === 'Running') return null;
  const its = world.kb.instanceSets[component.name];
  const head = `pending Component ${component.name} Running: phase ${component.status.phase === '' ? '""' : component.status.phase}`;
  if (its === undefined) return `${head}; InstanceSet ${component.name} not created yet`;
  const parts = [`InstanceSet ready ${its.status.readyReplicas}/${its.spec.replicas} (created ${its.status.replicas}, updated ${its.status.updatedReplicas}, members ${its.status.membersStatus?.length ?? 0})`];
  const notReady = notReadyPodNames(its);
  if (notReady.length > 0) parts.push(`InstanceReady False: ${JSON.stringify(notReady)}`);
  parts.push(...imageMismatches(profile, world, its.name));
  const log = world.logs[`instanceset/${its.name}`];
  if (log !== undefined) parts.push(`log: ${log}`);
  return `${head}; ${parts.join('; ')}`;
}

/** The first reason a world is not where it should be (every Component and Cluster Running). */
export function kubeblocksPending(profile: KubeBlocksProfile, world: KubeBlocksWorld): string | null {
  for (const name of Object.keys(world.kb.components).sort()) {
    const reason = componentPending(profile, world, world.kb.components[name] as Component);
    if (reason !== null) return reason;
  }
  for (const name of Object.keys(world.kb.clusters).sort()) {
    const cluster = world.kb.clusters[name];
    if (cluster !== undefined && cluster.status.phase !== 'Running') return `pending Cluster ${name} Running: phase ${cluster.status.phase === '' ? '""' : cluster.status.phase}`;
  }
  return null;
}

function componentExplanation(profile: KubeBlocksProfile, world: KubeBlocksWorld, component: Component): Explanation {
  const its = world.kb.instanceSets[component.name];
  const details: string[] = [];
  if (its !== undefined) {
    details.push(...imageMismatches(profile, world, its.name));
    for (const pod of instanceSetPods(world, its.name)) {
      const status = pod.status.containerStatuses[0];
      details.push(`pod ${pod.name} on ${pod.spec.nodeName ?? '(unscheduled)'}: phase ${pod.status.phase}, Ready ${pod.status.conditions.find((c) => c.type === 'Ready')?.status ?? 'absent'}, spec image ${pod.spec.containers[0]?.image ?? ''}, status image ${status?.image ?? ''}, imageID ${status?.imageID ?? ''}, role ${pod.labels['kubeblocks.io/role'] ?? '(none)'}`);
    }
    const log = world.logs[`instanceset/${its.name}`];
    if (log !== undefined) details.push(`instanceset controller log: ${log}`);
    for (const pod of instanceSetPods(world, its.name)) {
      const roleLog = world.logs[`instanceset-role/${pod.name}`];
      if (roleLog !== undefined) details.push(`role event handler log for ${pod.name}: ${roleLog}`);
    }
  }
  for (const event of eventsAbout(world.k8s.events, `Component/${component.name}`).slice(-3)) details.push(`event ${event.reason}: ${event.message}`);
  return {
    subject: { kind: 'Component', name: component.name, phase: component.status.phase },
    reason: componentPending(profile, world, component) ?? `Component ${component.name} is Running`,
    details,
  };
}

/** The KubeBlocks properties of issue 4, for `profile` (which decides what "image matches" means in explanations). */
export function kubeblocksProperties<W extends KubeBlocksWorld>(profile: KubeBlocksProfile): Property<W>[] {
  const notRunning = (world: W): Component | undefined =>
    Object.keys(world.kb.components)
      .sort()
      .map((name) => world.kb.components[name] as Component)
      .find((component) => component.status.phase !== 'Running');
  const clusterNotRunning = (world: W) => Object.values(world.kb.clusters).find((cluster) => cluster.status.phase !== 'Running');
  // The predicates below run after every step: loops over the records, no arrays built.
  const everyRunning = (objects: Readonly<Record<string, { readonly status: { readonly phase: string } }>>): boolean => {
    for (const name in objects) if ((objects[name] as { readonly status: { readonly phase: string } }).status.phase !== 'Running') return false;
    return true;
  };
  const someRunning = (objects: Readonly<Record<string, { readonly status: { readonly phase: string } }>>): boolean => {
    for (const name in objects) if ((objects[name] as { readonly status: { readonly phase: string } }).status.phase === 'Running') return true;
    return false;
  };
  // Checked after every step, and a function of the (shared, immutable) components record only.
  const runningHonest = new WeakMap<W['kb']['components'], boolean>();
  const runningOnlyWithEvidence = (components: W['kb']['components']): boolean =>
    Object.values(components).every((component) => {
      if (component.status.phase !== 'Running') return true;
      const evidence = component.runningEvidence;
      return evidence !== null && evidence.replicas === evidence.specReplicas && evidence.readyReplicas === evidence.specReplicas && evidence.updatedReplicas === evidence.specReplicas;
    });
  return [
    always<W>(
      'Running is only set when the observed InstanceSet had as many ready, updated pods as replicas',
      (world) => {
        let holds = runningHonest.get(world.kb.components);
        if (holds === undefined) {
          holds = runningOnlyWithEvidence(world.kb.components);
          runningHonest.set(world.kb.components, holds);
        }
        return holds;
      },
      (world) => {
        const bad = Object.values(world.kb.components).find((component) => component.status.phase === 'Running');
        return {
          ...(bad === undefined ? {} : { subject: { kind: 'Component', name: bad.name, phase: 'Running' } }),
          reason: `Running set with InstanceSet counts ${JSON.stringify(bad?.runningEvidence ?? null)}`,
        };
      },
    ),
    eventually<W>(
      'every Component eventually reaches Running',
      (world) => everyRunning(world.kb.components),
      (world) => componentExplanation(profile, world, notRunning(world) as Component),
    ),
    eventually<W>(
      'every Cluster eventually reaches Running',
      (world) => everyRunning(world.kb.clusters),
      (world) => {
        const cluster = clusterNotRunning(world);
        const component = notRunning(world);
        if (component !== undefined) return { ...componentExplanation(profile, world, component), subject: { kind: 'Cluster', name: cluster?.name ?? '', phase: cluster?.status.phase ?? '' } };
        return { subject: { kind: 'Cluster', name: cluster?.name ?? '', phase: cluster?.status.phase ?? '' }, reason: kubeblocksPending(profile, world) ?? 'cluster not Running' };
      },
    ),
    sometimes<W>('a Cluster reaches Running', (world) => someRunning(world.kb.clusters)),
    sometimes<W>('a pod restarts during creation', (world) => world.marks.includes(markPodRestartedDuringCreation)),
  ];
}
