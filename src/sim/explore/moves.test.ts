// Proves: the explorer's moves are the same whether it asks a model for all its actions or, where no
// environment move can be taken, only for its system actions (Model.systemActions), under every
// interleaving mode and budget, on every node the explorer reaches; and that a split which drops a
// system action is caught.
import { describe, expect, it } from 'vitest';
import { isEnvironmentAction, type Model, type SimAction } from '../model.ts';
import { toyLockModel, type ToyAction, type ToyOptions, type ToyWorld } from '../testing/toy-lock.ts';
import { applyMove, movesOf, type Budget, type ExploreNode, type Interleavings } from './moves.ts';

type ToyModel = Model<ToyWorld, ToyAction, ToyOptions>;

// The toy with its actions split by kind, as the KubeBlocks, PGO and Longhorn models give them.
function splitModel(model: ToyModel, system: (actions: readonly ToyAction[]) => readonly ToyAction[] = (actions) => actions.filter((action) => !isEnvironmentAction(action))): ToyModel {
  return { ...model, systemActions: (world) => system(model.actions(world)), environmentActions: (world) => model.actions(world).filter(isEnvironmentAction) };
}

const labels = (moves: readonly { label: string }[]): string[] => moves.map((move) => move.label);

/** The first node (breadth-first, up to `limit`) where the two models' moves differ, or null. */
function firstDifference(plain: ToyModel, split: ToyModel, budget: Budget, limit: number): string | null {
  let frontier: ExploreNode<ToyWorld>[] = [{ world: plain.init({ roundsMax: 2 }), settled: false, faults: 0, requests: 0 }];
  let seen = 0;
  while (frontier.length > 0 && seen < limit) {
    const next: ExploreNode<ToyWorld>[] = [];
    for (const node of frontier) {
      seen++;
      const expected = movesOf(plain as Model<ToyWorld, SimAction, unknown>, node, budget);
      const got = movesOf(split as Model<ToyWorld, SimAction, unknown>, node, budget);
      if (JSON.stringify(labels(got)) !== JSON.stringify(labels(expected))) return `${JSON.stringify(labels(got))} vs ${JSON.stringify(labels(expected))}`;
      for (const move of expected) next.push(applyMove(plain as Model<ToyWorld, SimAction, unknown>, node, move));
    }
    frontier = next;
  }
  return null;
}

const modes: readonly Interleavings[] = ['all', 'canonical', 'canonical-quiet'];

describe('explore moves with a model that lists its system actions apart', () => {
  it('are the moves of its full action list, on every reached node', () => {
    const plain = toyLockModel('correct');
    for (const interleavings of modes) {
      for (const requestsMax of [0, 1, 2]) {
        for (const faultsMax of [0, 1]) {
          expect(firstDifference(plain, splitModel(plain), { faultsMax, requestsMax, interleavings }, 3_000)).toBeNull();
        }
      }
    }
  });

  it('catches a split that drops a system action', () => {
    // The mutant's system list leaves out every timer: states where only it is asked must differ.
    const plain = toyLockModel('correct');
    const dropsTimers = splitModel(plain, (actions) => actions.filter((action) => !isEnvironmentAction(action) && action.kind !== 'timer'));
    expect(firstDifference(plain, dropsTimers, { faultsMax: 0, requestsMax: 1, interleavings: 'all' }, 3_000)).not.toBeNull();
    expect(firstDifference(plain, dropsTimers, { faultsMax: 0, requestsMax: 2, interleavings: 'canonical-quiet' }, 3_000)).not.toBeNull();
  });
});
