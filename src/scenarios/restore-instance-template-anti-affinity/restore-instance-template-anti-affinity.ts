/**
 * Scenario `restore-instance-template-anti-affinity`: a finding of issue 7's hunt, kept as its own
 * scenario. The Backup's `kubeblocks.io/cluster-snapshot` also stores
 * `componentSpecs[].instances[].schedulingPolicy` (reference kubeblocks.md §4.1), but
 * `RestoreOpsHandler.getClusterObjFromBackup` normalizes only `spec.schedulingPolicy`,
 * `componentSpecs[].schedulingPolicy` and `shardings[].template.schedulingPolicy` (§4.3;
 * `pkg/operations/restore.go` at v1.0.1 and later release-1.0). An instance template whose own
 * policy carries the addon's anti-affinity on `app.kubernetes.io/instance=my1` keeps it verbatim in
 * the restored cluster. The prepareData jobs take the (normalized) component scheduling and succeed,
 * but the template's pods inherit the old selector: with the source still on every node they stay
 * Pending forever, the cluster `Creating`, the Restore OpsRequest `Running` — #8763 again, in 1.0.1.
 *
 * `buggy` is upstream `kubeblocks@1.0.1`; `fixed` is a proposal that does not exist upstream:
 * normalize instance-template policies too (`kubeblocks@1.0.1+normalize-instance-templates`).
 * Same world and vocabulary as `restore-anti-affinity`, with the term on the template's policy
 * (and sometimes also on the component's or the cluster's).
 */
import type { Scenario, ScenarioVariant } from '../../sim/scenario.ts';
import { kubeblocks101, kubeblocks101NormalizeInstanceTemplates } from '../../machines/kubeblocks-restore/restore-profile.ts';
import { restoreSwarm } from '../restore-anti-affinity/restore-anti-affinity.ts';
import { restoreModel } from '../restore-anti-affinity/restore-world.ts';

const variants: readonly ScenarioVariant[] = [
  {
    name: 'buggy',
    profile: kubeblocks101.name,
    summary: 'normalizeSchedulePolicy skips instance templates: the template pods keep anti-affinity on app.kubernetes.io/instance=my1',
    model: restoreModel('restore-instance-template-anti-affinity', kubeblocks101, true),
    expect: 'stuck',
  },
  {
    name: 'fixed',
    profile: kubeblocks101NormalizeInstanceTemplates.name,
    summary: 'proposal: also normalize componentSpecs[].instances[].schedulingPolicy (not upstream)',
    model: restoreModel('restore-instance-template-anti-affinity', kubeblocks101NormalizeInstanceTemplates, true),
    expect: 'clean',
  },
];

export const restoreInstanceTemplateAntiAffinityScenario: Scenario = {
  name: 'restore-instance-template-anti-affinity',
  title: 'KubeBlocks restore: instance-template scheduling policies are not normalized, template pods Pending forever (kubeblocks 1.0.1 vs proposal)',
  seedDocument: 'shared/seeds/003_98c5b363797202a2.txt',
  variants,
  swarm: restoreSwarm,
  huntRunsDefault: 200,
};
