/**
 * What-if: "which Patroni settings (ttl, loop_wait, maximum_lag_on_failover) leave a cluster without
 * a leader after a node failure, and for how long?"
 *
 * For each setting, runs the stock PostgresCluster world (PGO `pgo@5.7` with a 2-member Patroni
 * cluster on 3 nodes) on many seeds. Our own driver policy lets the controllers and timers run in a
 * seeded random order, takes down the node of the current leader at a seeded moment, and measures
 * the ticks (seconds) until some member accepts writes again while holding the leader lock. The
 * node comes back only when the environment settles (`nodeDownTicks` after the failure at most), so
 * a cluster that waits for its old leader shows up as "leaderless until the node returned". The stock
 * properties are checked on every run as usual. Settings that break `loop_wait + 2*retry_timeout <=
 * ttl` are flagged, with the values Patroni actually runs them with (it adjusts them at start-up).
 *
 *   npx tsx examples/patroni-settings-leaderless.ts [--runs 40] [--seed 1]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Prng,
  acceptsWrites,
  adjustTimeouts,
  dcsLeader,
  patroniDefaults,
  pgo57,
  pgoReplicaDeletedModel,
  runModel,
  satisfiesTimingRule,
  type ChooseContext,
  type PatroniConfig,
  type PgoScenarioOptions,
  type PgoWorld,
  type RunPolicy,
  type SwarmOptions,
  type TimeAction,
  timeAction,
} from '../src/index.ts';

/** One Patroni setting under test; the rest are Patroni's defaults. */
export interface Setting {
  readonly name: string;
  readonly ttl: number;
  readonly loopWait: number;
  readonly retryTimeout: number;
  /** Bytes. */
  readonly maximumLagOnFailover: number;
  /** WAL the replica can receive per second, as a multiple of what the leader writes (below 1 it falls behind). */
  readonly catchUp: number;
}

const mib = 1_048_576;

/** The sweep: Patroni's defaults, faster and slower timing, two rule breakers, and tight lag limits. */
export const settings: readonly Setting[] = [
  { name: 'defaults', ttl: 30, loopWait: 10, retryTimeout: 10, maximumLagOnFailover: mib, catchUp: 8 },
  { name: 'fast', ttl: 20, loopWait: 5, retryTimeout: 5, maximumLagOnFailover: mib, catchUp: 8 },
  { name: 'slow', ttl: 60, loopWait: 10, retryTimeout: 10, maximumLagOnFailover: mib, catchUp: 8 },
  { name: 'long-loop', ttl: 30, loopWait: 20, retryTimeout: 10, maximumLagOnFailover: mib, catchUp: 8 },
  { name: 'short-ttl', ttl: 25, loopWait: 10, retryTimeout: 10, maximumLagOnFailover: mib, catchUp: 8 },
  { name: 'lag-0', ttl: 30, loopWait: 10, retryTimeout: 10, maximumLagOnFailover: 0, catchUp: 8 },
  { name: 'behind', ttl: 30, loopWait: 10, retryTimeout: 10, maximumLagOnFailover: mib, catchUp: 0.5 },
  { name: 'behind-16M', ttl: 30, loopWait: 10, retryTimeout: 10, maximumLagOnFailover: 16 * mib, catchUp: 0.5 },
];

/** How long the leader's node stays down before the environment settles and it returns. */
export const nodeDownTicks = 300;
/** The failure happens at a seeded tick this long after the bootstrapped cluster starts (it is writing by then). */
export const failureWindow = { fromTicks: 10, toTicks: 60 } as const;

/** The bootstrap in the model's init takes well under this. */
const bootstrapTicksMax = 120;

const swarm: SwarmOptions = {
  faultPhaseTicks: bootstrapTicksMax + failureWindow.toTicks + nodeDownTicks,
  convergenceTicksMax: 600,
  actionsPerRunMax: 40_000,
  faultChance: { numerator: 0, denominator: 1 },
  requestChance: { numerator: 0, denominator: 1 },
  faultsMax: 1,
  requestsMax: 0,
};

const model = pgoReplicaDeletedModel(pgo57);
type Action = Parameters<typeof model.apply>[1];

/** A member accepts writes and holds the unexpired leader lock. */
function hasLeader(world: PgoWorld): boolean {
  const holder = dcsLeader(world.patroni.dcs, world.now);
  return world.patroni.members.some((member) => member.name === holder && acceptsWrites(member));
}

