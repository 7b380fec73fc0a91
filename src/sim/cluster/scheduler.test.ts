/**
 * Table-driven scheduler tests: one row per Filter plugin and per FailedScheduling message
 * fragment, with the expected text from reference/longhorn-scheduler.md §5.2–§5.4.
 */
import { describe, expect, it } from 'vitest';
import { clusterCreate, nodePool, type NodeInput } from './store.ts';
import { clusterCordon, clusterNodeDown } from './nodes.ts';
import { podFromInput, type PodInput } from './pods.ts';
import { fitErrorMessage, scheduleEvaluate } from './scheduler.ts';
import { withBoundPod } from './test-helpers.ts';
import type { Affinity, Cluster, PodAffinityTerm } from './types.ts';

const image = 'apecloud/spilo:16';
const small = { cpuMillis: 100, memoryMiB: 128 };

function incoming(extra: Partial<PodInput> = {}): PodInput {
  return { name: 'new', labels: { app: 'pg' }, containers: [{ name: 'c', image, requests: small }], ...extra };
}

function existing(name: string, extra: Partial<PodInput> = {}): PodInput {
  return { name, labels: { app: 'pg' }, containers: [{ name: 'c', image, requests: small }], ...extra };
}

const sameHostAsPg: PodAffinityTerm = { labelSelector: { matchLabels: { app: 'pg' } }, topologyKey: 'kubernetes.io/hostname' };
const antiPg: Affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [sameHostAsPg] } };

function cluster3(nodes: NodeInput[] = nodePool(3)): Cluster {
  return clusterCreate({ nodes, images: [image] });
}

function verdictMessage(cluster: Cluster, pod: PodInput): string {
  const verdict = scheduleEvaluate(cluster, podFromInput(pod, 0));
  return verdict.kind === 'unschedulable' ? verdict.message : `bind ${verdict.nodeName}`;
}

interface Row {
  readonly name: string;
  readonly cluster: () => Cluster;
  readonly pod: PodInput;
  readonly expected: string;
}

