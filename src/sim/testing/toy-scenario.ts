/** The toy model wrapped as a scenario, for kernel and CLI tests (never registered for users). */
import { ratio } from '../prng.ts';
import type { Scenario } from '../scenario.ts';
import { toyLockModel } from './toy-lock.ts';

export const toyScenario: Scenario = {
  name: 'toy-lock',
  title: 'two processes and a lock (kernel test model)',
  variants: [
    { name: 'correct', profile: 'toy@atomic-lock', summary: 'one atomic lock', model: toyLockModel('correct'), expect: 'clean' },
    { name: 'deadlock', profile: 'toy@lock-order', summary: 'two locks in opposite orders', model: toyLockModel('deadlock'), expect: 'stuck' },
    { name: 'race', profile: 'toy@check-then-take', summary: 'check and take are two steps', model: toyLockModel('race'), expect: 'safety' },
  ],
  swarm: {
    faultPhaseTicks: 30,
    convergenceTicksMax: 30,
    actionsPerRunMax: 2_000,
    faultChance: ratio(1, 10),
    requestChance: ratio(1, 3),
    faultsMax: 0,
    requestsMax: 6,
  },
  huntRunsDefault: 50,
};
