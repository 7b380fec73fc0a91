/**
 * `opsim explore <scenario> [--variant V] [--max-states N] [--max-depth N] [--faults N] [--requests N]
 * [--options JSON|[JSON,…]] [--interleavings all|canonical|canonical-quiet] [--json] [--out trace.json]`: exhaustive search of one variant's small
 * configuration. Exit 1 when a violation is found, 0 when none is (the output says whether the
 * space was exhausted or a limit was hit), 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { exploreDepthMaxDefault, exploreFaultsMaxDefault, exploreRequestsMaxDefault, exploreStatesMaxDefault, exploreVariant, type ExploreResult, type Interleavings } from '../sim/explore.ts';
import { OptionsError } from '../sim/model.ts';
import type { Scenario } from '../sim/scenario.ts';
import { serializeTrace } from '../sim/trace.ts';
import { violationJson } from './hunt-command.ts';
import type { CliIo } from './io.ts';
import { findScenario, findVariant } from './lookup.ts';
import { parseCount, UsageError } from './usage.ts';

export function exploreCommand(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      variant: { type: 'string', default: 'buggy' },
      'max-states': { type: 'string' },
      'max-depth': { type: 'string' },
      faults: { type: 'string' },
      requests: { type: 'string' },
      options: { type: 'string' },
      interleavings: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const scenario = findScenario(scenarios, positionals[0]);
  const variant = findVariant(scenario, values.variant);
  // Flags win over the scenario's explore defaults, which win over the explorer's own.
  const given = {
    ...(values['max-states'] === undefined ? {} : { statesMax: parseCount('max-states', values['max-states'], exploreStatesMaxDefault, 1) }),
    ...(values['max-depth'] === undefined ? {} : { depthMax: parseCount('max-depth', values['max-depth'], exploreDepthMaxDefault, 1) }),
    ...(values.faults === undefined ? {} : { faultsMax: parseCount('faults', values.faults, exploreFaultsMaxDefault) }),
    ...(values.requests === undefined ? {} : { requestsMax: parseCount('requests', values.requests, exploreRequestsMaxDefault) }),
    ...(values.interleavings === undefined ? {} : { interleavings: parseInterleavings(values.interleavings) }),
    ...(values.options === undefined ? {} : { configurations: parseOptions(variant.model.options.parse, values.options) }),
  };
  const fallback = scenario.explore ? {} : { faultsMax: Math.min(exploreFaultsMaxDefault, scenario.swarm.faultsMax), requestsMax: Math.min(exploreRequestsMaxDefault, scenario.swarm.requestsMax) };
  const started = io.elapsedMs();
  const result = exploreVariant(scenario, variant, { ...fallback, ...given });
  const elapsedMs = io.elapsedMs() - started;
  const tracePath = result.trace ? (values.out ?? `.opsim/${scenario.name}-${variant.name}-explore.json`) : null;
  if (result.trace && tracePath) io.writeFileAtomic(tracePath, serializeTrace(result.trace));
  if (values.json) io.out(JSON.stringify(exploreJson(result, tracePath, elapsedMs)) + '\n');
  else io.out(exploreText(result, tracePath, elapsedMs));
  return result.violation ? 1 : 0;
}

function parseInterleavings(text: string): Interleavings {
  if (text !== 'all' && text !== 'canonical' && text !== 'canonical-quiet') throw new UsageError(`--interleavings must be all, canonical or canonical-quiet, got '${text}'`);
  return text;
}

// One configuration as a JSON object, or several as a JSON array of objects.
function parseOptions(parse: (raw: unknown) => unknown, text: string): unknown[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--options is not JSON (${(error as Error).message})`);
  }
  try {
    return Array.isArray(raw) ? raw.map((one) => parse(one)) : [parse(raw)];
  } catch (error) {
    if (error instanceof OptionsError) throw new UsageError(`--options: ${error.message}`);
    throw error;
  }
}

function statesPerSecond(result: ExploreResult, elapsedMs: number): number {
  return Math.round((result.states * 1000) / Math.max(1, elapsedMs));
}

/** The `--json` object: hunt's field names where they mean the same, plus the search's own. */
export function exploreJson(result: ExploreResult, tracePath: string | null, elapsedMs: number): Record<string, unknown> {
  return {
    scenario: result.scenario,
    variant: result.variant,
    profile: result.profile,
    driver: 'explore',
    found: result.violation !== null,
    verdict: result.verdict,
    exhausted: result.exhausted,
    limitHit: result.limitHit,
    limits: result.limits,
    interleavings: result.interleavings,
    states: result.states,
    edges: result.edges,
    depthReached: result.depthReached,
    closedStates: result.closedStates,
    terminalComponents: result.terminalComponents,
    stuckStates: result.stuckStates,
    stuckKind: result.stuckKind,
    path: result.path,
    cycle: result.cycle,
    violation: result.violation ? violationJson(result.violation) : null,
    tracePath,
    replay: tracePath ? `npm run opsim -- replay ${tracePath}` : null,
    sometimesNeverSeen: result.sometimesNeverSeen,
    elapsedMs,
    statesPerSecond: statesPerSecond(result, elapsedMs),
  };
}

function exploreText(result: ExploreResult, tracePath: string | null, elapsedMs: number): string {
  const { limits } = result;
  const space = result.exhausted ? 'space exhausted' : result.limitHit ? `LIMIT ${result.limitHit} hit: the space was not exhausted` : 'search stopped at the first violation';
  const lines = [
    `${result.scenario} / ${result.variant} (${result.profile}), explore: faults ≤ ${limits.faultsMax}, requests ≤ ${limits.requestsMax}, statesMax ${limits.statesMax}, depthMax ${limits.depthMax}, interleavings ${result.interleavings}`,
    `${result.states} states, ${result.edges} edges, depth ${result.depthReached}, ${space}; ${(elapsedMs / 1000).toFixed(1)} s (${statesPerSecond(result, elapsedMs)} states/s)`,
  ];
  if (result.violation) {
    const what = result.stuckKind ? `STUCK (${result.stuckKind}; ${result.stuckStates} stuck states)` : result.verdict.toUpperCase();
    lines.push(`${what}: shortest path (${result.path.length} steps):`, ...result.path.map((label, index) => `  ${index}. ${label}`));
    if (result.cycle) lines.push(`then forever (${result.cycle.length} steps): ${result.cycle.join(' → ')}`);
    lines.push('', result.violation.explanation, '');
    if (tracePath) lines.push(`trace: ${tracePath}`, `replay: npm run opsim -- replay ${tracePath}`);
  } else {
    lines.push(result.exhausted ? 'clean: no reachable state violates a property' : `clean within the limit (${result.closedStates} of ${result.states} states fully judged)`);
  }
  if (result.sometimesNeverSeen.length > 0) lines.push(`warning: never reached (vacuous?): ${result.sometimesNeverSeen.join('; ')}`);
  return lines.join('\n') + '\n';
}
