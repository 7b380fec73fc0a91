/** One explore run of a bench job, timed (shared by explore-child.ts and profile.ts). */
import { scenarioByName } from '../src/scenarios/registry.ts';
import { exploreVariant, type ExploreResult, type Interleavings } from '../src/sim/explore.ts';
import type { Scenario, ScenarioVariant } from '../src/sim/scenario.ts';
import { toyGridScenario } from '../src/sim/testing/toy-grid.ts';
import { nowMs } from './measure.ts';

export interface ExploreJob {
  readonly scenario: string;
  readonly variant: string;
  readonly configurations: readonly unknown[];
  readonly faultsMax: number;
  readonly requestsMax: number;
  readonly statesMax: number;
  readonly depthMax: number;
  readonly interleavings: Interleavings;
  /** Measured runs after the warm-up runs (a smaller configuration may be given for the warm-up). */
  readonly repetitions: number;
  readonly warmUpConfigurations?: readonly unknown[];
}

export interface ExploreSample {
  readonly statesPerSecond: number;
  readonly ms: number;
  readonly cpuMs: number;
}

/** The scenario and variant a job names (the toy grid included); throws on an unknown name. */
export function exploreJobTarget(job: ExploreJob): { scenario: Scenario; variant: ScenarioVariant } {
  const scenario = job.scenario === toyGridScenario.name ? toyGridScenario : scenarioByName(job.scenario);
  if (scenario === undefined) throw new Error(`bench explore: no scenario ${job.scenario}`);
  const variant = scenario.variants.find((candidate) => candidate.name === job.variant);
  if (variant === undefined) throw new Error(`bench explore: ${job.scenario} has no variant ${job.variant}`);
  return { scenario, variant };
}

export function exploreJobRun(scenario: Scenario, variant: ScenarioVariant, job: ExploreJob, configurations: readonly unknown[]): { result: ExploreResult; sample: ExploreSample } {
  const parsed = configurations.map((raw) => variant.model.options.parse(raw));
  const cpu = process.cpuUsage();
  const started = nowMs();
  const result = exploreVariant(scenario, variant, { configurations: parsed, faultsMax: job.faultsMax, requestsMax: job.requestsMax, statesMax: job.statesMax, depthMax: job.depthMax, interleavings: job.interleavings });
  const ms = nowMs() - started;
  const used = process.cpuUsage(cpu);
  return { result, sample: { statesPerSecond: (result.states * 1000) / ms, ms, cpuMs: (used.user + used.system) / 1000 } };
}
