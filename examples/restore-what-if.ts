/**
 * What if: "we restore backups of a MySQL cluster whose addon renders pod anti-affinity on its own
 * instance label, while the source keeps running. Which KubeBlocks release restores cleanly, and
 * does it matter whether the term sits on the component or on an instance template?"
 *
 * Builds the restore model for each behaviour profile from the public parts (restoreModel,
 * restoreProfiles) and hunts it with the stock swarm. Run: `npx tsx examples/restore-what-if.ts [runs]`.
 */
import { hunt, restoreModel, restoreProfiles, restoreAntiAffinityScenario, type Scenario } from '../src/index.ts';

const runs = Number(process.argv[2] ?? 100);

for (const templateTerms of [false, true]) {
  const where = templateTerms ? 'term on an instance template' : 'term on the cluster/component';
  for (const profile of restoreProfiles) {
    const model = restoreModel(`what-if ${profile.name}`, profile, templateTerms);
    const scenario: Scenario = {
      name: 'what-if',
      title: where,
      variants: [{ name: profile.name, profile: profile.name, summary: where, model, expect: 'clean' }],
      swarm: restoreAntiAffinityScenario.swarm,
      huntRunsDefault: runs,
    };
    const variant = scenario.variants[0];
    if (variant === undefined) throw new Error('no variant');
    const result = hunt(scenario, variant, { runs, seed: 1 });
    const answer = result.violation === null ? `no violation in ${result.runsDone} runs` : `${result.violation.kind} after ${result.runsToFind} run(s): ${result.violation.headline}`;
    console.log(`${where.padEnd(32)} ${profile.name.padEnd(48)} ${answer}`);
  }
}