function leaderNode(world: PgoWorld): string | null {
  const leader = world.patroni.members.find((member) => acceptsWrites(member));
  if (leader === undefined) return null;
  const pod = world.cluster.pods.values().find((candidate) => candidate.name === leader.name);
  return pod?.spec.nodeName ?? null;
}

/** What one run measured. */
interface Measurement {
  startTick: number | null;
  failedAtTick: number | null;
  leaderBackAtTick: number | null;
}

/** Urgent steps in a seeded random order; at `failAtTick` the leader's node goes down; nothing else. */
function failLeaderPolicy(prng: Prng, failAfterTicks: number, measured: Measurement): RunPolicy<PgoWorld, Action> {
  return {
    choose(context: ChooseContext<PgoWorld, Action>): Action | null {
      const { world, actions } = context;
      measured.startTick ??= world.now;
      const failAtTick = measured.startTick + failAfterTicks;
      if (measured.failedAtTick !== null && measured.leaderBackAtTick === null && hasLeader(world)) measured.leaderBackAtTick = world.now;
      if (context.phase === 'faults' && measured.failedAtTick === null && world.now >= failAtTick) {
        const node = leaderNode(world);
        const fault = node === null ? undefined : actions.find((action) => action.kind === 'fault' && action.label === `fault node.down ${node}`);
        if (fault !== undefined) {
          measured.failedAtTick = world.now;
          return fault;
        }
      }
      const urgent = actions.filter((action) => action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user');
      if (urgent.length > 0) return prng.pick(urgent);
      const time = actions.find((action): action is Action & TimeAction => action.kind === 'time');
      if (time === undefined) return null;
      // Failures do not wait for a timer: stop the clock at the failure tick even between two HA loops.
      if (measured.failedAtTick === null && world.now < failAtTick && time.to > failAtTick) return timeAction(world.now, failAtTick, 0) as Action;
      return time;
    },
  };
}

export interface RunResult {
  /** Leaderless ticks after the failure; null when no node failure happened (no leader to fail). */
  readonly leaderlessTicks: number | null;
  /** The leader came back only after the failed node returned. */
  readonly waitedForNode: boolean;
  readonly violation: string | null;
}

/** One seeded run of one setting. */
export function runOne(setting: Setting, seed: number): RunResult {
  const prng = Prng.fromSeed(seed);
  const drawn: PgoScenarioOptions = model.options.draw(prng.fork('options'));
  const patroni: PatroniConfig = { ...drawn.patroni, ttl: setting.ttl, loopWait: setting.loopWait, retryTimeout: setting.retryTimeout, maximumLagOnFailover: setting.maximumLagOnFailover, synchronousMode: 'off' };
  const catchUpBytesPerTick = Math.max(1, Math.floor(drawn.writeBytesPerTick * setting.catchUp));
  const options = model.options.parse({ ...drawn, patroni, catchUpBytesPerTick, initialSwitchover: 'none' });
  const failAfterTicks = prng.fork('failure').int(failureWindow.fromTicks, failureWindow.toTicks);
  const measured: Measurement = { startTick: null, failedAtTick: null, leaderBackAtTick: null };
  const report = runModel({ model, options, swarm, policy: failLeaderPolicy(prng.fork('policy'), failAfterTicks, measured), record: false });
  const end = report.outcome.ticks;
  const violation = report.outcome.violation === null ? null : report.outcome.violation.headline;
  if (measured.failedAtTick === null) return { leaderlessTicks: null, waitedForNode: false, violation };
  const back = measured.leaderBackAtTick ?? end;
  const nodeBackTick = report.outcome.settledAtTick ?? end;
  return { leaderlessTicks: back - measured.failedAtTick, waitedForNode: measured.leaderBackAtTick === null || back >= nodeBackTick, violation };
}

export interface SettingRow {
  readonly setting: Setting;
  /** What Patroni runs with after its start-up adjustment. */
  readonly effective: Pick<PatroniConfig, 'ttl' | 'loopWait' | 'retryTimeout'>;
  readonly breaksTimingRule: boolean;
  readonly runs: number;
  /** Sorted leaderless ticks of the runs that had a failure. */
  readonly leaderless: readonly number[];
  readonly waitedForNode: number;
  readonly violations: number;
  readonly firstViolation: string | null;
}

export interface SweepOptions {
  /** Seeds per setting (the effort knob). */
  readonly runs: number;
  readonly seed: number;
  /** Settings to sweep; {@link settings} by default. */
  readonly settings?: readonly Setting[];
  readonly print?: (line: string) => void;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

function sweepOne(setting: Setting, options: SweepOptions): SettingRow {
  const leaderless: number[] = [];
  let waitedForNode = 0;
  let violations = 0;
  let firstViolation: string | null = null;
  for (let index = 0; index < options.runs; index++) {
    const result = runOne(setting, options.seed + index);
    if (result.leaderlessTicks !== null) leaderless.push(result.leaderlessTicks);
    if (result.waitedForNode) waitedForNode++;
    if (result.violation !== null) {
      violations++;
      firstViolation ??= result.violation;
    }
  }
  const adjusted = adjustTimeouts({ ...patroniDefaults, ttl: setting.ttl, loopWait: setting.loopWait, retryTimeout: setting.retryTimeout, maximumLagOnFailover: setting.maximumLagOnFailover });
  return {
    setting,
    effective: { ttl: adjusted.ttl, loopWait: adjusted.loopWait, retryTimeout: adjusted.retryTimeout },
    breaksTimingRule: !satisfiesTimingRule(setting),
    runs: options.runs,
    leaderless: leaderless.sort((a, b) => a - b),
    waitedForNode,
    violations,
    firstViolation,
  };
}

const bucketTicks = 10;

function histogram(sorted: readonly number[]): string {
  if (sorted.length === 0) return '(no failures)';
  const counts = new Map<number, number>();
  for (const value of sorted) counts.set(Math.floor(value / bucketTicks), (counts.get(Math.floor(value / bucketTicks)) ?? 0) + 1);
  return [...counts.entries()].map(([bucket, count]) => `${bucket * bucketTicks}-${bucket * bucketTicks + bucketTicks - 1}s:${count}`).join(' ');
}

function printAnswer(rows: readonly SettingRow[], options: SweepOptions, print: (line: string) => void): void {
  print(`Seconds without a leader after the leader's node fails (seeds ${options.seed}..${options.seed + options.runs - 1}; the node returns after ${nodeDownTicks}s)`);
  print('');
  const cell = (value: string, width: number) => value.padStart(width);
  print(`${'setting'.padEnd(11)} ${cell('ttl', 4)} ${cell('loop', 4)} ${cell('retry', 5)} ${cell('max lag', 9)} ${cell('catch-up', 8)}  ${'loop+2*retry<=ttl'.padEnd(33)} ${cell('p50', 4)} ${cell('p90', 4)} ${cell('max', 4)} ${cell('until node back', 15)} ${cell('violations', 10)}`);
  for (const row of rows) {
    const s = row.setting;
    const rule = row.breaksTimingRule ? `BROKEN: runs as loop ${row.effective.loopWait} retry ${row.effective.retryTimeout}` : 'ok';
    const p = (value: number | null) => cell(value === null ? '-' : String(value), 4);
    print(
      `${s.name.padEnd(11)} ${cell(String(s.ttl), 4)} ${cell(String(s.loopWait), 4)} ${cell(String(s.retryTimeout), 5)} ${cell(String(s.maximumLagOnFailover), 9)} ${cell(`x${s.catchUp}`, 8)}  ${rule.padEnd(33)} ${p(percentile(row.leaderless, 50))} ${p(percentile(row.leaderless, 90))} ${p(percentile(row.leaderless, 100))} ${cell(`${row.waitedForNode}/${row.runs}`, 15)} ${cell(String(row.violations), 10)}`,
    );
  }
  print('');
  print('catch-up: WAL a replica receives per second as a multiple of what the leader writes; below x1 it falls behind.');
  print('until node back: runs in which no replica took over, so the cluster had no leader until the failed node returned.');
  print('');
  print(`Histograms of leaderless seconds (${bucketTicks}s buckets):`);
  for (const row of rows) print(`  ${row.setting.name.padEnd(11)} ${histogram(row.leaderless)}`);
  for (const row of rows) if (row.firstViolation !== null) print(`  ${row.setting.name}: first property violation: ${row.firstViolation}`);
}

/** Sweeps the settings and prints percentiles and histograms of leaderless time per setting. */
export function main(options: SweepOptions): readonly SettingRow[] {
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new Error(`runs must be a positive integer, got ${options.runs}`);
  if (!Number.isSafeInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const rows = (options.settings ?? settings).map((setting) => sweepOne(setting, options));
  printAnswer(rows, options, options.print ?? ((line) => console.log(line)));
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' } } });
  main({ runs: Number(values.runs), seed: Number(values.seed) });
}
