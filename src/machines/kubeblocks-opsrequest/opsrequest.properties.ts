/**
 * Properties of OpsRequests, generic over any world that hosts the OpsRequest controller through an
 * {@link OpsHostPort}: liveness (every ops reaches a terminal phase), safety (a Succeed ops leaves
 * exactly the pods it asked for; at most one HorizontalScaling runs per component) and reachability
 * (an offline instance comes back; a cancel wins).
 */
import { always, eventually, sometimes, type Explanation, type Property } from '../../sim/property.ts';
import { createdAndDeletedPodSets, expectedComponentValues, podNamesOf } from './hscale.ts';
import type { OpsHostPort } from './opsrequest.host.ts';
import { isOpsTerminal } from './opsrequest.machine.ts';
import { lastConfigurationOf, type OpsRequest } from './opsrequest.objects.ts';
import type { OpsProfile } from './profile.ts';

const sameList = (left: readonly string[], right: readonly string[]): boolean => left.length === right.length && left.every((item, index) => item === right[index]);
const list = (items: readonly string[]): string => `[${items.join(', ')}]`;

/** Why a Succeed ops does not have the pods it asked for, or null when it does. */
export function succeedPodsMismatch(ops: OpsRequest, profile: OpsProfile, itsNameOf: (componentName: string) => string): string | null {
  if (ops.status.phase !== 'Succeed' || ops.spec.type !== 'HorizontalScaling' || ops.status.atCompletion === null) return null;
  for (const hs of ops.spec.horizontalScaling) {
    const last = lastConfigurationOf(ops, hs.componentName);
    const seen = ops.status.atCompletion.find((entry) => entry.componentName === hs.componentName);
    if (last === undefined || seen === undefined) continue;
    const itsName = itsNameOf(hs.componentName);
    const expected = podNamesOf(itsName, expectedComponentValues(itsName, last, hs, profile));
    const desired = podNamesOf(itsName, seen.spec);
    if (!sameList(desired, expected)) return `component ${hs.componentName} asks for ${list(desired)}, the ops expected ${list(expected)}`;
    const sets = createdAndDeletedPodSets(itsName, last, hs, profile, false);
    const missing = sets.created.filter((pod) => !seen.pods.includes(pod));
    const lingering = sets.deleted.filter((pod) => seen.pods.includes(pod));
    if (missing.length > 0) return `pods ${list(missing)} it was to create do not exist (pods: ${list(seen.pods)})`;
    if (lingering.length > 0) return `pods ${list(lingering)} it was to delete still exist (pods: ${list(seen.pods)})`;
  }
  return null;
}

/** The first Succeed ops that asked for instances to come back online that do not exist, and those names. */
export function succeedWithoutOnlineInstances(opsRequests: readonly OpsRequest[]): { readonly ops: OpsRequest; readonly missing: readonly string[] } | undefined {
  for (const ops of opsRequests) {
    if (ops.status.phase !== 'Succeed' || ops.status.atCompletion === null) continue;
    for (const hs of ops.spec.horizontalScaling) {
      const seen = ops.status.atCompletion.find((entry) => entry.componentName === hs.componentName);
      const missing = (hs.scaleOut?.offlineInstancesToOnline ?? []).filter((name) => seen !== undefined && !seen.pods.includes(name));
      if (missing.length > 0) return { ops, missing };
    }
  }
  return undefined;
}

/**
 * The user's intent, stricter than "the pods it asked for": every instance named in
 * `scaleOut.offlineInstancesToOnline` exists when the ops turns Succeed. Not part of
 * {@link opsRequestProperties}: kubeblocks@1.0.1 still breaks it when an ordinal gap sits below the
 * instance (see the `kafka-offline-gap` scenario and upstream #9457).
 */
