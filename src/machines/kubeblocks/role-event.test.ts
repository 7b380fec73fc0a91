// Proves the role-probe event handler of §2.8 under each exclusive-role rule: a failed probe only
// logs "probe event failed"; a report from an older pod incarnation or with a stale version is
// ignored; a role not in spec.roles removes the label; an exclusive role is stripped from the other
// holders (1.0.3-beta.1), only from holders with an older recorded version (1.0.3), or not at all (1.0.2);
// under 1.0.3 a stripped pod's own older report is then stale; with PR #10201 kbagent reports again
// when its pod's role label changed.
import { describe, expect, it } from 'vitest';
import { clusterCreate, nodePool } from '../../sim/cluster/index.ts';
import { postgresqlComponentDefinition } from './cluster-controller.ts';
import { kubeblocks102, kubeblocks103, kubeblocks103RoleLabelRecovery, kubeblocks103beta1, type KubeBlocksProfile } from './kubeblocks-profile.ts';
import { kubeblocksRuntime, kubeblocksWorldCreate, type KubeBlocksAction } from './kubeblocks-runtime.ts';
import { podUidAnnotation } from './kubeblocks-view.ts';
import { applyWrite, type KubeBlocksWorld, type RoleProbeReport } from './kubeblocks-world.ts';
import { lastRoleEventVersionAnnotation, recordedRoleEventVersion, roleEventController } from './role-event.ts';
import { minimalPatroni, roleProbeActions } from './engine.ts';

type World = KubeBlocksWorld<Record<string, never>>;
const role = 'kubeblocks.io/role';

