/**
 * Steps of the Longhorn machines (volume, engine and replica instances) kept per state object and
 * per event code, in front of the host's memo (sim/machine-host.ts).
 *
 * Why: the host finds a step by a key built from the event, and for events with string or number
 * fields (`instance.observed` with the instance manager's and the process's state, `volume.synced`
 * with the desired node, `robustness.counted`) that key is the event's JSON text: building it was
 * the largest single cost of a controller pass. Here the caller gives a cheap code that stands for
 * the event (a small number, or the node name with the flags), and the step the host returned for
 * this very state object and that event is returned again.
 *
 * Sound because a step is a pure function of the state (value and context) and the event: the host
 * would return an equal result for the same state object and an equal event; an ignored event keeps
 * the caller's own state object here as it does there. Two events with the same code must be equal
 * (each code function below says why its codes are unique).
 */
import type { AnyStateMachine, EventObject } from 'xstate';
import { assert, unreachable } from '../../sim/assert.ts';
import { machineStep, type MachineState, type MachineStep } from '../../sim/machine-host.ts';
import type { ImObservation, InstanceEvent, ProcessObservation } from './instance.machine.ts';
import type { VolumeEvent } from '../longhorn-volume/longhorn-volume.machine.ts';

/** Distinct (state object, event code) steps kept per machine; past it the cache starts over (results are identical either way). */
export const machineStepCacheEntriesMax = 100_000;

export interface StepCache {
  readonly machine: AnyStateMachine;
  byState: WeakMap<object, Map<number | string, MachineStep>>;
  entries: number;
}

export function stepCache(machine: AnyStateMachine): StepCache {
  return { machine, byState: new WeakMap(), entries: 0 };
}

/** The step of `state` on `event`, whose code is `code` (equal codes ⇒ equal events). */
export function cachedStep<C>(cache: StepCache, state: MachineState<C>, code: number | string, event: EventObject): MachineStep<C> {
  let steps = cache.byState.get(state);
  if (steps === undefined) {
    if (cache.entries >= machineStepCacheEntriesMax) {
      cache.byState = new WeakMap();
      cache.entries = 0;
    }
    steps = new Map();
    cache.byState.set(state, steps);
  }
  const known = steps.get(code);
  if (known !== undefined) return known as MachineStep<C>;
  const step = machineStep(cache.machine, state, event);
  steps.set(code, step);
  cache.entries++;
  return step;
}

const imCodes: Readonly<Record<ImObservation, number>> = { missing: 0, unknown: 1, stopped: 2, error: 3, starting: 4, running: 5 };
const processCodes: Readonly<Record<ProcessObservation, number>> = { missing: 0, starting: 1, running: 2, stopping: 3, stopped: 4, error: 5 };

/**
 * A code for an instance event, or null for `instance.createFailed` (rare; its message is free
 * text). `instance.observed` has three fields, each from a small set: one digit each.
 */
export function instanceEventCode(event: InstanceEvent): number | null {
  switch (event.type) {
    case 'instance.observed':
      return 100 + imCodes[event.im] * 10 + processCodes[event.process] + (event.nodeMatches ? 1000 : 0);
    case 'instance.processDeleted':
      return 1;
    case 'instance.createFailed':
      return null;
    default:
      return unreachable(event, 'instance event');
  }
}

/**
 * A code for a volume event. `volume.synced`: its three flags as one digit, then the desired node
 * name (the rest of the text, so distinct names give distinct codes); `robustness.counted`: both
 * counts; every other event has no field but its type, which is its code.
 */
export function volumeEventCode(event: VolumeEvent): number | string {
  switch (event.type) {
    case 'volume.synced':
      return `${(event.resourcesClosed ? 1 : 0) + (event.resourcesOpened ? 2 : 0) + (event.migrating ? 4 : 0)}${event.desiredNodeID}`;
    case 'robustness.counted':
      assert(Number.isSafeInteger(event.healthyCount) && event.healthyCount >= 0 && event.healthyCount < 1_000, `healthyCount ${event.healthyCount} out of range`);
      assert(Number.isSafeInteger(event.numberOfReplicas) && event.numberOfReplicas >= 0 && event.numberOfReplicas < 1_000, `numberOfReplicas ${event.numberOfReplicas} out of range`);
      return event.healthyCount * 1_000 + event.numberOfReplicas;
    default:
      return event.type;
  }
}
