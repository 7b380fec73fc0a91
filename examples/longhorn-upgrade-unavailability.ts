/**
 * What-if: "how long is a volume unavailable during a three-node rolling upgrade, by node-drain
 * policy and replica count?"
 *
 * For each Longhorn `node-drain-policy` and each `numberOfReplicas`, runs the stock rolling-upgrade
 * model (three nodes re-installed one by one: cordon, drain, replace, rejoin; profile `longhorn@1.7.3`
 * with the disk-UUID proposal so no run hangs on that known bug) on many seeds. Our driver policy
 * runs the controllers, kubelets and timers in a seeded random order and advances the upgrade
 * whenever the cluster has nothing urgent to do (an operator who goes on as soon as a node is back);
 * workloads stay scaled up and no extra faults strike. A volume is unavailable while its workload
 * wants a pod and no pod using it is Running. Prints percentiles and a histogram per setting, and
 * counts runs in which a stock property was violated.
 *
 *   npx tsx examples/longhorn-upgrade-unavailability.ts [--runs 30] [--seed 1]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Prng,
  createLonghornUpgradeModel,
  dataSurvives,
  initLonghornWorld,
  longhornProfile,
  nodeDrainPolicies,
  runModel,
  type ChooseContext,
  type LonghornAction,
  type LonghornWorld,
  type Model,
  type LonghornUpgradeOptions,
  type NodeDrainPolicy,
  type RunPolicy,
  type SwarmOptions,
} from '../src/index.ts';

/** The drain policies the model implements fully (the eviction-based ones need replica eviction). */
export const drainPolicies: readonly NodeDrainPolicy[] = ['block-if-contains-last-replica', 'allow-if-replica-is-stopped', 'always-allow'];
export const replicaCounts: readonly number[] = [1, 2, 3];
export const profileName = 'longhorn@1.7.3+fail-replica-on-disk-uuid-change';

const swarm: SwarmOptions = {
  faultPhaseTicks: 7_200,
  convergenceTicksMax: 4_000,
  actionsPerRunMax: 60_000,
  faultChance: { numerator: 0, denominator: 1 },
  requestChance: { numerator: 0, denominator: 1 },
  faultsMax: 0,
  requestsMax: 60,
};

/** The stock model with the chosen replica count: same parts, our own `init`. */
function modelFor(numberOfReplicas: number): Model<LonghornWorld, LonghornAction, LonghornUpgradeOptions> {
  const stock = createLonghornUpgradeModel({ name: `what-if replicas=${numberOfReplicas}`, profile: profileName, naming: 'same-name', drawSettings: (_prng, base) => base });
  return {
    ...stock,
    init: (options) =>
      initLonghornWorld({
        profile: longhornProfile(profileName),
        settings: options.settings,
        nodeCount: 3,
        volumeCount: options.volumeCount,
        numberOfReplicas,
        staleReplicaTimeoutTicks: options.staleReplicaTimeoutTicks,
        rebuildTicks: options.rebuildTicks,
        imStartTicks: options.imStartTicks,
        provisionTicks: options.provisionTicks,
      }),
  };
}

function upgradeFinished(world: LonghornWorld): boolean {
  return world.upgrade.done.length >= world.nodes.length && world.upgrade.step !== 'replaced';
}

/** Per volume: ticks during which its workload wanted a pod and none using the volume was Running. */
type Unavailable = Record<string, number>;

function unavailableVolumes(world: LonghornWorld): string[] {
  return world.workloads
    .filter((workload) => workload.replicas === 1 && !world.pods.some((pod) => pod.volumeName === workload.volumeName && pod.phase === 'Running'))
    .map((workload) => workload.volumeName);
}

/** kubectl drain retries a refused eviction every 5 seconds. */
const drainRetryTicks = 5;

/** Urgent steps in seeded random order; the upgrade advances when nothing is urgent; no workload changes, no faults. */
function upgradePolicy(prng: Prng, unavailable: Unavailable): RunPolicy<LonghornWorld, LonghornAction> {
  let last: { now: number; down: readonly string[] } | null = null;
  let lastUpgrade: { label: string; now: number } | null = null;
  return {
    choose(context: ChooseContext<LonghornWorld, LonghornAction>): LonghornAction | null {
      const { world, actions } = context;
      if (last !== null) for (const volume of last.down) unavailable[volume] = (unavailable[volume] ?? 0) + (world.clock.now - last.now);
      last = { now: world.clock.now, down: unavailableVolumes(world) };
      const urgent = actions.filter((action) => action.kind === 'controller' || action.kind === 'kubelet' || action.kind === 'scheduler' || action.kind === 'timer');
      if (urgent.length > 0) return prng.pick(urgent);
      // The same upgrade step again (a drain the PDB or the drain policy refused) only after kubectl's retry interval.
      const upgrade = actions.filter(
        (action) => action.kind === 'user' && action.label.startsWith('user upgrade.') && (lastUpgrade === null || action.label !== lastUpgrade.label || world.clock.now >= lastUpgrade.now + drainRetryTicks),
      );
      if (context.phase === 'faults' && upgrade.length > 0) {
        const chosen = prng.pick(upgrade);
        lastUpgrade = { label: chosen.label, now: world.clock.now };
        return chosen;
      }
      return actions.find((action) => action.kind === 'time') ?? null;
    },
  };
}

export interface UpgradeRun {
  /** Unavailable ticks of each volume of the run whose data survived. */
  readonly unavailable: readonly number[];
  /** Volumes whose every replica was re-imaged away (the data is gone; unavailable for good). */
  readonly dataLost: number;
  readonly finished: boolean;
  readonly violation: string | null;
}

