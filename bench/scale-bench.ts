/**
 * Scale: simulated actions per CPU second on one scenario as the cluster grows, 3, 30 and 300
 * nodes with pods to match (issue 11: the figure at 300 nodes should be at least a third of the one
 * at 3). The scenario is pg-image-mismatch (`fixed` variant, so runs normally end clean rather than
 * in an explanation; a run that does not is listed with its seed) with `replicas = nodeCount`: one
 * PostgreSQL pod per node, created OrderedReady by the InstanceSet, on `node-1..node-N`. Only the convergence budget grows with the replicas (20 ticks a
 * pod, at least the scenario's own 600) so a 300-pod run converges instead of ending stuck halfway
 * through creation; every other swarm option is the scenario's.
 *
 * Runs with seeds 1, 2, … until the repetition's budget is spent (at least one whole run), after
 * warm-up runs per size (at least one, and 1.5 s of CPU); each figure is the median of the repetitions with the spread. Time is this
 * process's CPU time (`process.cpuUsage`, as in scheduler-scale.ts), so that the other work on a
 * shared machine skews the ratio between sizes less.
 */
import { pathToFileURL } from 'node:url';
import { pgImageMismatchScenario } from '../src/scenarios/pg-image-mismatch/pg-image-mismatch.ts';
import type { Model, SimAction } from '../src/sim/model.ts';
import type { SwarmOptions } from '../src/sim/scenario.ts';
import { runSwarm } from '../src/sim/swarm.ts';
import { cpuMs, figureOf, formatRate, type Figure } from './measure.ts';


export const scaleNodeCounts = [3, 30, 300] as const;
export const scaleWarmUpMs = 1_500;

export interface ScaleRow {
  readonly nodes: number;
  readonly pods: number;
  readonly runs: number;
  readonly actionsPerRun: number;
  /** Measured runs that did not end clean (their actions count too; a finding is reported, not skipped). */
  readonly notClean: readonly { readonly seed: number; readonly verdict: string }[];
  readonly actionsPerSecond: Figure;
}

export interface ScaleFigures {
  readonly scenario: string;
  readonly variant: string;
  readonly rows: readonly ScaleRow[];
  /** Median actions/s at the largest size over the median at the smallest (target ≥ 1/3). */
  readonly ratio: number;
}

function scaleSwarm(replicas: number): SwarmOptions {
  const swarm = pgImageMismatchScenario.swarm;
  return { ...swarm, convergenceTicksMax: Math.max(swarm.convergenceTicksMax, replicas * 20) };
}

/** One swarm run after another of pg-image-mismatch/fixed at `nodes` nodes (and as many replicas), from seed 1 on; `runOnce` gives a run's actions. */
export function scaleRunner(nodes: number): { runOnce: () => number; notClean: readonly { seed: number; verdict: string }[] } {
  const variant = pgImageMismatchScenario.variants.find((candidate) => candidate.name === 'fixed');
  if (variant === undefined) throw new Error('pg-image-mismatch has no fixed variant');
  const model = variant.model as Model<unknown, SimAction, unknown>;
  const options = model.options.parse({ ...(model.options.defaults as object), nodeCount: nodes, replicas: nodes });
  const swarm = scaleSwarm(nodes);
  let seed = 1;
  const notClean: { seed: number; verdict: string }[] = [];
  const runOnce = (): number => {
    const report = runSwarm(model, { scenario: pgImageMismatchScenario.name, variant: variant.name, profile: variant.profile, seed, swarm, options }, false);
    if (report.outcome.verdict !== 'clean') notClean.push({ seed, verdict: report.outcome.verdict });
    seed++;
    return report.outcome.actions;
  };
  return { runOnce, notClean };
}

/** Actions per second at `nodes` nodes (and as many replicas), one figure per repetition after warming up. */
export function scaleRow(nodes: number, repetitions: number, budgetMs: number): ScaleRow {
  const { runOnce, notClean } = scaleRunner(nodes);
  let totalActions = 0;
  let totalRuns = 0;
  // Warm-up: at least one run and 1.5 s of CPU. One 3-node run is ~100 actions; after a single
  // warm-up run the five 3-node repetitions rose 10.8k, 17.6k, 21.9k, 24.4k, 31.6k actions/s (JIT
  // and heap still settling), so the median said less about the simulator than about the start-up.
  const warmStarted = cpuMs();
  do runOnce();
  while (cpuMs() - warmStarted < scaleWarmUpMs);
  const samples: number[] = [];
  for (let repetition = 0; repetition < repetitions; repetition++) {
    const started = cpuMs();
    let actions = 0;
    do {
      actions += runOnce();
      totalRuns++;
    } while (cpuMs() - started < budgetMs);
    totalActions += actions;
    samples.push((actions * 1000) / (cpuMs() - started));
  }
  return { nodes, pods: nodes, runs: totalRuns, actionsPerRun: Math.round(totalActions / totalRuns), notClean: [...notClean], actionsPerSecond: figureOf(samples) };
}

export function scaleFigures(repetitions: number, budgetMs: number, nodeCounts: readonly number[] = scaleNodeCounts): ScaleFigures {
  const rows = nodeCounts.map((nodes) => scaleRow(nodes, repetitions, budgetMs));
  const first = rows[0] as ScaleRow;
  const last = rows[rows.length - 1] as ScaleRow;
  return { scenario: pgImageMismatchScenario.name, variant: 'fixed', rows, ratio: last.actionsPerSecond.median / first.actionsPerSecond.median };
}

export function scaleText(figures: ScaleFigures): string {
  const lines = [`scale: ${figures.scenario} / ${figures.variant}, replicas = nodes (swarm actions per CPU second, median (min..max))`];
  for (const row of figures.rows) {
    const findings = row.notClean.length === 0 ? '' : `; not clean: ${row.notClean.map((run) => `seed ${run.seed} ${run.verdict}`).join(', ')}`;
    lines.push(`  ${String(row.nodes).padStart(3)} nodes, ${String(row.pods).padStart(3)} pods: ${formatRate(row.actionsPerSecond)} actions/s  (${row.runs} runs, ${row.actionsPerRun} actions/run${findings})`);
  }
  const first = figures.rows[0] as ScaleRow;
  const last = figures.rows[figures.rows.length - 1] as ScaleRow;
  lines.push(`  ratio ${last.nodes}/${first.nodes} nodes: ${figures.ratio.toFixed(2)} (target ≥ 0.33)`);
  return lines.join('\n');
}

// `npx tsx bench/scale-bench.ts [--quick]`: the scale section alone (npm run bench runs it too).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  console.log(scaleText(scaleFigures(quick ? 3 : 5, quick ? 300 : 1000)));
}
