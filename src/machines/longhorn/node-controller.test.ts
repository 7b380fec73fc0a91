import { describe, expect, it } from 'vitest';
import { initLonghornWorld } from './init.ts';
import { pdbBlockReason, reconcileInstanceManager, reconcileNode } from './node-controller.ts';
import { longhornProfile, longhornSettingsDefaults, type LonghornSettings } from './settings.ts';
import type { LonghornWorld } from './world.ts';
import { upsert } from './world-ops.ts';

// controller/node_controller.go (findNotReadyAndReadyDiskMaps), controller/kubernetes_node_controller.go
// and controller/instance_manager_controller.go (canDeleteInstanceManagerPDB), reference §1.10–§1.11.

function world(settings: Partial<LonghornSettings> = {}): LonghornWorld {
  return initLonghornWorld({
    profile: longhornProfile('longhorn@1.7.2'),
    settings: { ...longhornSettingsDefaults, ...settings },
    nodeCount: 3,
    volumeCount: 1,
    numberOfReplicas: 3,
    staleReplicaTimeoutTicks: 1800,
    rebuildTicks: 30,
    imStartTicks: 20,
    provisionTicks: 100,
  });
}

function withNode(base: LonghornWorld, name: string, patch: Partial<LonghornWorld['nodes'][number]>): LonghornWorld {
  const node = base.nodes.find((candidate) => candidate.name === name);
  if (node === undefined) throw new Error(name);
  return { ...base, nodes: upsert(base.nodes, { ...node, ...patch }) };
}

describe('Longhorn node and disk status', () => {
  it('a disk whose UUID changed under a kept Node CR is Ready=False DiskFilesystemChanged and not schedulable', () => {
    const next = reconcileNode(withNode(world(), 'node-2', { diskUUID: 'disk-uuid-0009' }), 'node-2');
    const disk = next.lhNodes.find((node) => node.name === 'node-2')?.disk;
    expect(disk?.ready).toMatchObject({ status: 'False', reason: 'DiskFilesystemChanged' });
    expect(disk?.ready.message).toBe("Disk default-disk-fs0002(/var/lib/longhorn/) on node node-2 is not ready: record diskUUID doesn't match the one on the disk ");
    expect(disk?.schedulable).toMatchObject({ status: 'False', reason: 'DiskNotReady' });
    expect(disk?.diskUUID).toBe('disk-uuid-0002');
  });

  it('a deleted Kubernetes node turns the Longhorn node KubernetesNodeGone, then removes it while keeping its replicas', () => {
    const gone = withNode(world(), 'node-2', { present: false, ready: false, imPod: 'absent' });
    const marked = reconcileNode(gone, 'node-2');
    expect(marked.lhNodes.find((node) => node.name === 'node-2')?.ready.reason).toBe('KubernetesNodeGone');
    const removed = reconcileNode(marked, 'node-2');
    expect(removed.lhNodes.some((node) => node.name === 'node-2')).toBe(false);
    expect(removed.replicas.filter((replica) => replica.nodeID === 'node-2')).toHaveLength(1);
  });

  it('a node that rejoins under the same name gets a fresh Node CR with its new disk', () => {
    const gone = reconcileNode(reconcileNode(withNode(world(), 'node-2', { present: false, ready: false }), 'node-2'), 'node-2');
    const back = reconcileNode(withNode(gone, 'node-2', { present: true, ready: true, diskUUID: 'disk-uuid-0004', diskName: 'default-disk-fs0004' }), 'node-2');
    expect(back.lhNodes.find((node) => node.name === 'node-2')?.disk).toMatchObject({ diskName: 'default-disk-fs0004', diskUUID: 'disk-uuid-0004', ready: { status: 'True' } });
  });

  it('a cordoned node is Schedulable=False KubernetesNodeCordoned with disable-scheduling-on-cordoned-node', () => {
    const next = reconcileNode(withNode(world(), 'node-1', { unschedulable: true }), 'node-1');
    expect(next.lhNodes.find((node) => node.name === 'node-1')?.schedulable.reason).toBe('KubernetesNodeCordoned');
  });
});

describe('instance-manager PodDisruptionBudget', () => {
  it('stays while an engine runs on the cordoned node', () => {
    const cordoned = withNode(world(), 'node-1', { unschedulable: true });
    expect(pdbBlockReason(cordoned, 'node-1')).toBe('engine vol-1-e-0 is still on node node-1');
  });

  it('block-if-contains-last-replica lifts it when each replica has a healthy PDB-protected copy elsewhere', () => {
    const cordoned = withNode(world(), 'node-2', { unschedulable: true });
    expect(pdbBlockReason(cordoned, 'node-2')).toBeNull();
    const next = reconcileInstanceManager(cordoned, 'node-2');
    expect(next.lhNodes.find((node) => node.name === 'node-2')?.imPdb).toBe(false);
  });

  it('blocks with "replica <r> has no pdb on another node" when the other copies are failed', () => {
    const base = withNode(world(), 'node-2', { unschedulable: true });
    const replicas = base.replicas.map((replica) => (replica.nodeID === 'node-2' ? replica : { ...replica, failedAt: 5 }));
    expect(pdbBlockReason({ ...base, replicas }, 'node-2')).toBe('replica vol-1-r-02 has no pdb on another node');
    expect(pdbBlockReason({ ...base, replicas, settings: { ...base.settings, 'node-drain-policy': 'always-allow' } }, 'node-2')).toBeNull();
  });
});

describe('the disk-UUID path of #10385 and the proposal', () => {
  it('1.7.2 keeps a replica whose disk left its node as not failed; the proposal marks it failed', async () => {
    const { failReplicasOnMissingDisk } = await import('./volume-resources.ts');
    const rejoined = reconcileNode(
      reconcileNode(reconcileNode(withNode(world(), 'node-2', { present: false, ready: false }), 'node-2'), 'node-2'),
      'node-2',
    );
    const back = reconcileNode(withNode(rejoined, 'node-2', { present: true, ready: true, diskUUID: 'disk-uuid-0004', diskName: 'default-disk-fs0004' }), 'node-2');
    const stale = (w: LonghornWorld) => w.replicas.find((replica) => replica.name === 'vol-1-r-02');
    expect(stale(failReplicasOnMissingDisk(back, 'vol-1'))?.failedAt).toBeNull();
    const proposal = { ...back, profile: longhornProfile('longhorn@1.7.3+fail-replica-on-disk-uuid-change') };
    expect(stale(failReplicasOnMissingDisk(proposal, 'vol-1'))).toMatchObject({ failedAt: 0, desireState: 'stopped' });
  });
});
