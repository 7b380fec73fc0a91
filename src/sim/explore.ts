/**
 * The explore driver (DESIGN.md §1, driver 3): exhaustive breadth-first search over
 * `actions/apply` from a scenario's small configuration(s), with canonical state keys, named
 * limits (`statesMax`, `depthMax`) and a fault budget that makes faults stop. It reports the
 * shortest path to a safety violation, or a stuck state — a state from which no path reaches a
 * state where the `eventually` property holds for good once the environment has settled — with
 * the shortest path to it and the cycle the world is caught in (deadlock, livelock, flapping).
 *
 * The result always says whether the space was exhausted or a limit was hit, and how many states
 * and edges were seen; under a limit only states whose whole future was explored are judged.
 */
import { AssertionError, assert } from './assert.ts';
import type { Model, SimAction } from './model.ts';
import { registerReplayer, TraceError } from './replay.ts';
import type { Scenario, ScenarioVariant, SwarmOptions } from './scenario.ts';
import type { Tick } from './ticks.ts';
import { traceFormat, traceFormatVersion, type Trace, type Violation } from './trace.ts';
import { opsimVersion } from './version.ts';
import { analyse, pathTo, type StuckKind } from './explore/analysis.ts';
import { canonicalFingerprint, textHashInto } from './explore/fingerprint.ts';
import { stateCount } from './explore/graph.ts';
import { canonicalHashTree, type Hash64, type HashTree } from './explore/hash.ts';
import { applyMove, movesOf, type Budget, type ExploreNode, type Interleavings } from './explore/moves.ts';
import { followLabels, tracePath, type PathClaim } from './explore/path.ts';
import { eventuallyProperties, nodeHashInto, search, type ExploreHashing, type SearchGraph, type WorldHasher } from './explore/search.ts';

export { canonicalFingerprint, defaultFingerprintRules, hashKey, type FingerprintRules } from './explore/fingerprint.ts';
export { canonicalHash } from './explore/hash.ts';
export type { StuckKind } from './explore/analysis.ts';
export type { Interleavings } from './explore/moves.ts';
export type { ExploreHashing, WorldHasher } from './explore/search.ts';
export type { PathClaim } from './explore/path.ts';

export const exploreStatesMaxDefault = 200_000;
export const exploreDepthMaxDefault = 2_000;
/** Fault budget when none is given: one fault, as most incidents need. */
export const exploreFaultsMaxDefault = 1;
/** User-request budget when none is given. */
export const exploreRequestsMaxDefault = 2;

export interface ExploreOptions<W, O> {
  /** Initial configurations; defaults to the model's default options. */
  readonly configurations?: readonly O[];
  readonly faultsMax?: number;
  readonly requestsMax?: number;
  readonly statesMax?: number;
  readonly depthMax?: number;
  /** Overrides the model's fingerprint (and the default one). */
  readonly fingerprint?: (world: W) => string;
  /** `all` (default, exhaustive) or `canonical` (see {@link Interleavings}). */
  readonly interleavings?: Interleavings;
}

/** Names for the result and its trace. */
export interface ExploreTarget<W, A extends SimAction, O> {
  readonly model: Model<W, A, O>;
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  /** Settings stored in the trace (the budgets are the explorer's). */
  readonly swarm: SwarmOptions;
}

export interface ExploreResult {
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  readonly verdict: 'clean' | 'safety' | 'stuck' | 'error';
  /** True when every reachable state (within the fault budget) was expanded. */
  readonly exhausted: boolean;
  readonly limitHit: 'statesMax' | 'depthMax' | null;
  readonly limits: { readonly statesMax: number; readonly depthMax: number; readonly faultsMax: number; readonly requestsMax: number };
  /** `canonical`: only the first urgent action was followed (an under-approximation, see {@link Interleavings}). */
  readonly interleavings: Interleavings;
  readonly configurations: number;
  readonly states: number;
  readonly edges: number;
  readonly depthReached: number;
  /** States whose whole reachable subgraph was explored (only those are judged stuck or not). */
  readonly closedStates: number;
  readonly terminalComponents: number;
  /** Closed states from which the goal can no longer be reached (for the reported property). */
  readonly stuckStates: number;
  readonly stuckKind: StuckKind | null;
  readonly violation: Violation | null;
  /** Action labels of the shortest path to the reported state. */
  readonly path: readonly string[];
  /** Action labels of the cycle the stuck world is caught in; null for a deadlock or no finding. */
  readonly cycle: readonly string[] | null;
  readonly trace: Trace | null;
  readonly sometimesSeen: readonly string[];
  readonly sometimesNeverSeen: readonly string[];
}

type Fingerprint<W> = (world: W, now: Tick) => string;

function fingerprintFor<W>(model: Model<W, SimAction, unknown>, override?: (world: W) => string): Fingerprint<W> {
  if (override) return (world) => override(world);
  if (model.fingerprint) return (world) => (model.fingerprint as (world: W) => string)(world);
  return (world, now) => canonicalFingerprint(world, now);
}