const rows: readonly Row[] = [
  // §5.4 NodeUnschedulable: cordon.
  {
    name: 'NodeUnschedulable rejects cordoned nodes',
    cluster: () => ['node-1', 'node-2', 'node-3'].reduce((c, n) => clusterCordon(c, n, 0), cluster3()),
    pod: incoming(),
    expected: '0/3 nodes are available: 3 node(s) were unschedulable.',
  },
  {
    name: 'NodeUnschedulable admits a pod tolerating node.kubernetes.io/unschedulable',
    cluster: () => ['node-1', 'node-2', 'node-3'].reduce((c, n) => clusterCordon(c, n, 0), cluster3()),
    pod: incoming({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }),
    expected: 'bind node-1',
  },
  // §5.4 TaintToleration: recent wording `node(s) had untolerated taint {<key>: <value>}`.
  {
    name: 'TaintToleration rejects an untolerated NoSchedule taint',
    cluster: () => cluster3(nodePool(2, ['zone-a'], { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })),
    pod: incoming(),
    expected: '0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: db}.',
  },
  {
    name: 'TaintToleration accepts an Equal toleration with the same value',
    cluster: () => cluster3(nodePool(2, ['zone-a'], { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] })),
    pod: incoming({ tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' }] }),
    expected: 'bind node-1',
  },
  {
    name: 'TaintToleration rejects an Equal toleration with another value',
    cluster: () => cluster3(nodePool(1, ['zone-a'], { taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] })),
    pod: incoming({ tolerations: [{ key: 'dedicated', value: 'web' }] }),
    expected: '0/1 nodes are available: 1 node(s) had untolerated taint {dedicated: db}.',
  },
  {
    name: 'TaintToleration never filters on PreferNoSchedule',
    cluster: () => cluster3(nodePool(1, ['zone-a'], { taints: [{ key: 'dedicated', value: 'db', effect: 'PreferNoSchedule' }] })),
    pod: incoming(),
    expected: 'bind node-1',
  },
  {
    name: 'a down node is rejected through its unreachable taint (empty value)',
    cluster: () => clusterNodeDown(cluster3(nodePool(1)), 'node-1', 0),
    pod: incoming(),
    expected: '0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.',
  },
  // NodeAffinity: nodeSelector and required terms.
  {
    name: 'NodeAffinity rejects a nodeSelector mismatch',
    cluster: () => cluster3(),
    pod: incoming({ nodeSelector: { disktype: 'ssd' } }),
    expected: "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.",
  },
  {
    name: 'NodeAffinity admits only the zone a required term names',
    cluster: () => cluster3(nodePool(3, ['zone-a', 'zone-b'])),
    pod: incoming({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['zone-b'] }] }] } } } }),
    expected: 'bind node-2',
  },
  // NodeResourcesFit: one reason per insufficient resource, so counts may exceed N (§5.3).
  {
    name: 'NodeResourcesFit reports cpu and memory separately',
    cluster: () => cluster3(nodePool(2, ['zone-a'], { allocatable: { cpuMillis: 500, memoryMiB: 512 } })),
    pod: incoming({ containers: [{ name: 'c', image, requests: { cpuMillis: 1000, memoryMiB: 1024 } }] }),
    expected: '0/2 nodes are available: 2 Insufficient cpu, 2 Insufficient memory.',
  },
  {
    name: 'NodeResourcesFit counts the requests of pods already bound',
    cluster: () => withBoundPod(cluster3(nodePool(1, ['zone-a'], { allocatable: { cpuMillis: 1000, memoryMiB: 4096 } })), existing('hog', { labels: {}, containers: [{ name: 'c', image, requests: { cpuMillis: 950, memoryMiB: 10 } }] }), 'node-1'),
    pod: incoming(),
    expected: '0/1 nodes are available: 1 Insufficient cpu.',
  },
  // §5.2 required pod affinity.
  {
    name: 'InterPodAffinity: required affinity with no matching pod and a pod not matching itself',
    cluster: () => cluster3(),
    pod: incoming({ labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [sameHostAsPg] } } }),
    expected: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
  },
  {
    name: 'InterPodAffinity: the first pod of a self-affine group may go anywhere',
    cluster: () => cluster3(),
    pod: incoming({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [sameHostAsPg] } } }),
    expected: 'bind node-1',
  },
  {
    name: 'InterPodAffinity: required affinity follows the matching pod to its node',
    cluster: () => withBoundPod(cluster3(), existing('pg-0'), 'node-3'),
    pod: incoming({ labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [sameHostAsPg] } } }),
    expected: 'bind node-3',
  },
  {
    name: 'InterPodAffinity: a node without the topology key fails required affinity',
    cluster: () => withBoundPod(cluster3(), existing('pg-0'), 'node-3'),
    pod: incoming({ labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...sameHostAsPg, topologyKey: 'rack' }] } } }),
    expected: "0/3 nodes are available: 3 node(s) didn't match pod affinity rules.",
  },
  // §5.2 required anti-affinity of the incoming pod.
  {
    name: 'InterPodAffinity: anti-affinity with a replica on every node (the reference example)',
    cluster: () => withBoundPod(withBoundPod(withBoundPod(cluster3(), existing('pg-0'), 'node-1'), existing('pg-1'), 'node-2'), existing('pg-2'), 'node-3'),
    pod: incoming({ affinity: antiPg }),
    expected: "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.",
  },
  {
    name: 'InterPodAffinity: anti-affinity over zones rejects every node of an occupied zone',
    cluster: () => withBoundPod(cluster3(nodePool(4, ['zone-a', 'zone-b'])), existing('pg-0'), 'node-1'),
    pod: incoming({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...sameHostAsPg, topologyKey: 'topology.kubernetes.io/zone' }] } } }),
    expected: 'bind node-2',
  },
  {
    name: 'InterPodAffinity: nodes without the topologyKey label are not rejected by anti-affinity',
    cluster: () => withBoundPod(cluster3(nodePool(1)), existing('pg-0'), 'node-1'),
    pod: incoming({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...sameHostAsPg, topologyKey: 'rack' }] } } }),
    expected: 'bind node-1',
  },
  {
    name: 'InterPodAffinity: anti-affinity ignores matching pods of another namespace by default',
    cluster: () => withBoundPod(cluster3(nodePool(1)), existing('pg-0', { namespace: 'other' }), 'node-1'),
    pod: incoming({ affinity: antiPg }),
    expected: 'bind node-1',
  },
  {
    name: 'InterPodAffinity: anti-affinity counts another namespace listed in namespaces',
    cluster: () => withBoundPod(cluster3(nodePool(1)), existing('pg-0', { namespace: 'other' }), 'node-1'),
    pod: incoming({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...sameHostAsPg, namespaces: ['other'] }] } } }),
    expected: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
  },
  {
    name: 'InterPodAffinity: an empty namespaceSelector means all namespaces',
    cluster: () => withBoundPod(cluster3(nodePool(1)), existing('pg-0', { namespace: 'other' }), 'node-1'),
    pod: incoming({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ ...sameHostAsPg, namespaceSelector: {} }] } } }),
    expected: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
  },
  {
    name: 'InterPodAffinity: a null labelSelector matches no pods',
    cluster: () => withBoundPod(cluster3(nodePool(1)), existing('pg-0'), 'node-1'),
    pod: incoming({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: null, topologyKey: 'kubernetes.io/hostname' }] } } }),
    expected: 'bind node-1',
  },
  {
    name: 'InterPodAffinity: matchExpressions select as well as matchLabels',
    cluster: () => withBoundPod(cluster3(nodePool(1)), existing('pg-0'), 'node-1'),
    pod: incoming({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['pg', 'mysql'] }] }, topologyKey: 'kubernetes.io/hostname' }] } } }),
    expected: "0/1 nodes are available: 1 node(s) didn't match pod anti-affinity rules.",
  },
  // §5.2 symmetry: an existing pod's anti-affinity rejects the incoming pod.
  {
    name: "InterPodAffinity: existing pods' anti-affinity (symmetry)",
    cluster: () => withBoundPod(withBoundPod(cluster3(nodePool(2)), existing('guard-1', { labels: { app: 'guard' }, affinity: antiPg }), 'node-1'), existing('guard-2', { labels: { app: 'guard' }, affinity: antiPg }), 'node-2'),
    pod: incoming(),
    expected: "0/2 nodes are available: 2 node(s) didn't satisfy existing pods anti-affinity rules.",
  },
  // §5.3 histogram: entries sorted as strings; §5.1 the first rejecting plugin of a node wins.
  {
    name: 'histogram entries are sorted as strings; a cordoned and tainted node reports only unschedulable',
    cluster: () => {
      let cluster = cluster3(nodePool(4));
      cluster = clusterCordon(cluster, 'node-1', 0);
      cluster = clusterNodeDown(cluster, 'node-1', 0);
      cluster = clusterNodeDown(cluster, 'node-2', 0);
      return withBoundPod(withBoundPod(cluster, existing('pg-0'), 'node-3'), existing('pg-1'), 'node-4');
    },
    pod: incoming({ affinity: antiPg }),
    expected: "0/4 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }, 1 node(s) were unschedulable, 2 node(s) didn't match pod anti-affinity rules.",
  },
  {
    name: 'no nodes at all',
    cluster: () => cluster3([]),
    pod: incoming(),
    expected: 'no nodes available to schedule pods',
  },
];

