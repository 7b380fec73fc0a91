/**
 * What-if: "what if PGO reconciled instance sets before the switchover?"
 *
 * Changes the rule itself with nothing but the public API: PGO's reconcile is an ordered list of
 * named steps in a behaviour profile, so we define our own profile whose `reconcileInstanceSets`
 * step runs before `reconcilePatroniSwitchover` (no built-in proposal profile is used), build the
 * stock PostgresCluster world with it, and hunt it with the stock swarm and properties next to
 * upstream `pgo@5.7`, in two worlds: the generated requests of `pgo-replica-deleted` (a replica's
 * StatefulSet deleted while a switchover is pending, PGO issue #4116) and the same world where
 * users may also set `spec.patroni.switchover.targetInstance` (`pgo-switchover-target-leader`).
 *
 *   npx tsx examples/pgo-instances-before-switchover.ts [--runs 60] [--seed 1]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  runSwarm,
  pgo57,
  pgoReplicaDeleted,
  pgoReplicaDeletedModel,
  pgoSwitchoverTargetLeader,
  profileStepNames,
  type PgoProfile,
  type ReconcileStep,
  type Scenario,
  type ScenarioVariant,
  type SwarmOptions,
} from '../src/index.ts';

/** Moves the step named `move` to just before the step named `before`; the other steps keep their order. */
function reorder(steps: readonly ReconcileStep[], move: string, before: string): ReconcileStep[] {
  const moved = steps.find((step) => step.name === move);
  if (moved === undefined) throw new Error(`no reconcile step ${move}`);
  const rest = steps.filter((step) => step !== moved);
  const at = rest.findIndex((step) => step.name === before);
  if (at < 0) throw new Error(`no reconcile step ${before}`);
  return [...rest.slice(0, at), moved, ...rest.slice(at)];
}

/** Our own behaviour profile: upstream's steps, instance sets first. A proposal, so `upstream: false`. */
export const instanceSetsFirst: PgoProfile = {
  name: 'our-pgo@5.7+instance-sets-first',
  upstream: false,
  summary: 'what if: reconcileInstanceSets runs before reconcilePatroniSwitchover (an error there still returns early)',
  steps: reorder(pgo57.steps, 'reconcileInstanceSets', 'reconcilePatroniSwitchover'),
};

/** The worlds we ask the question in: the stock model with and without the target-instance request. */
export const worlds = [
  { name: 'replica-deleted', title: 'replica StatefulSet deleted during a pending switchover (#4116)', targetInstance: false, swarm: pgoReplicaDeleted.swarm },
  { name: 'target-instance', title: 'users may also set switchover.targetInstance', targetInstance: true, swarm: pgoSwitchoverTargetLeader.swarm },
] as const satisfies readonly { name: string; title: string; targetInstance: boolean; swarm: SwarmOptions }[];

export type WorldName = (typeof worlds)[number]['name'];

export interface WhatIfOptions {
  /** Seeded swarm runs per world and profile (the effort knob). */
  readonly runs: number;
  readonly seed: number;
  /** Worlds to hunt; both by default. */
  readonly worlds?: readonly WorldName[];
  readonly print?: (line: string) => void;
}

/** How often one property was violated, and the headline of its first report. */
export interface Finding {
  readonly property: string;
  readonly runs: number;
  readonly firstSeed: number;
  readonly headline: string;
}

export interface WhatIfRow {
  readonly world: WorldName;
  readonly profile: string;
  readonly runs: number;
  /** Runs that ended with any violated property. */
  readonly runsFound: number;
  /** 1-based index of the first run that found one; null when none did. */
  readonly runsToFindFirst: number | null;
  /** One entry per violated property, most frequent first. */
  readonly findings: readonly Finding[];
}

