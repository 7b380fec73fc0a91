/**
 * What-if: "how many restored pods stay Pending as the node pool shrinks?"
 *
 * A KubeBlocks MySQL-like cluster `my1` (2 or 3 replicas) with the addon's required pod anti-affinity
 * on its own instance label (per hostname) keeps running while a backup of it is restored into a
 * new cluster of as many replicas. For each node-pool size and each KubeBlocks restore profile, runs the
 * stock restore model (`restoreModel`) on many seeds: our driver policy runs the controllers,
 * kubelets, scheduler and timers in a seeded random order, takes a backup once the source is
 * Running and restores it once the backup is Completed; no faults, no deletes. At the end it counts
 * the restored cluster's unbound pods as the stock scheduling oracle classifies them: Pending only
 * because of the source's inherited selector (the bug), or for lack of nodes under the restored
 * cluster's own rules (capacity), whether the Restore OpsRequest reached Succeed, and how many
 * restored replicas ended up sharing one node.
 *
 *   npx tsx examples/restore-pending-by-pool-size.ts [--runs 10] [--seed 1]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Prng,
  appInstanceLabelKey,
  pendingPods,
  restoreModel,
  restoreOptionsDefaults,
  restoreProfiles,
  runModel,
  stateValueText,
  type ChooseContext,
  type KubeBlocksAction,
  type RestoreAntiAffinityOptions,
  type RestoreProfile,
  type RestoreWorld,
  type RunPolicy,
  type SwarmOptions,
} from '../src/index.ts';

export const sourceReplicaCounts: readonly number[] = [3, 2];
export const poolSizes: readonly number[] = [5, 4, 3, 2];
const sourceCluster = 'my1';

const swarm: SwarmOptions = {
  faultPhaseTicks: 600,
  convergenceTicksMax: 900,
  actionsPerRunMax: 30_000,
  faultChance: { numerator: 0, denominator: 1 },
  requestChance: { numerator: 0, denominator: 1 },
  faultsMax: 0,
  requestsMax: 2,
};

const backupCompleted = (world: RestoreWorld) => Object.values(world.ext.restore.backups).some((backup) => stateValueText(backup.lifecycle.value) === 'Completed');

/** Urgent steps in seeded random order; a backup once `my1` is Running, one Parallel restore once it is Completed. */
function restorePolicy(prng: Prng): RunPolicy<RestoreWorld, KubeBlocksAction> {
  return {
    choose(context: ChooseContext<RestoreWorld, KubeBlocksAction>): KubeBlocksAction | null {
      const { world, actions } = context;
      const urgent = actions.filter((action) => action.kind === 'controller' || action.kind === 'kubelet' || action.kind === 'scheduler' || action.kind === 'timer');
      if (urgent.length > 0) return prng.pick(urgent);
      if (context.phase === 'faults') {
        const wanted = actions.find(
          (action) =>
            (action.label.startsWith('user backup.create backup-1') && world.kb.clusters[sourceCluster]?.status.phase === 'Running') ||
            (action.label.startsWith('user opsrequest.create restore-1 ') && action.label.endsWith('volumeRestorePolicy=Parallel') && backupCompleted(world)),
        );
        if (wanted !== undefined) return wanted;
      }
      return actions.find((action) => action.kind === 'time') ?? null;
    },
  };
}

export interface RestoreRun {
  /** Restored pods Pending only because of the source's inherited selector. */
  readonly foreignSelector: number;
  /** Restored pods Pending because no node satisfies even their own rules. */
  readonly lackOfCapacity: number;
  /** Restored pods the scheduler could still bind (should be 0 at the end). */
  readonly schedulable: number;
  /** The Restore OpsRequest's phase at the end ('' when never created). */
  readonly opsPhase: string;
  /** Most restored pods bound to one node (above 1: the restored replicas share a node). */
  readonly podsOnOneNodeMax: number;
}

/** One seeded restore onto a pool of `nodeCount` nodes under `profile`. */
export function runOne(profile: RestoreProfile, sourceReplicas: number, nodeCount: number, seed: number): RestoreRun {
  const model = restoreModel('what-if-pool', profile, false);
  const prng = Prng.fromSeed(seed);
  const drawn = model.options.draw(prng.fork('options'));
  const options: RestoreAntiAffinityOptions = model.options.parse({
    ...restoreOptionsDefaults,
    nodeCount,
    zoneCount: 1,
    sourceReplicas,
    termAt: ['component'],
    term: 'required',
    topologyKey: 'kubernetes.io/hostname',
    templateReplicas: 0,
    spreadWithoutSelector: false,
    timing: drawn.timing,
  });
  const report = runModel({ model, options, swarm, policy: restorePolicy(prng.fork('policy')), record: false });
  const world = report.world;
  const restored = pendingPods(world).filter((entry) => entry.clusterName !== sourceCluster);
  const count = (kind: string) => restored.filter((entry) => entry.verdict.kind === kind).length;
  const ops = Object.values(world.ext.restore.opsRequests)[0];
  const perNode: Record<string, number> = {};
  for (const pod of world.k8s.pods.values()) {
    const instance = pod.labels[appInstanceLabelKey];
    if (instance === undefined || instance === sourceCluster || pod.spec.nodeName === null || !(instance in world.kb.clusters)) continue;
    perNode[pod.spec.nodeName] = (perNode[pod.spec.nodeName] ?? 0) + 1;
  }
  const podsOnOneNodeMax = Math.max(0, ...Object.values(perNode));
  return { podsOnOneNodeMax, foreignSelector: count('foreign-selector'), lackOfCapacity: count('lack-of-capacity'), schedulable: count('schedulable'), opsPhase: ops === undefined ? '' : stateValueText(ops.lifecycle.value) };
}

