/**
 * How scheduling cost grows with the cluster: `npx tsx bench/scheduler-scale.ts [--quick]`.
 *
 * For 3, 100 and 1,000 nodes over three zones, with three bound pods per node (a third of them with
 * required hostname anti-affinity, so the reverse check has work), it measures one scheduling cycle
 * (`scheduleEvaluate`: PreFilter + Filter + Score over every node) for a plain pod, a pod with
 * required anti-affinity and a pod with preferred affinity; a full bind (`clusterSchedulePod`, with
 * the index updates and the Event); and `clusterActions` after a write (no memo hit). Each figure is
 * the median of five repetitions of a timed loop, in microseconds per call.
 */
import { parseArgs } from 'node:util';
import { clusterActions } from '../src/sim/cluster/actions.ts';
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

function microsPerCall(run: () => void): number {
  const samples: number[] = [];
  for (let repetition = 0; repetition < 6; repetition++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < budgetMs) {
      for (let batch = 0; batch < 10; batch++) run();
      calls += 10;
      elapsed = Number(process.hrtime.bigint() - start) / 1e6;
    }
    if (repetition > 0) samples.push((elapsed * 1000) / calls);
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
  rows.push([String(nodeCount), String(Object.keys(cluster.pods).length), ...[...figures, bind, actions].map((value) => value.toFixed(1))]);
}

const widths = (rows[0] as string[]).map((_, column) => Math.max(...rows.map((row) => (row[column] as string).length)));
for (const row of rows) console.log(row.map((cell, column) => cell.padStart(widths[column] as number)).join('  '));
