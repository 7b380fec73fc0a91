/**
 * What-if: "would upgrading KubeBlocks from 1.0.0 to 1.0.1 unstick our scale-out?"
 *
 * Hunts the `kafka-offline-online` world (3 Kafka brokers; users take instances offline, bring them
 * back, scale in and out and cancel, while nodes and pods fail) under each KubeBlocks OpsRequest
 * profile with the same seeds, and prints per profile how many runs got stuck, how many runs a hunt
 * needs to find it (the gaps between successive finds) and the headline of the first stuck report.
 *
 *   npx tsx examples/kubeblocks-upgrade-scale-out.ts [--runs 300] [--seed 1]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { hunt, kafkaOfflineOnlineModel, kafkaOfflineOnlineScenario, opsProfiles, type OpsProfile, type Scenario, type ScenarioVariant } from '../src/index.ts';

export interface UpgradeOptions {
  /** Seeded swarm runs per profile (the effort knob). */
  readonly runs: number;
  /** Run `i` uses seed `seed + i`, the same seeds for every profile. */
  readonly seed: number;
  /** Stop each profile's hunt at its first stuck run (cheaper; the found rate then covers only the runs made). */
  readonly stopAtFirstFind?: boolean;
  /** Profiles to compare; every KubeBlocks OpsRequest profile by default. */
  readonly profiles?: readonly OpsProfile[];
  readonly print?: (line: string) => void;
}

export interface ProfileRow {
  readonly profile: string;
  readonly runs: number;
  /** Runs that ended with a violated property. */
  readonly runsFound: number;
  /** 1-based index of the first run that found one; null when none did. */
  readonly runsToFindFirst: number | null;
  /** Median runs a hunt needs, over the gaps between successive finds; null when nothing was found. */
  readonly runsToFindMedian: number | null;
  /** The headline of the first violation, e.g. "OpsRequest hscale-8 is stuck in Running since tick 108: …". */
  readonly headline: string | null;
  readonly property: string | null;
}

export interface UpgradeAnswer {
  readonly rows: readonly ProfileRow[];
  /** True when the newer profile found nothing on seeds where the older one got stuck. */
  readonly upgradeUnsticks: boolean;
}

/** One variant of our own scenario per profile, built from the public model constructor. */
function variantOf(profile: OpsProfile): ScenarioVariant {
  return { name: profile.name, profile: profile.name, summary: `KubeBlocks OpsRequest controller as in ${profile.name}`, model: kafkaOfflineOnlineModel(profile), expect: 'clean' };
}

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function huntProfile(scenario: Scenario, profile: OpsProfile, options: UpgradeOptions): ProfileRow {
  const finds: number[] = [];
  const result = hunt(scenario, variantOf(profile), {
    runs: options.runs,
    seed: options.seed,
    all: options.stopAtFirstFind !== true,
    onRun: (runsDone, found) => {
      if (found) finds.push(runsDone);
    },
  });
  // Runs to find = the gaps between successive finds (as if a hunt restarted after each one).
  const gaps = finds.map((at, index) => at - (index === 0 ? 0 : finds[index - 1]!));
  return {
    profile: profile.name,
    runs: result.runsDone,
    runsFound: result.runsFound,
    runsToFindFirst: result.runsToFind,
    runsToFindMedian: median(gaps),
    headline: result.violation?.headline ?? null,
    property: result.violation?.property ?? null,
  };
}

function percent(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1)}%`;
}

function printAnswer(answer: UpgradeAnswer, options: UpgradeOptions, print: (line: string) => void): void {
  const mode = options.stopAtFirstFind === true ? ', each hunt stops at its first find' : '';
  print(`Would upgrading KubeBlocks 1.0.0 -> 1.0.1 unstick our scale-out? (kafka-offline-online, seeds ${options.seed}..${options.seed + options.runs - 1}${mode})`);
  print('');
  print(`${'profile'.padEnd(18)} ${'runs'.padStart(5)} ${'stuck'.padStart(6)} ${'found rate'.padStart(10)} ${'first find'.padStart(10)} ${'median runs to find'.padStart(20)} ${'runs per find'.padStart(13)}`);
  for (const row of answer.rows) {
    const first = row.runsToFindFirst === null ? '-' : String(row.runsToFindFirst);
    const medianText = row.runsToFindMedian === null ? '-' : String(row.runsToFindMedian);
    print(`${row.profile.padEnd(18)} ${String(row.runs).padStart(5)} ${String(row.runsFound).padStart(6)} ${percent(row.runsFound, row.runs).padStart(10)} ${first.padStart(10)} ${medianText.padStart(20)} ${(row.runsFound === 0 ? '-' : (row.runs / row.runsFound).toFixed(1)).padStart(13)}`);
  }
  print('');
  for (const row of answer.rows) {
    print(`${row.profile}: ${row.headline === null ? `clean in ${row.runs} runs` : row.headline}`);
    if (row.property !== null) print(`  property: ${row.property}`);
  }
  print('');
  print(answer.upgradeUnsticks ? 'Answer: yes. The stuck scale-out is found under the old release and not under the new one on the same seeds.' : 'Answer: not shown. See the table: either the old release was not caught or the new one also gets stuck.');
}

/** Hunts every profile on the same seeds and prints the comparison. */
export function main(options: UpgradeOptions): UpgradeAnswer {
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new Error(`runs must be a positive integer, got ${options.runs}`);
  if (!Number.isSafeInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const profiles = options.profiles ?? opsProfiles;
  const rows = profiles.map((profile) => huntProfile(kafkaOfflineOnlineScenario, profile, options));
  const [older, ...newer] = rows;
  const upgradeUnsticks = older !== undefined && older.runsFound > 0 && newer.length > 0 && newer.every((row) => row.runsFound === 0);
  const answer = { rows, upgradeUnsticks };
  printAnswer(answer, options, options.print ?? ((line) => console.log(line)));
  return answer;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' }, seed: { type: 'string', default: '1' } } });
  main({ runs: Number(values.runs), seed: Number(values.seed) });
}