/** One seeded rolling upgrade under one drain policy and replica count. */
export function runOne(policy: NodeDrainPolicy, numberOfReplicas: number, seed: number): UpgradeRun {
  const model = modelFor(numberOfReplicas);
  const prng = Prng.fromSeed(seed);
  const drawn = model.options.draw(prng.fork('options'));
  const options = model.options.parse({ ...drawn, settings: { ...drawn.settings, 'node-drain-policy': policy } });
  const unavailable: Unavailable = {};
  const report = runModel({ model, options, swarm, policy: upgradePolicy(prng.fork('policy'), unavailable), record: false });
  const world = report.world;
  return {
    unavailable: world.volumes.filter((volume) => dataSurvives(world, volume)).map((volume) => unavailable[volume.name] ?? 0),
    dataLost: world.volumes.filter((volume) => !dataSurvives(world, volume)).length,
    finished: upgradeFinished(world),
    violation: report.outcome.violation === null ? null : report.outcome.violation.headline,
  };
}

export interface SettingRow {
  readonly policy: NodeDrainPolicy;
  readonly numberOfReplicas: number;
  readonly runs: number;
  /** Sorted unavailable ticks, one per volume per run. */
  readonly unavailable: readonly number[];
  readonly dataLost: number;
  readonly unfinished: number;
  readonly violations: number;
  readonly firstViolation: string | null;
}

export interface UnavailabilityOptions {
  /** Rolling upgrades per setting (the effort knob). */
  readonly runs: number;
  readonly seed: number;
  readonly policies?: readonly NodeDrainPolicy[];
  readonly replicaCounts?: readonly number[];
  readonly print?: (line: string) => void;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const bucketEdges = [0, 1, 30, 60, 120, 300, 600, 1_800, 3_600];

function histogram(sorted: readonly number[]): string {
  const counts = bucketEdges.map((edge, index) => sorted.filter((value) => value >= edge && (index + 1 === bucketEdges.length || value < bucketEdges[index + 1]!)).length);
  return bucketEdges
    .map((edge, index) => ({ edge, count: counts[index]!, next: bucketEdges[index + 1] }))
    .filter((bucket) => bucket.count > 0)
    .map((bucket) => `${bucket.edge === 0 ? '0' : bucket.next === undefined ? `>=${bucket.edge}` : `${bucket.edge}-${bucket.next - 1}`}s:${bucket.count}`)
    .join(' ');
}

function printAnswer(rows: readonly SettingRow[], options: UnavailabilityOptions, print: (line: string) => void): void {
  print(`Seconds a volume is unavailable during a three-node rolling upgrade (${profileName}, seeds ${options.seed}..${options.seed + options.runs - 1}; one value per volume per run)`);
  print('');
  print(`${'node-drain-policy'.padEnd(31)} ${'replicas'.padStart(8)} ${'volumes'.padStart(7)} ${'p50'.padStart(5)} ${'p90'.padStart(5)} ${'max'.padStart(5)} ${'data lost'.padStart(9)} ${'upgrade unfinished'.padStart(18)} ${'violations'.padStart(10)}`);
  const cell = (value: number | null) => (value === null ? '-' : String(value)).padStart(5);
  for (const row of rows) {
    print(
      `${row.policy.padEnd(31)} ${String(row.numberOfReplicas).padStart(8)} ${String(row.unavailable.length).padStart(7)} ${cell(percentile(row.unavailable, 50))} ${cell(percentile(row.unavailable, 90))} ${cell(percentile(row.unavailable, 100))} ${String(row.dataLost).padStart(9)} ${`${row.unfinished}/${row.runs}`.padStart(18)} ${String(row.violations).padStart(10)}`,
    );
  }
  print('');
  print('volumes: volumes whose data survived (percentiles and histograms are over these); data lost: volumes whose every');
  print('replica was on re-imaged disks; upgrade unfinished: runs whose drain was refused until the end.');
  print('');
  print('Histograms of unavailable seconds per volume:');
  for (const row of rows) print(`  ${row.policy.padEnd(31)} r=${row.numberOfReplicas}  ${histogram(row.unavailable)}`);
  for (const row of rows) if (row.firstViolation !== null) print(`  ${row.policy} r=${row.numberOfReplicas}: first property violation: ${row.firstViolation}`);
}

/** Runs every drain policy × replica count and prints the unavailability per setting. */
export function main(options: UnavailabilityOptions): readonly SettingRow[] {
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new Error(`runs must be a positive integer, got ${options.runs}`);
  if (!Number.isSafeInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const rows: SettingRow[] = [];
  for (const policy of options.policies ?? drainPolicies) {
    if (!nodeDrainPolicies.includes(policy)) throw new Error(`unknown node-drain-policy ${policy}`);
    for (const numberOfReplicas of options.replicaCounts ?? replicaCounts) {
      const unavailable: number[] = [];
      let unfinished = 0;
      let dataLost = 0;
      let violations = 0;
      let firstViolation: string | null = null;
      for (let index = 0; index < options.runs; index++) {
        const run = runOne(policy, numberOfReplicas, options.seed + index);
        unavailable.push(...run.unavailable);
        dataLost += run.dataLost;
        if (!run.finished) unfinished++;
        if (run.violation !== null) {
          violations++;
          firstViolation ??= run.violation;
        }
      }
      rows.push({ policy, numberOfReplicas, runs: options.runs, unavailable: unavailable.sort((a, b) => a - b), dataLost, unfinished, violations, firstViolation });
    }
  }
  printAnswer(rows, options, options.print ?? ((line) => console.log(line)));
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '30' }, seed: { type: 'string', default: '1' } } });
  main({ runs: Number(values.runs), seed: Number(values.seed) });
}
