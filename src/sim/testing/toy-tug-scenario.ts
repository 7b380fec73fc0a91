/** The HPA-versus-GitOps toy wrapped as a scenario, for driver tests (never registered for users). */
import { ratio } from '../prng.ts';
import type { Scenario } from '../scenario.ts';
import { toyTugModel } from './toy-tug.ts';

export const toyTugScenario: Scenario = {
  name: 'toy-tug',
  title: 'an autoscaler and a GitOps controller undoing each other (kernel test model)',
  variants: [
    { name: 'livelock', profile: 'toy@argocd-selfheal-replicas', summary: 'Argo CD self-heals spec.replicas the HPA sets', model: toyTugModel('livelock'), expect: 'stuck' },
    { name: 'fixed', profile: 'toy@argocd-ignore-replicas', summary: 'the Application ignores /spec/replicas', model: toyTugModel('fixed'), expect: 'clean' },
  ],
  swarm: {
    faultPhaseTicks: 20,
    convergenceTicksMax: 90,
    actionsPerRunMax: 2_000,
    faultChance: ratio(1, 10),
    requestChance: ratio(1, 3),
    faultsMax: 0,
    requestsMax: 0,
  },
  huntRunsDefault: 50,
};
