// Proves the oracle separates "Pending on an inherited foreign selector" (issue #8763) from
// "Pending for lack of nodes", using the substrate scheduler's own Filter, and that the safety
// check flags a pod bound against its required anti-affinity.
import { describe, expect, it } from 'vitest';
import { clusterCreate, clusterCreatePod, nodePool } from '../../sim/cluster/index.ts';
import { clusterSchedulePod } from '../../sim/cluster/scheduler.ts';
import { writePod } from '../../sim/cluster/store.ts';
import type { Affinity, Cluster } from '../../sim/cluster/types.ts';
import { classifyPendingPod, foreignSelectors, requiredRuleBreach } from './scheduling-oracle.ts';

const instance = 'app.kubernetes.io/instance';

function antiAffinity(clusterName: string): Affinity {
  return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { [instance]: clusterName } }, topologyKey: 'kubernetes.io/hostname' }] } };
}

function addPod(cluster: Cluster, name: string, clusterName: string, affinity: Affinity, bind: boolean): Cluster {
  let next = clusterCreatePod(cluster, { name, labels: { [instance]: clusterName }, containers: [{ name: 'mysql', image: 'mysql:8.0' }], affinity }, 0);
  if (bind) next = clusterSchedulePod(next, `default/${name}`, 0);
  return next;
}

// Three nodes, each holding one pod of source cluster my1 (self anti-affinity).
function fullSource(): Cluster {
  let cluster = clusterCreate({ nodes: nodePool(3), images: ['mysql:8.0'] });
  for (const ordinal of [0, 1, 2]) cluster = addPod(cluster, `my1-mysql-${ordinal}`, 'my1', antiAffinity('my1'), true);
  return cluster;
}

describe('classifyPendingPod', () => {
  // Proves a restored pod carrying my1's selector is Pending only because of it, with the upstream message.
  it('names an inherited foreign selector', () => {
    const cluster = addPod(fullSource(), 'carrot67-mysql-0', 'carrot67', antiAffinity('my1'), false);
    const pod = cluster.pods.get('default/carrot67-mysql-0');
    expect(pod).toBeDefined();
    const verdict = classifyPendingPod(cluster, pod!, 'carrot67');
    expect(verdict.kind).toBe('foreign-selector');
    if (verdict.kind !== 'foreign-selector') return;
    expect(verdict.message).toBe("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    expect(verdict.selectors).toEqual([{ selector: 'app.kubernetes.io/instance=my1', where: 'podAntiAffinity required, topologyKey kubernetes.io/hostname' }]);
  });
  // Proves a fourth pod of a cluster with self anti-affinity on three nodes lacks capacity, not a bug.
  it('calls a pod above the node count lack of capacity', () => {
    const cluster = addPod(fullSource(), 'my1-mysql-3', 'my1', antiAffinity('my1'), false);
    const verdict = classifyPendingPod(cluster, cluster.pods.get('default/my1-mysql-3')!, 'my1');
    expect(verdict).toEqual({ kind: 'lack-of-capacity', message: "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules." });
  });
  // Proves a pod the scheduler could bind right now is reported as schedulable.
  it('reports a bindable pod', () => {
    const cluster = addPod(fullSource(), 'carrot67-mysql-0', 'carrot67', antiAffinity('carrot67'), false);
    expect(classifyPendingPod(cluster, cluster.pods.get('default/carrot67-mysql-0')!, 'carrot67').kind).toBe('schedulable');
  });
  // Proves own-cluster selectors are not foreign.
  it('does not list own selectors', () => {
    const cluster = addPod(fullSource(), 'x', 'my1', antiAffinity('my1'), false);
    expect(foreignSelectors(cluster.pods.get('default/x')!, 'my1')).toEqual([]);
  });
});

describe('requiredRuleBreach', () => {
  // Proves a clean placement passes and a forced co-location against required anti-affinity is caught.
  it('catches a pod bound next to a pod its required anti-affinity selects', () => {
    const clean = fullSource();
    expect(requiredRuleBreach(clean)).toBeNull();
    const pending = addPod(clean, 'my1-mysql-3', 'my1', antiAffinity('my1'), false);
    const pod = pending.pods.get('default/my1-mysql-3')!;
    const forced = writePod(pending, 'default/my1-mysql-3', { ...pod, spec: { ...pod.spec, nodeName: 'node-1' } });
    expect(requiredRuleBreach(forced)).toContain('shares kubernetes.io/hostname=node-1');
  });
});
