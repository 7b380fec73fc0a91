/** Resolving scenario and variant names given on the command line or found in a trace file. */
import type { Scenario, ScenarioVariant } from '../sim/scenario.ts';
import { UsageError } from './usage.ts';

export function findScenario(scenarios: readonly Scenario[], name: string | undefined): Scenario {
  const known = scenarios.map((scenario) => scenario.name).join(', ') || '(none registered)';
  if (name === undefined) throw new UsageError(`missing scenario name; known scenarios: ${known}`);
  const scenario = scenarios.find((candidate) => candidate.name === name);
  if (scenario === undefined) throw new UsageError(`unknown scenario '${name}'; known scenarios: ${known}`);
  return scenario;
}

export function findVariant(scenario: Scenario, name: string): ScenarioVariant {
  const variant = scenario.variants.find((candidate) => candidate.name === name);
  if (variant === undefined) {
    const known = scenario.variants.map((candidate) => candidate.name).join(', ');
    throw new UsageError(`unknown variant '${name}' of ${scenario.name}; known variants: ${known}`);
  }
  return variant;
}
