/**
 * A toy model with a large, cheap state space whose size is known exactly, for the explorer's
 * tests and its benchmark: a row of counters, each counting up from 0 to its size − 1, one
 * `increment` controller action per counter that has not reached its top. The reachable worlds are
 * every point of the grid (the product of the sizes); the explorer sees each twice, before and
 * after the environment settles, and the edges are worked out in closed form by
 * {@link toyGridExpected}. Every path ends in the top corner, where `eventually` holds, so the
 * model is clean. Apply copies only the changed counter, like the real models (structural sharing).
 */
import { assert } from '../assert.ts';
import { OptionsError, timeAction, type Model, type SimAction, type TimeAction } from '../model.ts';
import { always, eventually } from '../property.ts';
import type { Scenario } from '../scenario.ts';
import { ratio } from '../prng.ts';

export interface GridOptions {
  /** The size of each counter (values 0 … size − 1). */
  readonly sizes: readonly number[];
}

export interface GridCounter {
  readonly name: string;
  readonly value: number;
}

export interface GridWorld {
  readonly options: GridOptions;
  readonly counters: readonly GridCounter[];
}

export type GridAction = TimeAction | { readonly kind: 'controller'; readonly label: string; readonly counter: number };

/** Counters at most, and points of the grid at most (a bound, so a typo cannot ask for 10¹²). */
export const gridCountersMax = 12;
export const gridPointsMax = 20_000_000;

function parse(raw: unknown): GridOptions {
  const sizes = (raw as { sizes?: unknown } | null)?.sizes;
  if (!Array.isArray(sizes) || sizes.length === 0 || sizes.length > gridCountersMax) throw new OptionsError(`toy-grid sizes must be 1..${gridCountersMax} counters`);
  let points = 1;
  for (const size of sizes) {
    if (!Number.isSafeInteger(size) || (size as number) < 1) throw new OptionsError(`toy-grid size ${String(size)} must be a positive integer`);
    points *= size as number;
  }
  if (points > gridPointsMax) throw new OptionsError(`toy-grid has ${points} points, more than ${gridPointsMax}`);
  return { sizes: sizes as number[] };
}

function atTop(world: GridWorld): boolean {
  return world.counters.every((counter, index) => counter.value === (world.options.sizes[index] as number) - 1);
}

export const toyGridModel: Model<GridWorld, GridAction, GridOptions> = {
  name: 'toy-grid',
  options: { defaults: { sizes: [4, 4, 4] }, parse, draw: () => ({ sizes: [4, 4, 4] }) },
  init: (options) => ({ options, counters: options.sizes.map((_, index) => ({ name: `c${index}`, value: 0 })) }),
  actions(world) {
    const actions: GridAction[] = [];
    world.counters.forEach((counter, index) => {
      if (counter.value < (world.options.sizes[index] as number) - 1) actions.push({ kind: 'controller', label: `increment ${counter.name}`, counter: index });
    });
    actions.push(timeAction(0, null, 1));
    return actions;
  },
  apply(world, action) {
    if (action.kind === 'time') return world;
    const counter = world.counters[action.counter];
    assert(counter !== undefined, `toy-grid has no counter ${action.counter}`);
    assert(counter.value < (world.options.sizes[action.counter] as number) - 1, `toy-grid ${counter.name} is at its top`);
    const counters = world.counters.slice();
    counters[action.counter] = { ...counter, value: counter.value + 1 };
    return { ...world, counters };
  },
  settle: (world) => world,
  now: () => 0,
  properties: [
    always<GridWorld>('counters in range', (world) => world.counters.every((counter, index) => counter.value >= 0 && counter.value < (world.options.sizes[index] as number))),
    eventually<GridWorld>('every counter at its top', atTop),
  ],
  pending: (world) => (atTop(world) ? null : 'counters below their top'),
  observe: () => ({ objects: [], events: [], errors: [] }),
};

/** Distinct states and edges the explorer must see on a grid (no faults, no requests). */
export function toyGridExpected(sizes: readonly number[]): { states: number; edges: number } {
  const points = sizes.reduce((product, size) => product * size, 1);
  // Increment edges: for each counter, every point where it is below its top.
  const increments = sizes.reduce((sum, size) => sum + (points / size) * (size - 1), 0);
  // Each point is seen unsettled and settled; every unsettled point also has the settle edge.
  return { states: 2 * points, edges: 2 * increments + points };
}

export const toyGridScenario: Scenario = {
  name: 'toy-grid',
  title: 'a row of counters with a known state count (explorer test and benchmark model)',
  variants: [{ name: 'clean', profile: 'toy', summary: 'counters count up to their top', model: toyGridModel as Model<GridWorld, SimAction, GridOptions>, expect: 'clean' }],
  swarm: { faultPhaseTicks: 0, convergenceTicksMax: 10, actionsPerRunMax: 10_000, faultChance: ratio(0, 1), requestChance: ratio(0, 1), faultsMax: 0, requestsMax: 0 },
  huntRunsDefault: 1,
};
