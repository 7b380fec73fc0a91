/**
 * What if: "would upgrading Longhorn 1.7.2 → 1.7.3 unstick volumes after a same-name rolling
 * re-install of our three nodes? And what would the disk-UUID proposal add?"
 *
 * Builds the rolling-upgrade model for each behaviour profile from the public parts and hunts it
 * with the stock swarm. Run: `npx tsx examples/longhorn-upgrade-what-if.ts [runs]`.
 */
import { createLonghornUpgradeModel, hunt, type Scenario } from '../src/index.ts';
import { drawUpgradeSettings, longhornUpgradeSwarm } from '../src/scenarios/longhorn-node-upgrade/index.ts';

const runs = Number(process.argv[2] ?? 100);
const profiles = ['longhorn@1.7.2', 'longhorn@1.7.3', 'longhorn@1.7.3+fail-replica-on-disk-uuid-change', 'longhorn@1.7.3+proposals'];

for (const profile of profiles) {
  const model = createLonghornUpgradeModel({
    name: `what-if ${profile}`,
    profile,
    naming: 'same-name',
    baseSettings: { 'allow-volume-creation-with-degraded-availability': true },
    drawSettings: drawUpgradeSettings,
  });
  const scenario: Scenario = {
    name: 'what-if',
    title: 'same-name rolling re-install',
    variants: [{ name: profile, profile, summary: profile, model, expect: 'clean' }],
    swarm: longhornUpgradeSwarm,
    huntRunsDefault: runs,
  };
  const variant = scenario.variants[0];
  if (variant === undefined) throw new Error('no variant');
  const result = hunt(scenario, variant, { runs, seed: 1 });
  const answer = result.violation === null ? `no violation in ${result.runsDone} upgrades` : `${result.violation.kind} after ${result.runsToFind} upgrade(s): ${result.violation.headline}`;
  console.log(`${profile.padEnd(50)} ${answer}`);
}