/** A scenario of our own: one world, upstream next to our profile, composed from public parts. */
function scenarioFor(world: (typeof worlds)[number], profiles: readonly PgoProfile[]): Scenario {
  const name = `what-if-${world.name}`;
  return {
    name,
    title: world.title,
    variants: profiles.map((profile) => ({
      name: profile.name,
      profile: profile.name,
      summary: profile.summary,
      model: pgoReplicaDeletedModel(profile, { targetInstance: world.targetInstance }, name),
      expect: profile.upstream ? 'stuck' : 'clean',
    })),
    swarm: world.swarm,
    huntRunsDefault: 100,
  };
}

function printAnswer(rows: readonly WhatIfRow[], options: WhatIfOptions, print: (line: string) => void): void {
  print(`What if PGO reconciled instance sets before the switchover? (seeds ${options.seed}..${options.seed + options.runs - 1}, every run hunted to its end)`);
  for (const profile of [pgo57, instanceSetsFirst]) print(`  ${profile.name.padEnd(32)} ${profileStepNames(profile).join(' -> ')}`);
  print('');
  print(`${'world'.padEnd(16)} ${'profile'.padEnd(32)} ${'runs'.padStart(5)} ${'stuck'.padStart(6)} ${'rate'.padStart(7)} ${'first find'.padStart(10)}`);
  for (const row of rows) {
    const rate = `${((100 * row.runsFound) / row.runs).toFixed(1)}%`;
    print(`${row.world.padEnd(16)} ${row.profile.padEnd(32)} ${String(row.runs).padStart(5)} ${String(row.runsFound).padStart(6)} ${rate.padStart(7)} ${(row.runsToFindFirst === null ? '-' : String(row.runsToFindFirst)).padStart(10)}`);
  }
  print('');
  for (const row of rows) {
    print(`${row.world} / ${row.profile}: ${row.findings.length === 0 ? `clean in ${row.runs} runs` : ''}`);
    for (const finding of row.findings) {
      print(`  ${finding.runs} run(s) violate "${finding.property}"; first (seed ${finding.firstSeed}):`);
      print(`    ${finding.headline}`);
    }
  }
}

/** Runs the stock swarm on every seed to its end and tallies the violated properties. */
function huntVariant(world: WorldName, scenario: Scenario, variant: ScenarioVariant, options: WhatIfOptions): WhatIfRow {
  const findings = new Map<string, { runs: number; firstSeed: number; headline: string }>();
  let runsFound = 0;
  let runsToFindFirst: number | null = null;
  for (let index = 0; index < options.runs; index++) {
    const seed = options.seed + index;
    const report = runSwarm(variant.model, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed, swarm: scenario.swarm }, false);
    const violation = report.outcome.violation;
    if (violation === null) continue;
    runsFound++;
    runsToFindFirst ??= index + 1;
    const seen = findings.get(violation.property);
    findings.set(violation.property, seen === undefined ? { runs: 1, firstSeed: seed, headline: violation.headline } : { ...seen, runs: seen.runs + 1 });
  }
  const sorted = [...findings.entries()]
    .map(([property, finding]) => ({ property, ...finding }))
    .sort((left, right) => right.runs - left.runs || (left.property < right.property ? -1 : left.property > right.property ? 1 : 0));
  return { world, profile: variant.profile, runs: options.runs, runsFound, runsToFindFirst, findings: sorted };
}

/** Hunts every chosen world under upstream and under our profile, and prints the comparison. */
export function main(options: WhatIfOptions): readonly WhatIfRow[] {
  if (!Number.isSafeInteger(options.runs) || options.runs < 1) throw new Error(`runs must be a positive integer, got ${options.runs}`);
  if (!Number.isSafeInteger(options.seed)) throw new Error(`seed must be an integer, got ${options.seed}`);
  const chosen = worlds.filter((world) => options.worlds === undefined || options.worlds.includes(world.name));
  const rows: WhatIfRow[] = [];
  for (const world of chosen) {
    const scenario = scenarioFor(world, [pgo57, instanceSetsFirst]);
    for (const variant of scenario.variants) rows.push(huntVariant(world.name, scenario, variant, options));
  }
  printAnswer(rows, options, options.print ?? ((line) => console.log(line)));
  return rows;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' } } });
  main({ runs: Number(values.runs), seed: Number(values.seed) });
}
