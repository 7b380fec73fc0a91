import { describe, expect, it } from 'vitest';
import { eventsAbout } from '../events.ts';
import {
  clusterActions,
  clusterApply,
  clusterCreate,
  clusterCreatePdb,
  clusterCreatePod,
  clusterCreateStatefulSet,
  clusterDeleteStatefulSet,
  clusterDrain,
  clusterNextDueTick,
  clusterNodeDown,
  clusterNodeReplace,
  clusterRegistryRepoint,
  clusterScaleStatefulSet,
  clusterSettle,
  evictionRefusedMessage,
  nodePool,
  podCondition,
  podIsReady,
  type Cluster,
  type StatefulSetInput,
} from './index.ts';
import { driveToQuiet } from './test-helpers.ts';

const antiAffine: StatefulSetInput = {
  name: 'pg',
  replicas: 3,
  template: {
    labels: { app: 'pg' },
    containers: [{ name: 'postgres', image: 'apecloud/spilo:16' }],
    affinity: {
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'pg' } }, topologyKey: 'kubernetes.io/hostname' }],
      },
    },
  },
  volumeClaimTemplates: [{ name: 'data', storageMiB: 1024 }],
};

function threeNodes(): Cluster {
  return clusterCreate({ nodes: nodePool(3, ['zone-a', 'zone-b']), images: ['apecloud/spilo:16'] });
}

function podsOf(cluster: Cluster): string[] {
  return [...cluster.pods.keys()].sort();
}

