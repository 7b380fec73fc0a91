/**
 * fast-check properties of the substrate over random node pools and pods (issue 3):
 * the scheduler agrees with a naive oracle (so never binds against a required rule or a taint, and
 * never leaves a pod Pending that some node admits), never overcommits, keeps its indexes exact,
 * drain never takes a PDB below minAvailable, replace renews every disk UUID and keeps PVCs, and a
 * re-pointed tag plus a warm cache yields a status digest that differs from a fresh pull.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterActions, clusterApply } from './actions.ts';
import { oracleFirstFit, oracleRejection } from './oracle.ts';
import { clusterCreatePod, clusterDeletePod, podFromInput, podIsReady, type PodInput } from './pods.ts';
import { nodeIsReady } from './kubelet.ts';
import { clusterCreatePdb, clusterDrain, clusterDrainRetry, clusterNodeDown, clusterNodeReplace, clusterNodeUp, clusterCordon, clusterRegistryRepoint, clusterUncordon } from './nodes.ts';
import { clusterSchedulePod, scheduleEvaluate } from './scheduler.ts';
import { clusterCreateStatefulSet } from './statefulset.ts';
import { clusterCreate, nodePool, podRequests, type NodeInput } from './store.ts';
import { driveToQuiet, withBoundPod } from './test-helpers.ts';
import type { Affinity, Cluster, Pod, PodAffinityTerm, Resources } from './types.ts';

const image = 'example/app:1';
const zones = ['zone-a', 'zone-b', 'zone-c'];
const topologyKeys = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone', 'rack'];

const nodeArb = (index: number): fc.Arbitrary<NodeInput> =>
  fc.record({
    zone: fc.constantFrom(...zones),
    rack: fc.option(fc.constantFrom('r1', 'r2'), { nil: undefined }),
    cpu: fc.constantFrom(500, 1000, 4000),
    memory: fc.constantFrom(1024, 4096),
    taint: fc.option(fc.constantFrom('NoSchedule', 'NoExecute', 'PreferNoSchedule') as fc.Arbitrary<'NoSchedule' | 'NoExecute' | 'PreferNoSchedule'>, { nil: undefined }),
  }).map(({ zone, rack, cpu, memory, taint }) => ({
    name: `node-${index + 1}`,
    zone,
    ...(rack === undefined ? {} : { labels: { rack } }),
    allocatable: { cpuMillis: cpu, memoryMiB: memory },
    ...(taint === undefined ? {} : { taints: [{ key: 'dedicated', value: 'db', effect: taint }] }),
  }));

const termArb: fc.Arbitrary<PodAffinityTerm> = fc.record({
  app: fc.constantFrom('a', 'b'),
  topologyKey: fc.constantFrom(...topologyKeys),
  expression: fc.boolean(),
  allNamespaces: fc.boolean(),
}).map(({ app, topologyKey, expression, allNamespaces }) => ({
  labelSelector: expression ? { matchExpressions: [{ key: 'app', operator: 'In' as const, values: [app] }] } : { matchLabels: { app } },
  topologyKey,
  ...(allNamespaces ? { namespaceSelector: {} } : {}),
}));

const affinityArb: fc.Arbitrary<Affinity> = fc.record({
  affinity: fc.array(termArb, { maxLength: 2 }),
  anti: fc.array(termArb, { maxLength: 2 }),
  zone: fc.option(fc.constantFrom(...zones), { nil: undefined }),
}).map(({ affinity, anti, zone }) => ({
  ...(affinity.length > 0 ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: affinity } } : {}),
  ...(anti.length > 0 ? { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: anti } } : {}),
  ...(zone === undefined ? {} : { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In' as const, values: [zone] }] }] } } }),
}));

const podArb = (name: string): fc.Arbitrary<PodInput> =>
  fc.record({
    app: fc.constantFrom('a', 'b'),
    namespace: fc.constantFrom('default', 'other'),
    cpu: fc.constantFrom(100, 400, 900),
    memory: fc.constantFrom(128, 1024),
    affinity: affinityArb,
    tolerates: fc.boolean(),
    toleratesCordon: fc.boolean(),
  }).map(({ app, namespace, cpu, memory, affinity, tolerates, toleratesCordon }) => ({
    name,
    namespace,
    labels: { app },
    containers: [{ name: 'c', image, requests: { cpuMillis: cpu, memoryMiB: memory } }],
    affinity,
    tolerations: [
      ...(tolerates ? [{ key: 'dedicated', operator: 'Exists' as const }] : []),
      ...(toleratesCordon ? [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' as const, effect: 'NoSchedule' as const }] : []),
    ],
  }));

/** A cluster with nodes (some cordoned or down) and pods already bound anywhere (IgnoredDuringExecution). */
const clusterArb: fc.Arbitrary<Cluster> = fc
  .integer({ min: 1, max: 6 })
  .chain((count) =>
    fc.record({
      nodes: fc.tuple(...Array.from({ length: count }, (_, index) => nodeArb(index))),
      cordoned: fc.array(fc.integer({ min: 1, max: count }), { maxLength: 2 }),
      down: fc.array(fc.integer({ min: 1, max: count }), { maxLength: 2 }),
      pods: fc.array(fc.tuple(fc.integer({ min: 1, max: count }), fc.integer({ min: 0, max: 1_000_000 })), { maxLength: 8 }),
    }),
  )
  .chain(({ nodes, cordoned, down, pods }) =>
    fc.tuple(...pods.map(([, salt], index) => podArb(`e${index}-${salt % 7}`))).map((inputs) => {
      let cluster = clusterCreate({ nodes, images: [image] });
      for (const index of new Set(cordoned)) cluster = clusterCordon(cluster, `node-${index}`, 0);
      for (const index of new Set(down)) cluster = clusterNodeDown(cluster, `node-${index}`, 0);
      inputs.forEach((input, index) => {
        cluster = withBoundPod(cluster, { ...input, name: `e${index}` }, `node-${(pods[index] as [number, number])[0]}`);
      });
      return cluster;
    }),
  );

