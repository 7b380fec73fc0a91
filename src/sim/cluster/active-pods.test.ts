// Proves: the substrate's steps and next due tick, computed from the list of pods that are not
// quiet (kept per pods record and followed across writes, active-pods.ts), equal a walk over every
// pod, on random clusters driven by random substrate actions and faults, with branches (two
// successors of one world, as the explorer makes) and with the next due tick asked first or second.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterActions, clusterApply, clusterFaultActions, clusterFaultKinds, clusterNextDueTick, clusterSystemActions, clusterSystemActionsByWalk, type ClusterAction } from './actions.ts';
import { activePodKeys, podIsQuiet } from './active-pods.ts';
import { clusterCreatePod } from './pods.ts';
import { clusterCreateStatefulSet } from './statefulset.ts';
import { clusterCreate, readyCondition, writeNode } from './store.ts';
import { nodeIsReady } from './kubelet.ts';
import type { Cluster, Node, Pod } from './types.ts';
import type { Tick } from '../ticks.ts';

const image = 'example/app:1';
const faults = { faults: clusterFaultKinds };

function checkWorld(cluster: Cluster, now: Tick, dueFirst: boolean): void {
  const walk = clusterSystemActionsByWalk(cluster, now);
  if (dueFirst) expect(clusterNextDueTick(cluster)).toBe(walk.nextDueTick);
  expect(clusterSystemActions(cluster, now)).toEqual(walk.actions);
  expect(clusterNextDueTick(cluster)).toBe(walk.nextDueTick);
  const quietless = cluster.pods.keys().filter((key) => !podIsQuiet(cluster, cluster.pods.get(key) as Pod));
  expect(activePodKeys(cluster)).toEqual(quietless);
  expect(clusterActions(cluster, now, faults)).toEqual([...clusterSystemActions(cluster, now), ...clusterFaultActions(cluster, faults)]);
}

const scenarioArb = fc.record({
  nodes: fc.integer({ min: 1, max: 5 }),
  replicas: fc.integer({ min: 1, max: 6 }),
  parallel: fc.boolean(),
  loosePods: fc.integer({ min: 0, max: 2 }),
  // Each step: a system step, a fault, time, or (flip) a low-level write that turns a node's
  // readiness without touching its pods (writeNode is public); which one of those; whether to check
  // a sibling successor first; whether to ask the next due tick first.
  steps: fc.array(
    fc.record({
      move: fc.constantFrom('system', 'system', 'system', 'system', 'system', 'system', 'fault', 'time', 'time', 'flip'),
      pick: fc.nat({ max: 40 }),
      sibling: fc.nat({ max: 40 }),
      branch: fc.boolean(),
      dueFirst: fc.boolean(),
    }),
    { minLength: 30, maxLength: 150, size: 'max' },
  ),
});

function build(nodes: number, replicas: number, parallel: boolean, loosePods: number): Cluster {
  let cluster = clusterCreate({ nodes: Array.from({ length: nodes }, (_, index) => ({ name: `node-${index + 1}` })), images: [image] });
  cluster = clusterCreateStatefulSet(cluster, {
    name: 'db',
    replicas,
    podManagementPolicy: parallel ? 'Parallel' : 'OrderedReady',
    template: { labels: { app: 'db' }, containers: [{ name: 'main', image }] },
  });
  for (let index = 0; index < loosePods; index++) cluster = clusterCreatePod(cluster, { name: `loose-${index}`, containers: [{ name: 'main', image }] }, 0);
  return cluster;
}


describe('the pods that are not quiet', () => {
  it('give the same substrate steps and next due tick as a walk over every pod', () => {
    fc.assert(
      fc.property(scenarioArb, ({ nodes, replicas, parallel, loosePods, steps }) => {
        let cluster = build(nodes, replicas, parallel, loosePods);
        let now: Tick = 0;
        for (const step of steps) {
          checkWorld(cluster, now, step.dueFirst);
          const actions = clusterActions(cluster, now, faults);
          if (step.branch && actions.length > 1) {
            // A sibling successor of the same world, checked before the world the walk goes on with.
            const sibling = clusterApply(cluster, actions[step.sibling % actions.length] as ClusterAction, now);
            checkWorld(sibling, now, !step.dueFirst);
          }
          const system = clusterSystemActions(cluster, now);
          const fault = clusterFaultActions(cluster, faults);
          if (step.move === 'flip') {
            const node = cluster.nodes.get(cluster.nodeNames[step.pick % cluster.nodeNames.length] as string) as Node;
            cluster = writeNode(cluster, { ...node, conditions: [readyCondition(!nodeIsReady(node), now)] }, true);
          } else if (step.move === 'system' && system.length > 0) {
            cluster = clusterApply(cluster, system[step.pick % system.length] as ClusterAction, now);
          } else if (step.move === 'fault' && fault.length > 0) {
            cluster = clusterApply(cluster, fault[step.pick % fault.length] as ClusterAction, now);
          } else {
            const due = clusterNextDueTick(cluster);
            now = due !== null && due > now ? due : now + 5;
          }
        }
        checkWorld(cluster, now, false);
      }),
      { numRuns: 100, seed: 11 },
    );
  });

  it('is short once the cluster settles', () => {
    // Non-vacuous: the cached path is the one taken, and it lists no quiet pod.
    let cluster = build(5, 5, true, 0);
    let now: Tick = 0;
    for (let step = 0; step < 500; step++) {
      const actions = clusterSystemActions(cluster, now);
      if (actions.length > 0) {
        cluster = clusterApply(cluster, actions[0] as ClusterAction, now);
        continue;
      }
      const due = clusterNextDueTick(cluster);
      if (due === null) break;
      now = due;
    }
    expect([...cluster.pods.keys()]).toHaveLength(5);
    expect(activePodKeys(cluster)).toEqual([]);
  });
});
