/**
 * A scenario is a model in two (or more) named variants, each bound to a behaviour profile named
 * after an upstream release (`kubeblocks@1.0.2`) or a documented proposal
 * (`pgo@5.7+instances-before-switchover`), plus the swarm settings that suit its time scale.
 * The built-in scenarios register themselves in `src/scenarios/registry.ts`; users build their
 * own from the same parts.
 */
import type { Interleavings } from './explore/moves.ts';
import type { Model, SimAction } from './model.ts';
import type { Ratio } from './prng.ts';
import type { Tick } from './ticks.ts';

/** `buggy`: the upstream release that shows the problem; `fixed`: the release or proposal that removes it. */
export type VariantName = 'buggy' | 'fixed' | (string & {});

/** One variant of a scenario: a model bound to a behaviour profile. */
export interface ScenarioVariant<W = any, A extends SimAction = any, O = any> {
  readonly name: VariantName;
  /** The behaviour profile, e.g. `kubeblocks@1.0.2`. */
  readonly profile: string;
  /** One sentence: what this variant is. */
  readonly summary: string;
  readonly model: Model<W, A, O>;
  /** What a hunt of this variant is expected to find: a demo row disagrees when it does not. */
  readonly expect: 'stuck' | 'safety' | 'clean';
}

/** How a swarm run is shaped for a scenario (DESIGN.md §2: fault phase, settle, convergence). */
export interface SwarmOptions {
  /** Virtual ticks during which faults and user requests may happen. */
  readonly faultPhaseTicks: Tick;
  /** Ticks the world gets after settling to reach its goals; a liveness property still false then is stuck. */
  readonly convergenceTicksMax: Tick;
  /** Steps per run, both phases together; crossing it is a {@link LimitError}. */
  readonly actionsPerRunMax: number;
  /** Chance, at each step of the fault phase, that the swarm takes a fault when one is enabled. */
  readonly faultChance: Ratio;
  /** Chance, at each step of the fault phase, that the swarm takes a user request when one is enabled. */
  readonly requestChance: Ratio;
  /** Fault actions per run at most (the fault budget that makes faults stop). */
  readonly faultsMax: number;
  /** User requests per run at most. */
  readonly requestsMax: number;
}

/**
 * How the explorer searches a scenario when its caller says nothing else (`opsim explore` without
 * flags, `exploreVariant` without options): a small configuration it can exhaust, or report its
 * limit on, in seconds. Options given by the caller win field by field.
 */
export interface ExploreDefaults {
  /** Raw options of the small configuration(s); each variant's `options.parse` validates them. */
  readonly configurations: readonly unknown[];
  readonly faultsMax: number;
  readonly requestsMax: number;
  readonly statesMax?: number;
  readonly depthMax?: number;
  /** `all` unless the full interleaving space is out of reach (an under-approximation, labelled in the result). */
  readonly interleavings?: Interleavings;
}

/** A registered scenario. */
export interface Scenario {
  readonly name: string;
  /** One line for `opsim list`. */
  readonly title: string;
  /** The seed document it comes from (`shared/seeds/…`), if any. */
  readonly seedDocument?: string;
  readonly variants: readonly ScenarioVariant[];
  readonly swarm: SwarmOptions;
  /** Runs a default hunt makes (the demo's effort). */
  readonly huntRunsDefault: number;
  /** The explorer's defaults for this scenario; without them it explores the default options. */
  readonly explore?: ExploreDefaults;
}
