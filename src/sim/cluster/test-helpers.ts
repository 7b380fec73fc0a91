/**
 * Test helpers: drive a bare cluster to quiescence deterministically (first enabled action, else
 * advance to the next due tick), as a tiny stand-in for the swarm.
 */
import type { Tick } from '../ticks.ts';
import { clusterActions, clusterApply, clusterNextDueTick, type ClusterAction } from './actions.ts';
import type { Cluster } from './types.ts';

export interface Driven {
  readonly cluster: Cluster;
  readonly now: Tick;
  readonly labels: readonly string[];
}

/** Takes the first enabled substrate action (or advances time) until nothing is left; at most `stepsMax` steps. */
export function driveToQuiet(cluster: Cluster, now: Tick, stepsMax = 10_000, pick: (actions: readonly ClusterAction[]) => ClusterAction = (a) => a[0] as ClusterAction): Driven {
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
    if (due === null || due <= tick) return { cluster: current, now: tick, labels };
    tick = due;
  }
  throw new Error(`cluster did not go quiet within ${stepsMax} steps`);
}