/** The index as plain records, recomputed from the pods. */
interface PlainIndex {
  readonly podsByNode: Record<string, string[]>;
  readonly podsByLabel: Record<string, string[]>;
  readonly podsWithAffinity: readonly string[];
  readonly requestedByNode: Record<string, Resources>;
}

function recomputedIndex(cluster: Cluster): PlainIndex {
  const podsByNode: Record<string, string[]> = {};
  const requestedByNode: Record<string, Resources> = {};
  const podsByLabel: Record<string, string[]> = {};
  const podsWithAffinity: string[] = [];
  for (const name of cluster.nodeNames) {
    podsByNode[name] = [];
    requestedByNode[name] = { cpuMillis: 0, memoryMiB: 0 };
  }
  for (const key of [...cluster.pods.keys()].sort()) {
    const pod = cluster.pods.get(key) as Pod;
    for (const label in pod.labels) (podsByLabel[`${label}=${pod.labels[label]}`] ??= []).push(key);
    const nodeName = pod.spec.nodeName;
    if (nodeName === null) continue;
    (podsByNode[nodeName] as string[]).push(key);
    const used = requestedByNode[nodeName] as Resources;
    const requests = podRequests(pod);
    requestedByNode[nodeName] = { cpuMillis: used.cpuMillis + requests.cpuMillis, memoryMiB: used.memoryMiB + requests.memoryMiB };
    if (pod.spec.affinity?.podAffinity !== undefined || pod.spec.affinity?.podAntiAffinity !== undefined) podsWithAffinity.push(key);
  }
  return { podsByNode, podsByLabel, podsWithAffinity, requestedByNode };
}

function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

