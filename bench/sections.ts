/** Further benchmark sections (explore, scale, reducer reference) as they become available. */
import type { Scenario } from '../src/sim/scenario.ts';

export interface Section {
  readonly key: string;
  readonly text: string;
  readonly data: unknown;
}

export interface SectionOptions {
  readonly quick: boolean;
  readonly repetitions: number;
  readonly budgetMs: number;
}

export function extraSections(scenarios: readonly Scenario[], options: SectionOptions): Section[] {
  void scenarios;
  void options;
  return [];
}
