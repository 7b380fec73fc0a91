/**
 * The benchmark harness: `npm run bench [-- --quick] [-- --only <scenario>]`.
 * Prints a table and writes bench/results.json with, per scenario and variant, swarm throughput
 * (runs, simulated actions and virtual ticks per wall second, actions per CPU second; after a warm-up of
 * 1 s of CPU (2 s without --quick) on seeds of its own, each repetition runs as many fresh seeds as fit
 * in the budget then, the same seeds in every bench run) and, for variants expected to fail,
 * runs and wall time to find over 10 seeds and the scripted driver's shrunk counterexample (one
 * fast-check seed) and the swarm's find shrunk as a script (`--mode swarm-shrink`, seed 1; in
 * --quick only where the scripted driver found nothing); plus the machine it ran on. Each figure is the median of
 * several repetitions after a warm-up, with the spread in brackets.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { scenarios } from '../src/scenarios/registry.ts';
import type { Scenario } from '../src/sim/scenario.ts';
import { toyScenario } from '../src/sim/testing/toy-scenario.ts';
import { formatRate } from './measure.ts';
import { formatScripted, formatSwarmShrink, scriptedFigures, swarmShrinkFigures } from './scripted-bench.ts';
import { runsToFind, swarmThroughput } from './swarm-bench.ts';
import { extraSections } from './sections.ts';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } } });
const quick = values.quick;
const repetitions = 5;
const budgetMs = quick ? 300 : 1000;
const swarmWarmUpMs = quick ? 1000 : 2000;
const seeds = 10;
const runsMax = 500;

const all: Scenario[] = [toyScenario, ...scenarios].filter((scenario) => values.only === undefined || scenario.name === values.only);
const rows: Record<string, unknown>[] = [];
const scriptedRuns = quick ? 100 : 300;
const table: string[][] = [['scenario', 'variant', 'runs/s', 'actions/s', 'actions/CPU-s', 'ticks/s', 'runs to find (median, max)', 'ms to find (median, max)', `scripted, seed 1 (≤ ${scriptedRuns} runs)`, 'swarm find → shrunk script']];

for (const scenario of all) {
  for (const variant of scenario.variants) {
    process.stderr.write(`bench ${scenario.name} / ${variant.name} …\n`);
    const throughput = swarmThroughput(scenario, variant, repetitions, budgetMs, swarmWarmUpMs);
    const find = variant.expect === 'clean' ? null : runsToFind(scenario, variant, seeds, runsMax);
    const scripted = variant.expect === 'clean' ? null : scriptedFigures(scenario, variant, 1, scriptedRuns);
    const shrinkFromSwarm = scripted !== null && (!quick || !scripted.found);
    const swarmShrink = shrinkFromSwarm ? swarmShrinkFigures(scenario, variant, 1, runsMax) : null;
    rows.push({ scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm: throughput, find, scripted, swarmShrink });
    table.push([
      scenario.name,
      variant.name,
      formatRate(throughput.runsPerSecond),
      formatRate(throughput.actionsPerSecond),
      formatRate(throughput.actionsPerCpuSecond),
      formatRate(throughput.ticksPerSecond),
      find?.runsToFind ? `${find.runsToFind.median} / ${find.runsToFind.max}${find.notFound ? ` (${find.notFound} not found)` : ''}` : find ? `not found in ${runsMax}` : '-',
      find?.msToFind ? `${find.msToFind.median.toFixed(0)} / ${find.msToFind.max.toFixed(0)}` : '-',
      formatScripted(scripted),
      formatSwarmShrink(swarmShrink),
    ]);
  }
}

const extras = extraSections(all, { quick, repetitions, budgetMs });
const widths = (table[0] as string[]).map((_, column) => Math.max(...table.map((cells) => (cells[column] as string).length)));
const render = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ').trimEnd();
const lines = [render(table[0] as string[]), render(widths.map((width) => '-'.repeat(width))), ...table.slice(1).map(render)];
console.log(lines.join('\n'));
for (const section of extras) console.log('\n' + section.text);

const machine = { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform };
const results = { machine, quick, repetitions, budgetMsPerRepetition: budgetMs, swarmWarmUpCpuMs: swarmWarmUpMs, scenarios: rows, ...Object.fromEntries(extras.map((section) => [section.key, section.data])) };
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
console.log(`\nmachine: ${machine.cores} cores, ${machine.cpu}, Node ${machine.node}; wrote bench/results.json`);