/**
 * The search hashes keys without building them: a model's (or the caller's) fingerprint text is
 * hashed as text; the default canonical form is hashed from the world's structure (hash.ts), which
 * gives equal hashes exactly for equal {@link canonicalFingerprint} texts.
 */
function hasherFor<W>(model: Model<W, SimAction, unknown>, override?: (world: W) => string): WorldHasher<W> {
  if (override) return (world, _now, out) => textHashInto(override(world), out);
  const own = (model as ExploreHashing<W>).exploreHasher;
  if (own !== undefined && own.fingerprint === model.fingerprint) return own.hasher;
  if (model.fingerprint) return (world, _now, out) => textHashInto((model.fingerprint as (world: W) => string)(world), out);
  return (world, now, out, previous) => canonicalHashTree(world, now, out, previous as HashTree | null);
}

function labelsAlong<W, A extends SimAction, O>(model: Model<W, A, O>, options: O, budget: Budget, graph: SearchGraph, states: readonly number[]): string[] {
  const labels: string[] = [];
  let node: ExploreNode<W> = { world: model.init(options), settled: false, faults: 0, requests: 0 };
  for (const state of states.slice(1)) {
    const move = movesOf(model as Model<W, A, unknown>, node, budget)[graph.via[state] as number];
    assert(move !== undefined, `explore path to state ${state} cannot be rebuilt: the model is not deterministic`);
    labels.push(move.label);
    node = applyMove(model as Model<W, A, unknown>, node, move);
  }
  return labels;
}

// The labels of the cycle `cycle` (states after `start`), found by matching successor keys.
function cycleLabels<W, A extends SimAction, O>(model: Model<W, A, O>, start: ExploreNode<W>, budget: Budget, graph: SearchGraph, cycle: readonly number[], hasher: WorldHasher<W>): string[] {
  const labels: string[] = [];
  const hash: Hash64 = { hi: 0, lo: 0 };
  let node = start;
  for (const target of cycle) {
    const moves = movesOf(model as Model<W, A, unknown>, node, budget);
    let found: ExploreNode<W> | null = null;
    for (const move of moves) {
      const next = applyMove(model as Model<W, A, unknown>, node, move);
      nodeHashInto(hasher, model as Model<W, SimAction, unknown>, next, hash);
      if (hash.hi === graph.hashHi[target] && hash.lo === graph.hashLo[target]) {
        labels.push(move.label);
        found = next;
        break;
      }
    }
    assert(found !== null, `explore cycle step to state ${target} cannot be rebuilt: the model is not deterministic`);
    node = found;
  }
  return labels;
}