describe('scheduler filters and FailedScheduling messages', () => {
  for (const row of rows) {
    // Proves: the scheduler's verdict for this filter/fragment matches the reference wording.
    it(row.name, () => {
      expect(verdictMessage(row.cluster(), row.pod)).toBe(row.expected);
    });
  }

  it('sorts histogram entries as strings, so 10 sorts before 2', () => {
    // Proves FitError's plain string sort (reference §5.3), not a numeric one.
    const reasons: Record<string, string[]> = {};
    for (let index = 0; index < 12; index++) reasons[`n${index}`] = [index < 10 ? 'Insufficient cpu' : 'Insufficient memory'];
    expect(fitErrorMessage(12, reasons)).toBe('0/12 nodes are available: 10 Insufficient cpu, 2 Insufficient memory.');
  });
});

describe('scheduler scores', () => {
  it('prefers the node with a pod its preferred affinity names', () => {
    // Proves preferred pod affinity outweighs least-allocated (InterPodAffinity weight 2).
    const cluster = withBoundPod(cluster3(), existing('cache', { labels: { app: 'cache' } }), 'node-2');
    const pod = incoming({ affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' } }] } } });
    expect(verdictMessage(cluster, pod)).toBe('bind node-2');
  });

  it('avoids the node with a pod its preferred anti-affinity names', () => {
    // Proves preferred anti-affinity subtracts weight from the occupied domain.
    const cluster = withBoundPod(cluster3(nodePool(2)), existing('pg-0'), 'node-1');
    const pod = incoming({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: sameHostAsPg }] } } });
    expect(verdictMessage(cluster, pod)).toBe('bind node-2');
  });

  it('spreads by least allocated, then breaks ties by node name', () => {
    // Proves LeastAllocated moves the pod off the busier node, and equal scores pick the first name.
    const busy = withBoundPod(cluster3(), existing('big', { labels: {}, containers: [{ name: 'c', image, requests: { cpuMillis: 2000, memoryMiB: 8000 } }] }), 'node-1');
    expect(verdictMessage(busy, incoming())).toBe('bind node-2');
    expect(verdictMessage(cluster3(), incoming())).toBe('bind node-1');
  });

  it('prefers a node without an untolerated PreferNoSchedule taint', () => {
    // Proves the TaintToleration score (reverse-normalized count of PreferNoSchedule taints).
    const nodes = nodePool(2);
    const tainted = [{ ...nodes[0]!, taints: [{ key: 'spot', value: '', effect: 'PreferNoSchedule' as const }] }, nodes[1]!];
    expect(verdictMessage(cluster3(tainted), incoming())).toBe('bind node-2');
  });
});