export function onlineInstancesExistProperty<W>(port: OpsHostPort<W>): Property<W> {
  return always(
    'every instance an OpsRequest brings back online exists when it turns Succeed',
    (world) => succeedWithoutOnlineInstances(port.slice(world).opsRequests) === undefined,
    (world) => {
      const found = succeedWithoutOnlineInstances(port.slice(world).opsRequests) as { ops: OpsRequest; missing: readonly string[] };
      const details: string[] = [];
      for (const hs of found.ops.spec.horizontalScaling) {
        const last = lastConfigurationOf(found.ops, hs.componentName);
        const seen = found.ops.status.atCompletion?.find((entry) => entry.componentName === hs.componentName);
        if (last !== undefined) details.push(`before the ops: replicas ${last.replicas}, offlineInstances ${list(last.offlineInstances)}`);
        if (seen !== undefined) details.push(`at Succeed: replicas ${seen.spec.replicas}, offlineInstances ${list(seen.spec.offlineInstances)}, pods ${list(seen.pods)}`);
      }
      return {
        subject: { kind: 'OpsRequest', name: found.ops.name, phase: 'Succeed' },
        reason: `OpsRequest ${found.ops.name} Succeed with progress ${found.ops.status.progress || '-'} but ${list(found.missing)} it brought back online does not exist`,
        details,
      };
    },
  );
}

/** Per component, the HorizontalScaling ops currently past Pending and not complete. */
export function runningHScalesByComponent(opsRequests: readonly OpsRequest[]): { readonly component: string; readonly ops: readonly string[] }[] {
  const running = opsRequests.filter((ops) => ops.spec.type === 'HorizontalScaling' && ['Creating', 'Running', 'Cancelling'].includes(ops.status.phase));
  const byComponent = new Map<string, string[]>();
  for (const ops of running) {
    for (const hs of ops.spec.horizontalScaling) {
      const key = `${ops.spec.clusterName}/${hs.componentName}`;
      byComponent.set(key, (byComponent.get(key) ?? []).concat([ops.name]));
    }
  }
  return [...byComponent.entries()].sort(([left], [right]) => (left < right ? -1 : 1)).map(([component, ops]) => ({ component, ops }));
}

const runningPhases: readonly string[] = ['Creating', 'Running', 'Cancelling'];

/**
 * Exactly `runningHScalesByComponent(opsRequests).every((entry) => entry.ops.length <= 1)`, without
 * building, sorting and mapping the grouping: checked after every step, it only asks whether a
 * component key comes up twice.
 */
export function atMostOneHScalePerComponent(opsRequests: readonly OpsRequest[]): boolean {
  let seen: Set<string> | null = null;
  for (const ops of opsRequests) {
    if (ops.spec.type !== 'HorizontalScaling' || !runningPhases.includes(ops.status.phase)) continue;
    for (const hs of ops.spec.horizontalScaling) {
      const key = `${ops.spec.clusterName}/${hs.componentName}`;
      seen ??= new Set();
      if (seen.has(key)) return false;
      seen.add(key);
    }
  }
  return true;
}

function stuckOpsExplanation<W>(world: W, port: OpsHostPort<W>, ops: OpsRequest): Explanation {
  const details: string[] = [];
  const cluster = port.cluster(world, ops.spec.clusterName);
  for (const hs of ops.spec.horizontalScaling) {
    const last = lastConfigurationOf(ops, hs.componentName);
    const live = cluster?.components.find((component) => component.name === hs.componentName);
    const online = hs.scaleOut?.offlineInstancesToOnline ?? [];
    if (online.length > 0) {
      const how = hs.scaleOut?.replicaChanges === undefined ? 'without replicaChanges' : `with replicaChanges ${hs.scaleOut.replicaChanges}`;
      details.push(`instance brought back online: ${online.join(', ')} (scaleOut.offlineInstancesToOnline ${how})`);
    }
    if (last !== undefined && live !== undefined) {
      const verb = live.replicas === last.replicas ? 'did not change' : 'changed';
      details.push(
        `replicas ${verb}: ${last.replicas} before the ops, ${live.replicas} in the Cluster spec now; offlineInstances ${list(last.offlineInstances)} → ${list(live.offlineInstances)}`,
      );
      details.push(`pods of ${live.itsName}: ${list(port.livePods(world, live.itsName))}; the spec generates ${list(podNamesOf(live.itsName, live))}`);
    }
    const waiting = ops.status.components
      .find((entry) => entry.componentName === hs.componentName)
      ?.progressDetails.filter((entry) => entry.status !== 'Succeed' && entry.status !== 'Failed');
    for (const entry of waiting ?? []) details.push(`progress detail ${entry.status}: ${entry.message}`);
  }
  const behind = port.slice(world).opsRequests.filter((other) => other.spec.clusterName === ops.spec.clusterName && other.status.phase === 'Pending');
  if (behind.length > 0) details.push(`queued behind it in Pending: ${behind.map((other) => other.name).join(', ')}`);
  return {
    subject: { kind: 'OpsRequest', name: ops.name, phase: ops.status.phase },
    reason: `OpsRequest ${ops.name} is ${ops.status.phase} with progress ${ops.status.progress || '-'}`,
    details,
  };
}