function runningWorld(profile: KubeBlocksProfile = kubeblocks103): World {
  const runtime = kubeblocksRuntime<World>({ profile });
  let world = kubeblocksWorldCreate(clusterCreate({ nodes: nodePool(3), images: ['apecloud/spilo:16'] }), [{
    name: 'pg',
    componentSpecs: [{ name: 'postgresql', componentDef: postgresqlComponentDefinition.name, replicas: 3, offlineInstances: [], instances: [], image: 'apecloud/spilo:16', volumeClaimTemplates: [], stop: false, schedulingPolicy: null }],
  }], {});
  for (let step = 0; step < 4_000; step++) {
    const actions = runtime.actions(world);
    const next = actions.find((action) => action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user') ?? actions.find((action) => action.kind === 'time' && !(action as { idle: boolean }).idle);
    if (next === undefined) break;
    world = runtime.apply(world, next as KubeBlocksAction);
  }
  return world;
}

const world = runningWorld();
const podNames = ['pg-postgresql-0', 'pg-postgresql-1', 'pg-postgresql-2'];
const pod = (w: World, name: string) => w.k8s.pods.get(`default/${name}`);
const labelOf = (w: World, name: string): string | undefined => pod(w, name)?.labels[role];
const uidOf = (name: string): string => pod(world, name)?.annotations[podUidAnnotation] ?? '';
const primaryName = podNames.find((name) => labelOf(world, name) === 'primary') ?? '';
const secondaries = podNames.filter((name) => name !== primaryName);
const newest = Math.max(...podNames.map((name) => recordedRoleEventVersion(pod(world, name)!) ?? 0));

function report(name: string, output: string, version: number, code = 0): RoleProbeReport {
  return { pod: name, podUid: uidOf(name), code, output, version, queued: version };
}

/** The world after the handler under `profile` handled `reports`, in this order. */
function handled(profile: KubeBlocksProfile, reports: readonly RoleProbeReport[], from: World = world): World {
  const handler = roleEventController(profile);
  let next = from;
  for (const r of reports) {
    next = { ...next, roleProbes: { ...next.roleProbes, [r.pod]: r } };
    for (const write of handler.reconcile(next, r.pod).writes) next = applyWrite(next, write);
  }
  return next;
}

describe('role probe event handler', () => {
  it('starts from a Running cluster with one primary, two secondaries and their recorded versions', () => {
    expect(podNames.map((name) => labelOf(world, name)).sort()).toEqual(['primary', 'secondary', 'secondary']);
    for (const name of podNames) expect(recordedRoleEventVersion(pod(world, name)!)).not.toBeNull();
  });

  it('a report with code -1 logs "probe event failed" and changes no pod', () => {
    const name = secondaries[0]!;
    const after = handled(kubeblocks103, [report(name, '', newest + 1, -1)]);
    expect(after.k8s.pods).toBe(world.k8s.pods);
    expect(after.logs[`instanceset-role/${name}`]).toBe('probe event failed');
  });

  it('a report from an older incarnation of the pod is ignored', () => {
    const name = secondaries[0]!;
    const after = handled(kubeblocks103, [{ ...report(name, 'primary', newest + 1), podUid: 'gone' }]);
    expect(after.k8s.pods).toBe(world.k8s.pods);
  });

  it('a report not newer than the version recorded on the pod is stale and ignored', () => {
    const name = secondaries[0]!;
    const recorded = recordedRoleEventVersion(pod(world, name)!) ?? 0;
    const after = handled(kubeblocks103, [report(name, 'primary', recorded)]);
    expect(after.k8s.pods).toBe(world.k8s.pods);
    expect(after.logs[`instanceset-role/${name}`]).toBe('stale role event received, ignore it');
  });

  it('a role that is not in spec.roles removes the label and records the version', () => {
    const name = secondaries[0]!;
    const after = handled(kubeblocks103, [report(name, 'leader', newest + 1)]);
    expect(labelOf(after, name)).toBeUndefined();
    expect(pod(after, name)?.annotations[lastRoleEventVersionAnnotation]).toBe(String(newest + 1));
  });

  describe.each([
    { profile: kubeblocks102, oldPrimaryKeeps: true, stamped: false },
    { profile: kubeblocks103beta1, oldPrimaryKeeps: false, stamped: false },
    { profile: kubeblocks103, oldPrimaryKeeps: false, stamped: true },
  ])('$profile.name: a secondary reporting a newer primary', ({ profile, oldPrimaryKeeps, stamped }) => {
    const name = secondaries[0]!;
    const after = handled(profile, [report(name, 'primary', newest + 1)]);
    it('takes the label', () => expect(labelOf(after, name)).toBe('primary'));
    it(oldPrimaryKeeps ? 'leaves the old primary labelled (no isExclusive)' : 'strips the exclusive role from the old primary', () => {
      expect(labelOf(after, primaryName)).toBe(oldPrimaryKeeps ? 'primary' : undefined);
    });
    it(stamped ? 'stamps the stripped pod with the event version' : 'leaves the old primary\'s recorded version', () => {
      const version = pod(after, primaryName)?.annotations[lastRoleEventVersionAnnotation];
      if (stamped) expect(version).toBe(String(newest + 1));
      else expect(version).toBe(pod(world, primaryName)?.annotations[lastRoleEventVersionAnnotation]);
    });
  });

  describe.each([
    { profile: kubeblocks103beta1, newerHolderKeeps: false },
    { profile: kubeblocks103, newerHolderKeeps: true },
  ])('$profile.name: an older primary report handled after a newer one (the reorder)', ({ profile, newerHolderKeeps }) => {
    const [newer, older] = [secondaries[0]!, secondaries[1]!];
    // `older` sent its report first (version newest+1), `newer` after it (newest+2); handled the other way round.
    const after = handled(profile, [report(newer, 'primary', newest + 2), report(older, 'primary', newest + 1)]);
    it('the older report still labels its own pod (its own recorded version is older)', () => expect(labelOf(after, older)).toBe('primary'));
    it(newerHolderKeeps ? 'the newer holder keeps primary (PR #10086)' : 'the newer holder loses primary (issue #10087)', () => {
      expect(labelOf(after, newer)).toBe(newerHolderKeeps ? 'primary' : undefined);
    });
  });

  describe.each([
    { profile: kubeblocks103beta1, strippedKeepsNoLabel: false },
    { profile: kubeblocks103, strippedKeepsNoLabel: true },
  ])('$profile.name: the old primary\'s own secondary report, sent before a newer primary claim but handled after it', ({ profile, strippedKeepsNoLabel }) => {
    const claimant = secondaries[0]!;
    const after = handled(profile, [report(claimant, 'primary', newest + 2), report(primaryName, 'secondary', newest + 1)]);
    it(strippedKeepsNoLabel ? 'is stale against the stamp and dropped: the old primary keeps no label' : 'is applied: the old primary is labelled secondary', () => {
      expect(labelOf(after, primaryName)).toBe(strippedKeepsNoLabel ? undefined : 'secondary');
    });
  });

  it('kbagent re-sends its role after its pod\'s role label changed only with PR #10201', () => {
    const recovering = runningWorld(kubeblocks103RoleLabelRecovery);
    expect(roleProbeActions(recovering, minimalPatroni, true)).toEqual([]);
    const claim = { ...report(secondaries[0]!, 'primary', 1_000), podUid: pod(recovering, secondaries[0]!)?.annotations[podUidAnnotation] ?? '' };
    const stripped = handled(kubeblocks103RoleLabelRecovery, [claim], recovering);
    const resends = (resend: boolean) => roleProbeActions(stripped, minimalPatroni, resend).map((action) => action.pod).sort();
    // The old primary lost its label and the claimant gained one: both pods' label files changed.
    expect(resends(true)).toEqual([primaryName, secondaries[0]!].sort());
    expect(resends(false)).toEqual([]);
  });
});
