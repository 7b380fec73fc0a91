/**
 * Test helpers: drive a bare cluster to quiescence deterministically (first enabled action, else
 * advance to the next due tick), as a tiny stand-in for the swarm.
 */
import type { Tick } from '../ticks.ts';
import { clusterActions, clusterApply, clusterNextDueTick, type ClusterAction } from './actions.ts';
import type { Cluster } from './types.ts';
import { podFromInput, type PodInput } from './pods.ts';
import { objectKey, writePod } from './store.ts';

export interface Driven {
  readonly cluster: Cluster;
  readonly now: Tick;
  readonly labels: readonly string[];
}

/** Takes the first enabled substrate action (or advances time, up to `untilTick`) until nothing is left; at most `stepsMax` steps. */
export function driveToQuiet(
  cluster: Cluster,
  now: Tick,
  stepsMax = 10_000,
  pick: (actions: readonly ClusterAction[]) => ClusterAction = (a) => a[0] as ClusterAction,
  untilTick: Tick = Number.MAX_SAFE_INTEGER,
): Driven {
  let current = cluster;
  let tick = now;
  const labels: string[] = [];
  for (let step = 0; step < stepsMax; step++) {
    const actions = clusterActions(current, tick);
    if (actions.length > 0) {
      const action = pick(actions);
      labels.push(action.label);
      current = clusterApply(current, action, tick);
      continue;
    }
    const due = clusterNextDueTick(current);
    if (due === null || due <= tick || due > untilTick) return { cluster: current, now: tick, labels };
    tick = due;
  }
  throw new Error(`cluster did not go quiet within ${stepsMax} steps`);
}

/** Writes a pod already bound to `nodeName` (as if scheduled earlier), bypassing the scheduler. */
export function withBoundPod(cluster: Cluster, input: PodInput, nodeName: string, now: Tick = 0): Cluster {
  const pod = podFromInput(input, now);
  return writePod(cluster, objectKey(pod.namespace, pod.name), { ...pod, spec: { ...pod.spec, nodeName } });
}