/** Explores a model exhaustively (within its limits) and reports the first violation found. */
export function explore<W, A extends SimAction, O>(target: ExploreTarget<W, A, O>, options: ExploreOptions<W, O> = {}): ExploreResult {
  const { model } = target;
  const configurations = options.configurations ?? [model.options.defaults];
  assert(configurations.length > 0, 'explore needs at least one configuration');
  const interleavings = options.interleavings ?? 'all';
  const budget: Budget = { faultsMax: options.faultsMax ?? exploreFaultsMaxDefault, requestsMax: options.requestsMax ?? exploreRequestsMaxDefault, interleavings };
  const limits = { statesMax: options.statesMax ?? exploreStatesMaxDefault, depthMax: options.depthMax ?? exploreDepthMaxDefault, faultsMax: budget.faultsMax, requestsMax: budget.requestsMax };
  for (const [name, value] of Object.entries(limits)) assert(Number.isSafeInteger(value) && value >= 0, `explore ${name} ${value} must be a non-negative integer`);
  const fingerprint = fingerprintFor(model as Model<W, SimAction, unknown>, options.fingerprint);
  const hasher = hasherFor(model as Model<W, SimAction, unknown>, options.fingerprint);
  const graph = search({ model, configurations, budget, limits, hasher });
  const eventually = eventuallyProperties(model as Model<W, SimAction, unknown>);
  const analysis = graph.stop === null ? analyse(graph, eventually.length) : null;
  const sometimesAll = model.properties.filter((property) => property.kind === 'sometimes').map((property) => property.name);
  const base = {
    scenario: target.scenario,
    variant: target.variant,
    profile: target.profile,
    exhausted: graph.limitHit === null && graph.stop === null,
    limitHit: graph.limitHit,
    limits,
    interleavings,
    configurations: configurations.length,
    states: stateCount(graph),
    edges: graph.edges,
    depthReached: graph.depthReached,
    closedStates: analysis?.closedStates ?? 0,
    terminalComponents: analysis?.terminalComponents ?? 0,
    sometimesSeen: graph.sometimesSeen,
    sometimesNeverSeen: sometimesAll.filter((name) => !graph.sometimesSeen.includes(name)),
  };
  let reported: number;
  let claim: PathClaim;
  let stuckStates = 0;
  let cycle: readonly number[] | null = null;
  if (graph.stop !== null) {
    reported = graph.stop.state;
    claim = graph.stop.kind === 'safety' ? { kind: 'safety', property: graph.stop.property.name } : { kind: 'error', failingMove: '' };
  } else if (analysis?.finding) {
    const finding = analysis.finding;
    reported = finding.state;
    stuckStates = finding.stuckStates;
    cycle = finding.cycle;
    claim = { kind: 'stuck', property: (eventually[finding.property] as { name: string }).name, stuck: finding.kind, componentSize: finding.componentSize, flapping: finding.flapping, cycle: null, pointOfNoReturn: null };
  } else {
    return { ...base, verdict: 'clean', stuckStates: 0, stuckKind: null, violation: null, path: [], cycle: null, trace: null };
  }
  const states = pathTo(graph, reported);
  const root = graph.root[states[0] as number] as number;
  const startOptions = configurations[root] as O;
  const path = labelsAlong(model, startOptions, budget, graph, states);
  if (graph.stop?.kind === 'error') {
    const node = followLabels(model, startOptions, budget, path).nodes.at(-1) as ExploreNode<W>;
    claim = { kind: 'error', failingMove: (movesOf(model as Model<W, A, unknown>, node, budget)[graph.stop.move] as { label: string }).label };
  }
  let cycleText: string[] | null = null;
  if (claim.kind === 'stuck') {
    const stuckNode = followLabels(model, startOptions, budget, path).nodes.at(-1) as ExploreNode<W>;
    cycleText = cycle === null ? null : cycleLabels(model, stuckNode, budget, graph, cycle, hasher);
    const stuckFlags = (analysis?.finding as { stuck: Uint8Array }).stuck;
    const firstStuck = states.findIndex((state) => stuckFlags[state] === 1);
    claim = { ...claim, cycle: cycleText, pointOfNoReturn: firstStuck > 0 ? firstStuck - 1 : null };
  }
  const traced = tracePath(model, startOptions, budget, path, claim, fingerprint);
  const trace: Trace = {
    format: traceFormat,
    formatVersion: traceFormatVersion,
    opsimVersion,
    scenario: target.scenario,
    variant: target.variant,
    profile: target.profile,
    driver: { name: 'explore', path, cycle: cycleText, stuck: claim, faultsMax: budget.faultsMax, requestsMax: budget.requestsMax, ...(interleavings === 'all' ? {} : { interleavings }) },
    seed: 0,
    swarm: { ...target.swarm, faultsMax: budget.faultsMax, requestsMax: budget.requestsMax },
    options: startOptions,
    steps: traced.steps,
    outcome: traced.outcome,
  };
  const violation = traced.outcome.violation;
  assert(violation !== null, `explore found ${claim.kind} at state ${reported} but the traced path does not show it: the model is not deterministic`);
  return { ...base, verdict: violation.kind, stuckStates, stuckKind: claim.kind === 'stuck' ? claim.stuck : null, violation, path, cycle: cycleText, trace };
}

/** The scenario's explore defaults under the caller's options (the caller wins field by field). */
export function exploreOptionsFor(scenario: Scenario, variant: ScenarioVariant, options: ExploreOptions<unknown, unknown> = {}): ExploreOptions<unknown, unknown> {
  const defaults = scenario.explore;
  if (defaults === undefined) return options;
  return {
    configurations: defaults.configurations.map((raw) => variant.model.options.parse(raw)),
    faultsMax: defaults.faultsMax,
    requestsMax: defaults.requestsMax,
    ...(defaults.statesMax === undefined ? {} : { statesMax: defaults.statesMax }),
    ...(defaults.depthMax === undefined ? {} : { depthMax: defaults.depthMax }),
    ...(defaults.interleavings === undefined ? {} : { interleavings: defaults.interleavings }),
    ...options,
  };
}

/** Explores one variant of a scenario, with the scenario's explore defaults under `options`. */
export function exploreVariant(scenario: Scenario, variant: ScenarioVariant, options: ExploreOptions<unknown, unknown> = {}): ExploreResult {
  return explore({ model: variant.model, scenario: scenario.name, variant: variant.name, profile: variant.profile, swarm: scenario.swarm }, exploreOptionsFor(scenario, variant, options));
}

registerReplayer('explore', (variant, trace) => {
  const driver = trace.driver as Extract<Trace['driver'], { name: 'explore' }>;
  const interleavings = (driver as { interleavings?: Interleavings }).interleavings ?? 'all';
  if (!['all', 'canonical', 'canonical-quiet'].includes(interleavings)) throw new TraceError(`trace driver.interleavings '${String(interleavings)}' is unknown`);
  const budget = { faultsMax: driver.faultsMax, requestsMax: driver.requestsMax, interleavings };
  const model = variant.model as Model<unknown, SimAction, unknown>;
  let traced;
  try {
    traced = tracePath(model, trace.options, budget, driver.path, driver.stuck as PathClaim, fingerprintFor(model));
  } catch (error) {
    if (error instanceof AssertionError) throw new TraceError(`the explore path no longer applies to ${trace.scenario}/${trace.variant}: ${error.message}`);
    throw error;
  }
  return { ...trace, opsimVersion, steps: traced.steps, outcome: traced.outcome };
});
