// Proves two stories end to end with a scripted user (back up once the source runs, restore once
// the backup completes): on 3 nodes fully held by my1, 0.9 leaves the prepareData pods Pending
// behind NeedWaiting while 1.0.1 restores; with more replicas than nodes, 1.0.1's Pending pod is
// reported as lack of capacity and the run is not a violation.
import { describe, expect, it } from 'vitest';
import { stateValueText } from '../../sim/machine-host.ts';
import type { Model, SimAction } from '../../sim/model.ts';
import { runModel, type RunPolicy } from '../../sim/run.ts';
import { eventsAbout } from '../../sim/events.ts';
import type { RestoreWorld } from '../../machines/kubeblocks-restore/restore-objects.ts';
import { kubeblocks09, kubeblocks101 } from '../../machines/kubeblocks-restore/restore-profile.ts';
import { pendingPods } from '../../machines/kubeblocks-restore/restore.properties.ts';
import { restoreAntiAffinityScenario } from './restore-anti-affinity.ts';
import { restoreModel, restoreOptionsDefaults, type RestoreAntiAffinityOptions } from './restore-world.ts';

// Urgent steps first (in listed order); the user acts only when the world is quiet.
function scriptedUser(): RunPolicy<RestoreWorld, SimAction> {
  return {
    choose({ world, actions, phase }) {
      const urgent = actions.find((action) => action.kind !== 'time' && action.kind !== 'user' && action.kind !== 'fault');
      if (urgent !== undefined) return urgent;
      if (phase === 'faults') {
        const backups = Object.values(world.ext.restore.backups);
        // The source has had time to place what fits (it may never be Running when it lacks nodes).
        const wanted = backups.length === 0 && world.now >= 60 ? 'user backup.create' : null;
        const restore = backups.some((backup) => stateValueText(backup.lifecycle.value) === 'Completed') && Object.keys(world.ext.restore.opsRequests).length === 0;
        const label = wanted ?? (restore ? 'user opsrequest.create restore-1' : null);
        const chosen = label === null ? undefined : actions.find((action) => action.label.startsWith(label) && !action.label.includes('Serial'));
        if (chosen !== undefined) return chosen;
      }
      return actions.find((action) => action.kind === 'time') ?? null;
    },
  };
}

function run(model: Model<RestoreWorld, SimAction, RestoreAntiAffinityOptions>, options: RestoreAntiAffinityOptions) {
  return runModel({ model, options, swarm: restoreAntiAffinityScenario.swarm, policy: scriptedUser(), record: false });
}

const full: RestoreAntiAffinityOptions = { ...restoreOptionsDefaults, nodeCount: 3, sourceReplicas: 3, termAt: ['component'], term: 'required' };

describe('restore stories', () => {
  // Proves the incident: 0.9 copies the selector, the prepareData pods never schedule, ops stays Running.
  it('kubeblocks@0.9 leaves restore job pods Pending on app.kubernetes.io/instance=my1', () => {
    const report = run(restoreModel('story', kubeblocks09, false) as never, full);
    expect(report.outcome.verdict).toBe('stuck');
    expect(report.outcome.violation?.property).toBe('every pod whose rules the node pool can satisfy is eventually scheduled');
    const world = report.world;
    expect(stateValueText(world.ext.restore.opsRequests['restore-1']?.lifecycle.value ?? '')).toBe('Running');
    expect(world.kb.instanceSets['restored-1-mysql']).toBeUndefined();
    const waiting = eventsAbout(world.k8s.events, 'Component/restored-1-mysql').map((event) => event.reason);
    expect(waiting).toContain('NeedWaiting');
    const stuck = pendingPods(world).filter((entry) => entry.verdict.kind === 'foreign-selector');
    expect(stuck.length).toBe(3);
    expect(stuck.every((entry) => entry.pod.name.startsWith('restore-preparedata-'))).toBe(true);
  });

  // Proves the fix on the same story: the restore succeeds next to the running source.
  it('kubeblocks@1.0.1 restores next to the running source', () => {
    const report = run(restoreModel('story', kubeblocks101, false) as never, full);
    expect(report.outcome.violation).toBeNull();
    expect(stateValueText(report.world.ext.restore.opsRequests['restore-1']?.lifecycle.value ?? '')).toBe('Succeed');
    expect(report.world.kb.clusters['restored-1']?.status.phase).toBe('Running');
  });

  // Proves a pod no node can hold (4 replicas, 3 nodes, self anti-affinity) is lack of capacity, not the bug.
  it('reports a restored pod above the node count as lack of capacity, not a violation', () => {
    const report = run(restoreModel('story', kubeblocks101, false) as never, { ...full, sourceReplicas: 4 });
    expect(report.outcome.violation).toBeNull();
    const restoredPending = pendingPods(report.world).filter((entry) => entry.clusterName === 'restored-1');
    expect(restoredPending.map((entry) => entry.verdict.kind)).toEqual(['lack-of-capacity']);
    expect(restoredPending[0]?.verdict.kind === 'lack-of-capacity' && restoredPending[0].verdict.message).toBe("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
    expect(stateValueText(report.world.ext.restore.opsRequests['restore-1']?.lifecycle.value ?? '')).toBe('Running');
  });
});