describe('preemption suffix (opt-in, reference §5.3)', () => {
  it('appends the reference example suffix when the profile asks for it', () => {
    // Proves the exact example of reference §5.3 for three nodes that each host a matching replica.
    let cluster = clusterCreate({ nodes: nodePool(3), images: [image], scheduler: { preemptionMessage: true } });
    cluster = withBoundPod(withBoundPod(withBoundPod(cluster, existing('pg-0'), 'node-1'), existing('pg-1'), 'node-2'), existing('pg-2'), 'node-3');
    expect(verdictMessage(cluster, incoming({ affinity: antiPg }))).toBe(
      "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
    );
  });

  it('counts unresolvable nodes (cordon, taint, node affinity) as "Preemption is not helpful for scheduling"', () => {
    // Proves the split between UnschedulableAndUnresolvable and Unschedulable statuses.
    let cluster = clusterCreate({ nodes: nodePool(3), images: [image], scheduler: { preemptionMessage: true } });
    cluster = withBoundPod(withBoundPod(clusterCordon(cluster, 'node-1', 0), existing('pg-1'), 'node-2'), existing('pg-2'), 'node-3');
    expect(verdictMessage(cluster, incoming({ affinity: antiPg }))).toBe(
      "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match pod anti-affinity rules. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.",
    );
  });
});
