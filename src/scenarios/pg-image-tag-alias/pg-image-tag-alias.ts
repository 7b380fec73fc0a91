/**
 * Scenario `pg-image-tag-alias` (seed shared/seeds/000_905e083f2262794e.txt, the seed's literal
 * mechanism): a cache-hit rebuild pushes a second tag with the same digest; a node holding both
 * tags reports the *other* one in `status.image` (containerd's first repo tag, kubernetes#51017),
 * and the InstanceSet never counts the pod as ready.
 *
 * Finding: the upstream fix does not cover this. kubeblocks@1.0.3 keeps tag specs strict
 * (`MatchContainerImageInStatus`: tags must be equal; PR #10199 "status.imageID is not used to
 * accept a tag mismatch"; PR #10249 names containerd tag aliasing out of scope; issue #9352 still
 * open). So `1.0.3` is stuck too. `fixed` is a proposal: skip the check as the Olares fork does
 * (beclab/Olares PR #2414), at the price PR #8505 added the check for.
 *
 * Same world and vocabulary as `pg-image-mismatch`, plus `fault registry.tag.alias` and the user
 * moving the component to the alias tag.
 */
import { ratio } from '../../sim/prng.ts';
import type { Scenario } from '../../sim/scenario.ts';
import { kubeblocks102, kubeblocks103, kubeblocks103SkipImageCheck } from '../../machines/kubeblocks/kubeblocks-profile.ts';
import { pgImageMismatchModel } from '../pg-image-mismatch/pg-image-mismatch.ts';

const vocabulary = { tagAlias: true };

export const pgImageTagAliasScenario: Scenario = {
  name: 'pg-image-tag-alias',
  title: 'KubeBlocks PostgreSQL Cluster Creating forever: a tag alias in status.image (not fixed by 1.0.3)',
  seedDocument: 'shared/seeds/000_905e083f2262794e.txt',
  variants: [
    {
      name: 'buggy',
      profile: kubeblocks102.name,
      summary: 'status.image shows the other tag of the same digest: the pod is never ready',
      model: pgImageMismatchModel(kubeblocks102, vocabulary),
      expect: 'stuck',
    },
    {
      name: '1.0.3',
      profile: kubeblocks103.name,
      summary: 'finding: the digest-aware fix keeps tag specs strict, so a tag alias still sticks',
      model: pgImageMismatchModel(kubeblocks103, vocabulary),
      expect: 'stuck',
    },
    {
      name: 'fixed',
      profile: kubeblocks103SkipImageCheck.name,
      summary: 'proposal (Olares fork, beclab/Olares PR #2414): no image check; Ready pods count',
      model: pgImageMismatchModel(kubeblocks103SkipImageCheck, vocabulary),
      expect: 'clean',
    },
  ],
  swarm: {
    faultPhaseTicks: 120,
    convergenceTicksMax: 600,
    actionsPerRunMax: 20_000,
    faultChance: ratio(1, 20),
    requestChance: ratio(1, 20),
    faultsMax: 6,
    requestsMax: 3,
  },
  huntRunsDefault: 200,
};