export interface PoolRow {
  readonly profile: string;
  readonly sourceReplicas: number;
  readonly nodeCount: number;
  readonly runs: number;
  /** Per run: restored pods Pending at the end (foreign selector + lack of capacity + schedulable). */
  readonly pending: readonly number[];
  readonly foreignSelector: number;
  readonly lackOfCapacity: number;
  readonly schedulable: number;
  /** Most restored pods bound to one node, over all runs. */
  readonly podsOnOneNodeMax: number;
  /** Runs whose Restore OpsRequest ended in each phase. */
  readonly opsPhases: Readonly<Record<string, number>>;
}

export interface PoolOptions {
  /** Seeds per pool size and profile (the effort knob). */
  readonly runs: number;
  readonly seed: number;
  readonly poolSizes?: readonly number[];
  readonly sourceReplicaCounts?: readonly number[];
  readonly profiles?: readonly RestoreProfile[];
  readonly print?: (line: string) => void;
}

function printAnswer(rows: readonly PoolRow[], options: PoolOptions, print: (line: string) => void): void {
  print(`Restored pods still Pending at the end, by node-pool size (source my1 with required anti-affinity per hostname, still running;`);
  print(`the restored cluster gets as many replicas as the source; seeds ${options.seed}..${options.seed + options.runs - 1}; pools smaller than the source are left out: it cannot run there)`);
  print('');
  print(`${'profile'.padEnd(46)} ${'replicas'.padStart(8)} ${'nodes'.padStart(5)} ${'pending/run'.padStart(11)} ${'inherited selector'.padStart(18)} ${'lack of nodes'.padStart(13)} ${'bindable'.padStart(8)} ${'max on one node'.padStart(15)}  restore OpsRequest phases`);
  for (const row of rows) {
    const mean = row.pending.reduce((sum, value) => sum + value, 0) / Math.max(1, row.pending.length);
    const phases = Object.entries(row.opsPhases)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([phase, count]) => `${phase || '(none)'} ${count}`)
      .join(', ');
    print(`${row.profile.padEnd(46)} ${String(row.sourceReplicas).padStart(8)} ${String(row.nodeCount).padStart(5)} ${mean.toFixed(2).padStart(11)} ${String(row.foreignSelector).padStart(18)} ${String(row.lackOfCapacity).padStart(13)} ${String(row.schedulable).padStart(8)} ${String(row.podsOnOneNodeMax).padStart(15)}  ${phases}`);
  }
  print('');
  print('inherited selector: Pending only because the restored pod still repels pods of my1 (it would bind with its own selector);');
  print('lack of nodes: Pending even under the restored cluster\'s own rules. Columns sum over all runs; pending/run is the mean.');
  print('max on one node: most bound pods of the restored cluster on a single node (above 1, its replicas share a node).');
}

function poolRow(profile: RestoreProfile, sourceReplicas: number, nodeCount: number, options: PoolOptions): PoolRow {
  const pending: number[] = [];
  const opsPhases: Record<string, number> = {};
  let foreignSelector = 0;
  let lackOfCapacity = 0;
  let schedulable = 0;
  let podsOnOneNodeMax = 0;
  for (let index = 0; index < options.runs; index++) {
    const run = runOne(profile, sourceReplicas, nodeCount, options.seed + index);
    pending.push(run.foreignSelector + run.lackOfCapacity + run.schedulable);
    foreignSelector += run.foreignSelector;
    lackOfCapacity += run.lackOfCapacity;
    schedulable += run.schedulable;
    podsOnOneNodeMax = Math.max(podsOnOneNodeMax, run.podsOnOneNodeMax);
    opsPhases[run.opsPhase] = (opsPhases[run.opsPhase] ?? 0) + 1;
  }
  return { profile: profile.name, sourceReplicas, nodeCount, runs: options.runs, pending, foreignSelector, lackOfCapacity, schedulable, podsOnOneNodeMax, opsPhases };
}

/** Restores onto every pool size under every profile and prints the Pending counts. */
export function main(options: PoolOptions): readonly PoolRow[] {
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new Error(`runs must be a positive integer, got ${options.runs}`);
  if (!Number.isSafeInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const rows: PoolRow[] = [];
  for (const profile of options.profiles ?? restoreProfiles) {
    for (const sourceReplicas of options.sourceReplicaCounts ?? sourceReplicaCounts) {
      for (const nodeCount of (options.poolSizes ?? poolSizes).filter((size) => size >= sourceReplicas)) rows.push(poolRow(profile, sourceReplicas, nodeCount, options));
    }
  }
  printAnswer(rows, options, options.print ?? ((line) => console.log(line)));
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' } } });
  main({ runs: Number(values.runs), seed: Number(values.seed) });
}