describe('cluster substrate', () => {
  it('runs an OrderedReady StatefulSet with self anti-affinity to one Ready pod per node, PVCs named <template>-<set>-<ordinal>', () => {
    const { cluster } = driveToQuiet(clusterCreateStatefulSet(threeNodes(), antiAffine), 0);
    expect(podsOf(cluster)).toEqual(['default/pg-0', 'default/pg-1', 'default/pg-2']);
    const nodes = cluster.pods.values().map((pod) => pod.spec.nodeName);
    expect(new Set(nodes).size).toBe(3);
    expect(cluster.pods.values().every(podIsReady)).toBe(true);
    expect([...cluster.pvcs.keys()].sort()).toEqual(['default/data-pg-0', 'default/data-pg-1', 'default/data-pg-2']);
    expect(cluster.statefulSets['default/pg']?.status.readyReplicas).toBe(3);
  });

  it('creates OrderedReady pods one at a time: pg-1 only after pg-0 is Running and Ready', () => {
    const { labels } = driveToQuiet(clusterCreateStatefulSet(threeNodes(), antiAffine), 0);
    const created = labels.filter((label) => label.startsWith('reconcile'));
    const readyPg0 = labels.indexOf('kubelet ready pod pg-0');
    const schedulePg1 = labels.indexOf('schedule pod pg-1');
    expect(readyPg0).toBeGreaterThanOrEqual(0);
    expect(schedulePg1).toBeGreaterThan(readyPg0);
    expect(created.length).toBeGreaterThanOrEqual(3);
  });

  it('leaves a 4th anti-affine replica Pending with the upstream FailedScheduling message', () => {
    const settled = driveToQuiet(clusterCreateStatefulSet(threeNodes(), antiAffine), 0);
    const { cluster } = driveToQuiet(clusterScaleStatefulSet(settled.cluster, 'default', 'pg', 4), settled.now);
    const pod = cluster.pods.get('default/pg-3');
    expect(pod?.status.phase).toBe('Pending');
    expect(pod && podCondition(pod, 'PodScheduled')).toMatchObject({ status: 'False', reason: 'Unschedulable' });
    const events = eventsAbout(cluster.events, 'Pod/pg-3');
    expect(events.map((event) => [event.type, event.reason, event.message, event.source])).toEqual([
      ['Warning', 'FailedScheduling', "0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.", 'default-scheduler'],
    ]);
    // The failed pod is not retried until the cluster changes: the world is quiet.
    expect(clusterActions(cluster, settled.now + 100)).toEqual([]);
  });

  it('bumps resourceVersion on every write and stamps it on the touched object only', () => {
    const before = clusterCreatePod(threeNodes(), { name: 'a', containers: [{ name: 'c', image: 'apecloud/spilo:16' }] }, 0);
    const withB = clusterCreatePod(before, { name: 'b', containers: [{ name: 'c', image: 'apecloud/spilo:16' }] }, 0);
    expect(withB.resourceVersion).toBeGreaterThan(before.resourceVersion);
    expect(withB.pods.get('default/b')?.resourceVersion).toBe(withB.resourceVersion);
    const action = clusterActions(withB, 0).find((candidate) => candidate.label === 'schedule pod b');
    expect(action).toBeDefined();
    const after = clusterApply(withB, action!, 0);
    expect(after.resourceVersion).toBeGreaterThan(withB.resourceVersion);
    expect(after.pods.get('default/b')?.resourceVersion).toBe(after.resourceVersion);
    expect(after.pods.get('default/a')).toBe(withB.pods.get('default/a'));
    expect(after.nodes).toBe(withB.nodes);
  });

  it('runs the cached old digest after a tag re-point with IfNotPresent, while a fresh node pulls the new one', () => {
    const single = clusterCreate({ nodes: nodePool(2), images: ['apecloud/spilo:16'] });
    const pinned = { nodeSelector: { 'kubernetes.io/hostname': 'node-1' }, containers: [{ name: 'c', image: 'apecloud/spilo:16' }] };
    let { cluster, now } = driveToQuiet(clusterCreatePod(single, { name: 'warm', ...pinned }, 0), 0);
    cluster = clusterRegistryRepoint(cluster, 'apecloud/spilo:16');
    cluster = clusterCreatePod(cluster, { name: 'again', ...pinned }, now);
    cluster = clusterCreatePod(cluster, { name: 'fresh', nodeSelector: { 'kubernetes.io/hostname': 'node-2' }, containers: [{ name: 'c', image: 'apecloud/spilo:16' }] }, now);
    ({ cluster, now } = driveToQuiet(cluster, now));
    const warm = cluster.pods.get('default/warm')!.status.containerStatuses[0]!;
    const again = cluster.pods.get('default/again')!.status.containerStatuses[0]!;
    const fresh = cluster.pods.get('default/fresh')!.status.containerStatuses[0]!;
    expect(warm.image).toBe('docker.io/apecloud/spilo:16');
    expect(fresh.image).toBe('docker.io/apecloud/spilo:16');
    expect(again.imageID).toBe(warm.imageID);
    expect(fresh.imageID).not.toBe(warm.imageID);
    expect(fresh.imageID).toBe(`docker.io/apecloud/spilo@${cluster.registry['docker.io/apecloud/spilo:16']}`);
    expect(eventsAbout(cluster.events, 'Pod/again').map((event) => event.message)).toContain('Container image "apecloud/spilo:16" already present on machine');
  });

  it('replaces a node with new disk UUIDs and an empty cache, its pods gone and PVCs kept; the StatefulSet recreates the pod', () => {
    const settled = driveToQuiet(clusterCreateStatefulSet(threeNodes(), antiAffine), 0);
    const victim = settled.cluster.pods.get('default/pg-1')!.spec.nodeName!;
    const before = settled.cluster.nodes.get(victim)!;
    const replaced = clusterNodeReplace(settled.cluster, victim, settled.now);
    const after = replaced.nodes.get(victim)!;
    expect(after.disks.map((disk) => disk.uuid)).not.toContain(before.disks[0]!.uuid);
    expect(after.imageCache).toEqual({});
    expect(replaced.pods.get('default/pg-1')).toBeUndefined();
    expect(replaced.pvcs).toBe(settled.cluster.pvcs);
    const { cluster } = driveToQuiet(replaced, settled.now);
    expect(podIsReady(cluster.pods.get('default/pg-1')!)).toBe(true);
    expect(cluster.pods.get('default/pg-1')!.spec.volumes).toEqual([{ name: 'data-pg-1', claimName: 'data-pg-1' }]);
  });

  it('refuses a drain eviction that would break minAvailable with the upstream 429 text, and retries', () => {
    const settled = driveToQuiet(clusterCreateStatefulSet(threeNodes(), antiAffine), 0);
    const withPdb = clusterCreatePdb(settled.cluster, { name: 'pg', selector: { matchLabels: { app: 'pg' } }, minAvailable: 3 });
    const node = withPdb.pods.get('default/pg-0')!.spec.nodeName!;
    const drained = clusterDrain(withPdb, node, settled.now);
    expect(drained.pods.get('default/pg-0')).toBeDefined();
    expect(drained.nodes.get(node)!.unschedulable).toBe(true);
    expect(drained.nodes.get(node)!.drain?.lastError).toBe(`error when evicting pods/"pg-0" -n default (will retry after 5s): ${evictionRefusedMessage}`);
    expect(clusterNextDueTick(drained)).toBe(settled.now + 5);
    expect(clusterActions(drained, settled.now + 5).map((action) => action.label)).toContain(`kubectl drain ${node} (retry)`);
  });

  it('rejects a down node through its unreachable taint and brings it back on settle', () => {
    const cluster = clusterNodeDown(clusterNodeDown(clusterNodeDown(threeNodes(), 'node-1', 0), 'node-2', 0), 'node-3', 0);
    const withPod = clusterCreatePod(cluster, { name: 'p', containers: [{ name: 'c', image: 'apecloud/spilo:16' }] }, 0);
    const { cluster: stuck } = driveToQuiet(withPod, 0);
    expect(eventsAbout(stuck.events, 'Pod/p')[0]?.message).toBe('0/3 nodes are available: 3 node(s) had untolerated taint {node.kubernetes.io/unreachable: }.');
    const { cluster: healed } = driveToQuiet(clusterSettle(stuck, 1), 1);
    expect(podIsReady(healed.pods.get('default/p')!)).toBe(true);
  });

  it('deletes a StatefulSet with its pods but keeps its PVCs', () => {
    const settled = driveToQuiet(clusterCreateStatefulSet(threeNodes(), antiAffine), 0);
    const deleted = clusterDeleteStatefulSet(settled.cluster, 'default', 'pg', settled.now);
    expect(podsOf(deleted)).toEqual([]);
    expect(deleted.pvcs.size).toBe(3);
    expect(deleted.index.podsByNode.toJSON()).toEqual({ 'node-1': [], 'node-2': [], 'node-3': [] });
  });

  it('offers exactly the fault kinds the model asks for', () => {
    const cluster = threeNodes();
    const labels = clusterActions(cluster, 0, { faults: ['node.down', 'image.repoint'] }).map((action) => action.label);
    expect(labels).toEqual(['fault node.down node-1', 'fault node.down node-2', 'fault node.down node-3', 'fault image.repoint docker.io/apecloud/spilo:16']);
  });
});
