/**
 * How scheduling cost grows with the cluster: `npx tsx bench/scheduler-scale.ts [--quick]`.
 *
 * For 3, 100 and 1,000 nodes over three zones, with three bound pods per node (a third of them with
 * required hostname anti-affinity, so the reverse check has work), it measures one scheduling cycle
 * (`scheduleEvaluate`: PreFilter + Filter + Score over every node) for a plain pod, a pod with
 * required anti-affinity and a pod with preferred affinity; a full bind (`clusterSchedulePod`, with
 * the index updates and the Event); and `clusterActions` after a write (no memo hit). Each figure is
 * the median of five repetitions of a timed loop, in microseconds of this process's CPU time per
 * call (`process.cpuUsage`, so that other work on a shared machine inflates the figures less).
 */
import { parseArgs } from 'node:util';
import { clusterActions, clusterApply, clusterNextDueTick, clusterSettle, type ClusterAction, type ClusterFaultKind } from '../src/sim/cluster/actions.ts';
import { clusterCreateStatefulSet } from '../src/sim/cluster/statefulset.ts';
import { Prng, ratio } from '../src/sim/prng.ts';
import { podFromInput, type PodInput } from '../src/sim/cluster/pods.ts';
import { clusterSchedulePod, scheduleEvaluate } from '../src/sim/cluster/scheduler.ts';
import { clusterCreate, nodePool, objectKey, writePod } from '../src/sim/cluster/store.ts';
import type { Cluster } from '../src/sim/cluster/types.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const budgetMs = values.quick ? 100 : 400;
const image = 'example/app:1';
const antiHost = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };

function populated(nodeCount: number): Cluster {
  let cluster = clusterCreate({ nodes: nodePool(nodeCount, ['zone-a', 'zone-b', 'zone-c'], { allocatable: { cpuMillis: 16_000, memoryMiB: 65_536 } }), images: [image] });
  // Bulk-load the bound pods through writePod so the indexes are the ones the scheduler reads.
  for (let index = 0; index < nodeCount * 3; index++) {
    const app = index % 3 === 0 ? 'db' : index % 3 === 1 ? 'web' : 'cache';
    const input: PodInput = { name: `${app}-${index}`, labels: { app, tier: `t${index % 7}` }, containers: [{ name: 'c', image, requests: { cpuMillis: 250, memoryMiB: 512 } }], ...(app === 'db' ? { affinity: antiHost } : {}) };
    const pod = podFromInput(input, 0);
    cluster = writePod(cluster, objectKey(pod.namespace, pod.name), { ...pod, spec: { ...pod.spec, nodeName: `node-${(index % nodeCount) + 1}` } });
  }
  return cluster;
}

function cpuMicros(): number {
  const usage = process.cpuUsage();
  return usage.user + usage.system;
}

function microsPerCall(run: () => void): number {
  const samples: number[] = [];
  for (let repetition = 0; repetition < 6; repetition++) {
    let calls = 0;
    const start = cpuMicros();
    let elapsed = 0;
    while (elapsed < budgetMs * 1000) {
      for (let batch = 0; batch < 10; batch++) run();
      calls += 10;
      elapsed = cpuMicros() - start;
    }
    if (repetition > 0) samples.push(elapsed / calls);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

const cases: Record<string, PodInput> = {
  plain: { name: 'incoming', labels: { app: 'web' }, containers: [{ name: 'c', image }] },
  antiAffinity: { name: 'incoming', labels: { app: 'db' }, containers: [{ name: 'c', image }], affinity: antiHost },
  preferred: {
    name: 'incoming',
    labels: { app: 'web' },
    containers: [{ name: 'c', image }],
    affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' } }] } },
  },
};

const rows: string[][] = [['nodes', 'pods', 'evaluate plain µs', 'evaluate anti-affinity µs', 'evaluate preferred µs', 'bind µs', 'actions µs']];
for (const nodeCount of [3, 100, 1_000]) {
  const cluster = populated(nodeCount);
  const figures = Object.values(cases).map((input) => {
    const pod = podFromInput(input, 0);
    return microsPerCall(() => void scheduleEvaluate(cluster, pod));
  });
  const pending = writePod(cluster, 'default/incoming', podFromInput(cases.plain as PodInput, 0));
  const bind = microsPerCall(() => void clusterSchedulePod(pending, 'default/incoming', 0));
  // A fresh object each call defeats clusterActions' identity memo: the cost of a step after a write.
  const actions = microsPerCall(() => void clusterActions({ ...pending }, 0));
  rows.push([String(nodeCount), String(cluster.pods.keys().length), ...[...figures, bind, actions].map((value) => value.toFixed(1))]);
}

const widths = (rows[0] as string[]).map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column] as number)).join('  '));

/**
 * Substrate steps per CPU second in a hunt-sized cluster: 3 nodes, a 3-replica StatefulSet with
 * hostname anti-affinity, node and pod faults; a seeded random walk over `clusterActions` /
 * `clusterApply` (faults with chance 1/8, time only when nothing else is enabled), 300 steps per run.
 */
function substrateStepsPerSecond(): { steps: number; perSecond: number } {
  const faults: readonly ClusterFaultKind[] = ['node.down', 'node.up', 'node.replace', 'pod.delete', 'pod.restart', 'image.repoint'];
  const options = { faults };
  const base = clusterCreateStatefulSet(clusterCreate({ nodes: nodePool(3, ['zone-a', 'zone-b', 'zone-c']), images: [image] }), {
    name: 'pg',
    replicas: 3,
    template: { labels: { app: 'db' }, containers: [{ name: 'c', image }], affinity: antiHost },
    volumeClaimTemplates: [{ name: 'data', storageMiB: 10 }],
  });
  let steps = 0;
  const runs = values.quick ? 300 : 1_500;
  const start = cpuMicros();
  for (let seed = 1; seed <= runs; seed++) {
    const prng = Prng.fromSeed(seed);
    let cluster = base;
    let now = 0;
    for (let step = 0; step < 300; step++) {
      if (step === 200) cluster = clusterSettle(cluster, now);
      const actions = clusterActions(cluster, now, step < 200 ? options : { faults: [] });
      const urgent = actions.filter((action) => action.kind !== 'fault');
      const faultsEnabled = actions.filter((action) => action.kind === 'fault');
      const pool: readonly ClusterAction[] = faultsEnabled.length > 0 && (urgent.length === 0 || prng.chance(ratio(1, 8))) ? faultsEnabled : urgent;
      if (pool.length === 0) {
        const due = clusterNextDueTick(cluster);
        now = due !== null && due > now ? due : now + 5;
        continue;
      }
      cluster = clusterApply(cluster, prng.pick(pool), now);
      steps++;
    }
  }
  const elapsed = cpuMicros() - start;
  return { steps, perSecond: Math.round((steps * 1e6) / elapsed) };
}

substrateStepsPerSecond();
const walk = substrateStepsPerSecond();
console.log(`\nsubstrate random walk (3 nodes, 3-replica StatefulSet, faults): ${walk.steps} steps, ${walk.perSecond} steps per CPU second`);
