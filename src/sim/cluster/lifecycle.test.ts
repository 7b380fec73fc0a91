import { describe, expect, it } from 'vitest';
import { eventsAbout } from '../events.ts';
import { clusterActions, clusterApply, clusterNextDueTick, clusterSettle } from './actions.ts';
import { clusterNodeDown } from './nodes.ts';
import { podIsReady, podIsTerminating, clusterDeletePod } from './pods.ts';
import { clusterCreateStatefulSet } from './statefulset.ts';
import { clusterCreate, nodePool } from './store.ts';
import { defaultTolerationSeconds } from './taint-eviction.ts';
import { driveToQuiet } from './test-helpers.ts';
import type { Cluster } from './types.ts';

function settledSet(): { cluster: Cluster; now: number } {
  return driveToQuiet(
    clusterCreateStatefulSet(clusterCreate({ nodes: nodePool(3), images: ['apecloud/spilo:16'] }), {
      name: 'pg',
      replicas: 2,
      template: { labels: { app: 'pg' }, containers: [{ name: 'postgres', image: 'apecloud/spilo:16' }] },
      volumeClaimTemplates: [{ name: 'data', storageMiB: 10 }],
    }),
    0,
  );
}

describe('pods on an unreachable node', () => {
  it('are marked not ready at once, evicted to Terminating after the 300 s default toleration, and the StatefulSet waits', () => {
    // Proves MarkPodsNotReady, DefaultTolerationSeconds eviction and the StatefulSet waiting on a Terminating pod.
    const settled = settledSet();
    const nodeName = settled.cluster.pods.get('default/pg-1')!.spec.nodeName!;
    const justDown = clusterNodeDown(settled.cluster, nodeName, settled.now);
    expect(podIsReady(justDown.pods.get('default/pg-1')!)).toBe(false);
    expect(eventsAbout(justDown.events, 'Pod/pg-1').map((event) => event.reason)).toContain('NodeNotReady');
    // Only the StatefulSet's status catches up (readyReplicas 2 → 1); then nothing until the eviction.
    expect(clusterActions(justDown, settled.now).map((action) => action.label)).toEqual(['reconcile StatefulSet pg']);
    const down = clusterApply(justDown, clusterActions(justDown, settled.now)[0]!, settled.now);
    expect(down.statefulSets['default/pg']!.status.readyReplicas).toBe(1);
    expect(clusterActions(down, settled.now)).toEqual([]);
    const due = settled.now + defaultTolerationSeconds;
    expect(clusterNextDueTick(down)).toBe(due);
    const labels = clusterActions(down, due).map((action) => action.label);
    expect(labels).toEqual(['taint-eviction pod pg-1']);
    const evicted = clusterApply(down, clusterActions(down, due)[0]!, due);
    expect(podIsTerminating(evicted.pods.get('default/pg-1')!)).toBe(true);
    expect(eventsAbout(evicted.events, 'Pod/pg-1').at(-1)?.message).toBe('Marking for deletion Pod default/pg-1');
    // The StatefulSet does not recreate a pod that still exists; nothing else is enabled.
    const stuck = driveToQuiet(evicted, due);
    expect(stuck.cluster.pods.get('default/pg-1')?.deletionTick).toBe(due);
    expect(stuck.labels).toEqual([]);
    // Once the node returns, the kubelet finishes the deletion and the StatefulSet recreates the pod.
    const healed = driveToQuiet(clusterSettle(stuck.cluster, due + 1), due + 1);
    expect(podIsReady(healed.cluster.pods.get('default/pg-1')!)).toBe(true);
    expect(healed.cluster.pods.get('default/pg-1')!.deletionTick).toBeNull();
  });

  it('are removed at once by a forced delete', () => {
    // Proves --grace-period=0 --force bypasses the unreachable kubelet.
    const settled = settledSet();
    const nodeName = settled.cluster.pods.get('default/pg-0')!.spec.nodeName!;
    const down = clusterNodeDown(settled.cluster, nodeName, settled.now);
    expect(podIsTerminating(clusterDeletePod(down, 'default', 'pg-0', settled.now).pods.get('default/pg-0')!)).toBe(true);
    expect(clusterDeletePod(down, 'default', 'pg-0', settled.now, { force: true }).pods.get('default/pg-0')).toBeUndefined();
  });
});

describe('pod.restart fault', () => {
  it('bumps restartCount, drops readiness and restores it after the ready delay', () => {
    // Proves the container restart path the fault offers.
    const settled = settledSet();
    const restart = clusterActions(settled.cluster, settled.now, { faults: ['pod.restart'] }).find((action) => action.label === 'fault pod.restart pg-0');
    expect(restart).toBeDefined();
    const restarted = clusterApply(settled.cluster, restart!, settled.now);
    const status = restarted.pods.get('default/pg-0')!.status.containerStatuses[0]!;
    expect(status.restartCount).toBe(1);
    expect(podIsReady(restarted.pods.get('default/pg-0')!)).toBe(false);
    const healed = driveToQuiet(restarted, settled.now);
    expect(podIsReady(healed.cluster.pods.get('default/pg-0')!)).toBe(true);
    expect(healed.now).toBe(settled.now + restarted.timing.readyDelayTicks);
  });
});
