/**
 * The reference point: the Component phase rules as a hand-written plain reducer
 * (`componentPhaseRule`) versus the XState-hosted Component machine stepped by the machine host,
 * over the same event stream recorded from real pg-image-mismatch swarm runs.
 */
import { componentPhaseInputs } from '../src/machines/kubeblocks/component-controller.ts';
import { componentPhaseRule, type ComponentPhase, type ComponentPhaseInputs } from '../src/machines/kubeblocks/kubeblocks-phases.ts';
import type { KubeBlocksWorld } from '../src/machines/kubeblocks/kubeblocks-world.ts';
import { componentMachine, componentPhaseOfState } from '../src/machines/kubeblocks-component/component.machine.ts';
import { scenarioByName } from '../src/scenarios/registry.ts';
import { machineInit, machineStep, type MachineState } from '../src/sim/machine-host.ts';
import { Prng } from '../src/sim/prng.ts';
import { runModel } from '../src/sim/run.ts';
import { swarmOptionsFor, swarmPolicy } from '../src/sim/swarm.ts';
import { cpuMs, figureOf, type Figure } from './measure.ts';

const ruleOptions = { stoppingWaitsForPostProvision: true };

/** Records the `status.computed` inputs the component controller would see, at every step of some swarm runs. */
export function recordComponentEvents(eventsMin: number): ComponentPhaseInputs[] {
  const scenario = scenarioByName('pg-image-mismatch');
  if (!scenario) throw new Error('pg-image-mismatch is not registered');
  const recorded: ComponentPhaseInputs[] = [];
  for (let seed = 1; recorded.length < eventsMin; seed++) {
    for (const variant of scenario.variants) {
      const inner = swarmPolicy<unknown, never>(Prng.fromSeed(seed).fork('swarm'));
      const policy = {
        choose(context: Parameters<typeof inner.choose>[0]) {
          const world = context.world as { kb?: KubeBlocksWorld['kb'] };
          for (const component of Object.values(world.kb?.components ?? {})) {
            const its = world.kb?.instanceSets[component.name];
            if (its) recorded.push(componentPhaseInputs(component, its));
          }
          return inner.choose(context);
        },
      };
      runModel({ model: variant.model, options: swarmOptionsFor(variant.model, seed), swarm: scenario.swarm, policy, record: false });
    }
  }
  return recorded;
}


/** Events per CPU second of each, and the median ratio of the pairs measured back to back. */
export interface ReducerFigures {
  readonly events: number;
  readonly reducerEventsPerSecond: Figure;
  readonly xstateEventsPerSecond: Figure;
  readonly ratio: number;
}

export function reducerReference(repetitions: number, budgetMs: number): ReducerFigures {
  const stream = recordComponentEvents(20_000);
  const reducer = (): { count: number; phases: string[] } => {
    let phase: ComponentPhase | '' = '';
    const phases: string[] = [];
    for (const inputs of stream) {
      phase = componentPhaseRule(phase, inputs, ruleOptions).phase;
      phases.push(phase);
    }
    return { count: stream.length, phases };
  };
  const hosted = (): { count: number; phases: string[] } => {
    let state: MachineState = machineInit(componentMachine, ruleOptions).state;
    const phases: string[] = [];
    for (const inputs of stream) {
      state = machineStep(componentMachine, state, { type: 'status.computed', inputs }).state;
      phases.push(componentPhaseOfState(String(state.value)));
    }
    return { count: stream.length, phases };
  };
  // Both must walk the same phases, or the comparison means nothing.
  if (JSON.stringify(reducer().phases) !== JSON.stringify(hosted().phases)) throw new Error('reducer and XState-hosted Component disagree');
  // Timed in this process's CPU time (as scale-bench.ts), one repetition of each in turn, so both see
  // the same load on a shared machine; the ratio is the median of the per-pair ratios.
  const once = (work: () => { count: number }): number => {
    const started = cpuMs();
    let units = 0;
    do units += work().count;
    while (cpuMs() - started < budgetMs);
    return (units * 1000) / (cpuMs() - started);
  };
  once(reducer); // warm-up: JIT, memo caches
  once(hosted);
  const pairs = Array.from({ length: repetitions }, () => [once(reducer), once(hosted)] as const);
  const reducerRate = figureOf(pairs.map(([plain]) => plain));
  const xstateRate = figureOf(pairs.map(([, xstate]) => xstate));
  const ratio = figureOf(pairs.map(([plain, xstate]) => plain / xstate)).median;
  return { events: stream.length, reducerEventsPerSecond: reducerRate, xstateEventsPerSecond: xstateRate, ratio };
}