describe('scheduler properties', () => {
  it('binds only where the naive oracle admits the pod, and fails only when no node does', () => {
    // Proves filter soundness (never against a taint, cordon, selector, resources or required rule) and completeness.
    fc.assert(
      fc.property(clusterArb, podArb('incoming'), (cluster, input) => {
        const pod = podFromInput(input, 0);
        const verdict = scheduleEvaluate(cluster, pod);
        if (verdict.kind === 'bind') expect(oracleRejection(cluster, pod, cluster.nodes.get(verdict.nodeName)!)).toBeNull();
        else {
          expect(oracleFirstFit(cluster, pod)).toBeNull();
          expect(verdict.message).toMatch(new RegExp(`^0/${cluster.nodeNames.length} nodes are available: `));
          expect(Object.keys(verdict.reasonsByNode).sort()).toEqual([...cluster.nodeNames]);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('binds the first node of the best score in node order, as the verdict of scheduleEvaluate says, or records its message', () => {
    // Proves the bind path's winner (scores by position, the first of equal scores) equals the verdict's.
    let ties = 0;
    fc.assert(
      // Identical empty nodes score alike: every bind there is a tie.
      fc.property(fc.oneof(clusterArb, fc.integer({ min: 2, max: 6 }).map((count) => clusterCreate({ nodes: nodePool(count, zones), images: [image] }))), podArb('incoming'), (start, input) => {
        const cluster = clusterCreatePod(start, input, 0);
        const key = `${input.namespace ?? 'default'}/incoming`;
        const pod = cluster.pods.get(key)!;
        const verdict = scheduleEvaluate(cluster, pod);
        const scheduled = clusterSchedulePod(cluster, key, 0).pods.get(key)!;
        if (verdict.kind === 'bind') {
          // The winner picked from the verdict's record as the scheduler did before it kept scores by position.
          let winner: string | null = null;
          for (const name in verdict.scores) if (winner === null || verdict.scores[name]! > verdict.scores[winner]!) winner = name;
          expect(verdict.nodeName).toBe(winner);
          expect(scheduled.spec.nodeName).toBe(winner);
          expect(Object.keys(verdict.scores)).toEqual(cluster.nodeNames.filter((name) => name in verdict.scores));
          const scores = Object.values(verdict.scores);
          if (scores.filter((score) => score === Math.max(...scores)).length > 1) ties++;
        } else {
          expect(scheduled.spec.nodeName).toBeNull();
          expect(scheduled.status.conditions.find((condition) => condition.type === 'PodScheduled')?.message).toBe(verdict.message);
        }
      }),
      { numRuns: 400 },
    );
    // Equal best scores happen, so the tie-break is exercised.
    expect(ties).toBeGreaterThan(10);
  });

  it('never overcommits a node and keeps its indexes equal to a recomputation, across creates, deletes and node faults', () => {
    // Proves the incremental indexes and the resource filter under random operation sequences.
    const opArb = fc.oneof(
      fc.record({ op: fc.constant('create' as const), pod: podArb('x') }),
      fc.record({ op: fc.constantFrom('step' as const, 'delete' as const, 'down' as const, 'up' as const, 'replace' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(clusterArb, fc.array(opArb, { maxLength: 40 }), (start, ops) => {
        let cluster = start;
        let created = 0;
        for (const op of ops) {
          const pods = [...cluster.pods.values()];
          const nodes = cluster.nodeNames;
          if (op.op === 'create') cluster = clusterCreatePod(cluster, { ...op.pod, name: `n${created++}` }, 0);
          else if (op.op === 'step') {
            const actions = clusterActions(cluster, 1_000);
            const action = actions[op.pick % Math.max(1, actions.length)];
            if (action !== undefined) {
              cluster = clusterApply(cluster, action, 1_000);
              // A pod the scheduler just bound never pushes its node past allocatable.
              const bound = action.op === 'schedule' ? cluster.pods.get(action.pod)?.spec.nodeName : null;
              if (bound) {
                const used = recomputedIndex(cluster).requestedByNode[bound]!;
                const node = cluster.nodes.get(bound)!;
                expect(used.cpuMillis <= node.allocatable.cpuMillis && used.memoryMiB <= node.allocatable.memoryMiB).toBe(true);
              }
            }
          } else if (op.op === 'delete' && pods.length > 0) {
            const pod = pods[op.pick % pods.length]!;
            cluster = clusterDeletePod(cluster, pod.namespace, pod.name, 0);
          } else if (op.op !== 'delete') {
            const name = nodes[op.pick % nodes.length]!;
            const ready = nodeIsReady(cluster.nodes.get(name)!);
            if (op.op === 'down' && ready) cluster = clusterNodeDown(cluster, name, 0);
            if (op.op === 'up' && !ready) cluster = clusterNodeUp(cluster, name, 0);
            if (op.op === 'replace') cluster = clusterNodeReplace(cluster, name, 0);
          }
          const index = recomputedIndex(cluster);
          expect(sortedRecord(cluster.index.podsByNode.toJSON())).toEqual(index.podsByNode);
          expect(sortedRecord(cluster.index.requestedByNode.toJSON())).toEqual(index.requestedByNode);
          expect(sortedRecord(cluster.index.podsByLabel.toJSON())).toEqual(sortedRecord(index.podsByLabel));
          expect(cluster.index.podsWithAffinity).toEqual(index.podsWithAffinity);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('drain, replace and image properties', () => {
  const settledSet = (nodes: number, replicas: number): { cluster: Cluster; now: number } =>
    driveToQuiet(
      clusterCreateStatefulSet(clusterCreate({ nodes: Array.from({ length: nodes }, (_, index) => ({ name: `node-${index + 1}` })), images: [image] }), {
        name: 'db',
        replicas,
        podManagementPolicy: 'Parallel',
        template: { labels: { app: 'db' }, containers: [{ name: 'c', image }] },
        volumeClaimTemplates: [{ name: 'data', storageMiB: 10 }],
      }),
      0,
    );

  function healthy(cluster: Cluster): number {
    return cluster.pods.values().filter((pod) => pod.labels.app === 'db' && podIsReady(pod)).length;
  }

  it('never lets a drain or its retries take a PDB below minAvailable', () => {
    // Proves the Eviction API's budget check: evictions alone never cross minAvailable.
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 5 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.tuple(fc.constantFrom('drain', 'retry', 'uncordon', 'run'), fc.nat()), { maxLength: 20 }),
        (nodes, replicas, minRaw, ops) => {
          const settled = settledSet(nodes, replicas);
          const minAvailable = minRaw % (replicas + 1);
          let cluster = clusterCreatePdb(settled.cluster, { name: 'db', selector: { matchLabels: { app: 'db' } }, minAvailable });
          let now = settled.now;
          for (const [op, pick] of ops) {
            const name = cluster.nodeNames[pick % cluster.nodeNames.length]!;
            const before = healthy(cluster);
            if (op === 'drain' && cluster.nodes.get(name)!.drain === null) cluster = clusterDrain(cluster, name, now);
            else if (op === 'retry' && cluster.nodes.get(name)!.drain !== null) {
              now = Math.max(now, cluster.nodes.get(name)!.drain!.retryDueTick);
              cluster = clusterDrainRetry(cluster, name, now);
            } else if (op === 'uncordon') cluster = clusterUncordon(cluster, name, now);
            else if (op === 'run') ({ cluster, now } = driveToQuiet(cluster, now, 10_000, undefined, now + 60));
            expect(healthy(cluster)).toBeGreaterThanOrEqual(Math.min(before, minAvailable));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives every disk of a replaced node a new UUID, keeps every PVC, and removes only that node’s pods', () => {
    // Proves replace semantics: same name, new disk identity, PVC objects untouched.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.nat(), fc.integer({ min: 1, max: 3 }), (nodes, replicas, pick, times) => {
        const settled = settledSet(nodes, replicas);
        let cluster = settled.cluster;
        const name = cluster.nodeNames[pick % nodes]!;
        const seen = new Set(cluster.nodes.get(name)!.disks.map((disk) => disk.uuid));
        for (let round = 0; round < times; round++) {
          const before = cluster;
          cluster = clusterNodeReplace(cluster, name, settled.now);
          for (const disk of cluster.nodes.get(name)!.disks) {
            expect(seen.has(disk.uuid)).toBe(false);
            seen.add(disk.uuid);
          }
          expect(cluster.pvcs).toBe(before.pvcs);
          expect(cluster.nodes.get(name)!.imageCache).toEqual({});
          for (const [key, pod] of [...before.pods]) {
            if (pod.spec.nodeName === name) expect(cluster.pods.get(key)).toBeUndefined();
            else expect(cluster.pods.get(key)).toBe(pod);
          }
          ({ cluster } = driveToQuiet(cluster, settled.now));
        }
        expect(cluster.pvcs.size).toBe(replicas);
      }),
      { numRuns: 60 },
    );
  });

  it('yields differing status digests for a warm IfNotPresent node and a fresh pull after a tag re-point, and equal ones under Always', () => {
    // Proves reference §6.2: the cache keeps old content under IfNotPresent; Always resolves the tag again.
    fc.assert(
      fc.property(fc.constantFrom('nginx:1.25', 'apecloud/spilo:16', 'registry.example.com/team/db:2'), fc.integer({ min: 1, max: 3 }), fc.constantFrom('IfNotPresent', 'Always'), (ref, repoints, policy) => {
        const base = clusterCreate({ nodes: [{ name: 'warm' }, { name: 'fresh' }], images: [ref] });
        const on = (name: string, node: string): PodInput => ({ name, nodeSelector: { 'kubernetes.io/hostname': node }, containers: [{ name: 'c', image: ref, imagePullPolicy: policy as 'IfNotPresent' | 'Always' }] });
        let { cluster, now } = driveToQuiet(clusterCreatePod(base, on('first', 'warm'), 0), 0);
        for (let round = 0; round < repoints; round++) cluster = clusterRegistryRepoint(cluster, ref);
        cluster = clusterCreatePod(clusterCreatePod(cluster, on('again', 'warm'), now), on('other', 'fresh'), now);
        ({ cluster, now } = driveToQuiet(cluster, now));
        const idOf = (name: string): string => cluster.pods.get(`default/${name}`)!.status.containerStatuses[0]!.imageID;
        expect(idOf('first')).not.toBe(idOf('other'));
        if (policy === 'IfNotPresent') expect(idOf('again')).toBe(idOf('first'));
        else expect(idOf('again')).toBe(idOf('other'));
        expect(cluster.pods.get('default/other')!.status.containerStatuses[0]!.image).toMatch(/^(docker\.io|registry\.example\.com)\//);
      }),
      { numRuns: 30 },
    );
  });
});