/** The OpsRequest properties for a world hosted through `port`, judged by `profile`'s rules. */
export function opsRequestProperties<W>(port: OpsHostPort<W>, profile: OpsProfile): readonly Property<W>[] {
  const itsNameOf = (world: W, ops: OpsRequest) => (componentName: string): string =>
    port.cluster(world, ops.spec.clusterName)?.components.find((component) => component.name === componentName)?.itsName ?? `${ops.spec.clusterName}-${componentName}`;
  const firstUnfinished = (world: W): OpsRequest | undefined => port.slice(world).opsRequests.find((ops) => !isOpsTerminal(ops.status.phase));
  // Checked after every step: the verdict is kept per (immutable) ops object and the InstanceSet names it reads.
  const verdicts = new WeakMap<OpsRequest, { readonly names: string; readonly why: string | null }>();
  const mismatchOf = (world: W, ops: OpsRequest): string | null => {
    if (ops.status.phase !== 'Succeed' || ops.spec.type !== 'HorizontalScaling' || ops.status.atCompletion === null) return null;
    const itsName = itsNameOf(world, ops);
    const names = ops.spec.horizontalScaling.map((hs) => itsName(hs.componentName)).join('\u0000');
    const cached = verdicts.get(ops);
    if (cached !== undefined && cached.names === names) return cached.why;
    const why = succeedPodsMismatch(ops, profile, itsName);
    verdicts.set(ops, { names, why });
    return why;
  };
  const firstBadSucceed = (world: W): { ops: OpsRequest; why: string } | undefined => {
    for (const ops of port.slice(world).opsRequests) {
      const why = mismatchOf(world, ops);
      if (why !== null) return { ops, why };
    }
    return undefined;
  };
  return [
    eventually(
      'every OpsRequest eventually reaches a terminal phase (Succeed, Failed, Cancelled or Aborted)',
      (world) => firstUnfinished(world) === undefined,
      (world) => stuckOpsExplanation(world, port, firstUnfinished(world) as OpsRequest),
    ),
    always(
      'an OpsRequest that turns Succeed has exactly the pods it asked for',
      (world) => firstBadSucceed(world) === undefined,
      (world) => {
        const bad = firstBadSucceed(world) as { ops: OpsRequest; why: string };
        return { subject: { kind: 'OpsRequest', name: bad.ops.name, phase: 'Succeed' }, reason: bad.why };
      },
    ),
    always(
      'never more than one HorizontalScaling runs at once on a component',
      (world) => atMostOneHScalePerComponent(port.slice(world).opsRequests),
      (world) => {
        const crowded = runningHScalesByComponent(port.slice(world).opsRequests).find((entry) => entry.ops.length > 1);
        return { reason: `component ${crowded?.component} has ${crowded?.ops.length} HorizontalScaling ops running: ${crowded?.ops.join(', ')}` };
      },
    ),
    sometimes('an offline instance comes back online', (world) =>
      port.slice(world).opsRequests.some(
        (ops) =>
          ops.status.phase === 'Succeed' &&
          ops.spec.horizontalScaling.some((hs) => {
            const seen = ops.status.atCompletion?.find((entry) => entry.componentName === hs.componentName);
            const online = hs.scaleOut?.offlineInstancesToOnline ?? [];
            return seen !== undefined && online.length > 0 && online.every((name) => seen.pods.includes(name));
          }),
      ),
    ),
    sometimes('a Cancel wins a race: a started OpsRequest ends Cancelled', (world) =>
      port.slice(world).opsRequests.some(
        (ops) => ops.status.phase === 'Cancelled' && ops.status.conditions.some((condition) => condition.reason === 'CancelSucceed' || condition.reason === 'CancelFailed'),
      ),
    ),
  ];
}
