/**
 * A toy model for the kernel's tests and as a small example of the model contract: two processes
 * and locks. Variants plant the classic bugs:
 * - `correct`: one atomic lock; no violation is possible.
 * - `deadlock`: two locks taken in opposite orders; the processes can wait for each other forever.
 * - `race`: "check the lock is free" and "take it" are two steps; both processes can enter.
 */
import type { EventObject } from 'xstate';
import { assert, unreachable } from '../assert.ts';
import { clockAdvance, clockCancel, clockCreate, clockFire, clockFirstDue, clockNextDueTick, clockSchedule, type Clock } from '../clock.ts';
import { eventsRecord, type KubeEvent } from '../events.ts';
import { machineInit, machineStep, stateValueText, type HostEffect, type MachineState } from '../machine-host.ts';
import { OptionsError, timeAction, type Model, type SimAction, type TimeAction } from '../model.ts';
import { always, eventually, sometimes } from '../property.ts';
import { toyProcessMachine } from './toy-lock.machine.ts';

export type ToyVariant = 'correct' | 'deadlock' | 'race';

export interface ToyOptions {
  readonly roundsMax: number;
}

interface ToyTimer {
  readonly process: number;
  readonly event: EventObject;
}

export interface ToyWorld {
  readonly roundsMax: number;
  readonly clock: Clock<ToyTimer>;
  readonly processes: readonly MachineState<{ rounds: number }>[];
  readonly requested: readonly number[];
  /** Holder of each lock, or -1. */
  readonly locks: readonly number[];
  /** Race variant: the process saw the lock free and will take it next. */
  readonly sawFree: readonly boolean[];
  readonly events: readonly KubeEvent[];
}

export type ToyAction =
  | TimeAction
  | { readonly kind: 'user'; readonly label: string; readonly process: number }
  | { readonly kind: 'controller'; readonly label: string; readonly process: number; readonly step: 'acquire' | 'check' | 'take'; readonly lock: number }
  | { readonly kind: 'timer'; readonly label: string; readonly id: string };

const processCount = 2;

function lockOrder(variant: ToyVariant, process: number): readonly number[] {
  if (variant === 'deadlock') return process === 0 ? [0, 1] : [1, 0];
  return [0];
}

function phaseOf(world: ToyWorld, process: number): string {
  return stateValueText((world.processes[process] as MachineState).value);
}

function nextLock(variant: ToyVariant, world: ToyWorld, process: number): number | undefined {
  return lockOrder(variant, process).find((lock) => world.locks[lock] !== process);
}

function controllerActions(variant: ToyVariant, world: ToyWorld, process: number): ToyAction[] {
  if (phaseOf(world, process) !== 'waiting') return [];
  const lock = nextLock(variant, world, process);
  assert(lock !== undefined, `process ${process} waits while holding every lock`);
  if (variant === 'race') {
    if (world.sawFree[process]) return [{ kind: 'controller', label: `take p${process} lock ${lock}`, process, step: 'take', lock }];
    if (world.locks[lock] !== -1) return [];
    return [{ kind: 'controller', label: `check p${process} lock ${lock}`, process, step: 'check', lock }];
  }
  if (world.locks[lock] !== -1) return [];
  return [{ kind: 'controller', label: `acquire p${process} lock ${lock}`, process, step: 'acquire', lock }];
}

function withProcess(world: ToyWorld, process: number, event: EventObject): ToyWorld {
  const stepped = machineStep(toyProcessMachine, world.processes[process] as MachineState<{ rounds: number }>, event);
  if (!stepped.changed) return world;
  const processes = world.processes.map((state, index) => (index === process ? stepped.state : state));
  return performEffects({ ...world, processes }, process, stepped.effects);
}

function performEffects(world: ToyWorld, process: number, effects: readonly HostEffect[]): ToyWorld {
  let next = world;
  for (const effect of effects) {
    switch (effect.kind) {
      case 'timer.schedule':
        next = { ...next, clock: clockSchedule(next.clock, `p${process}:${effect.id}`, effect.delayTicks, { process, event: effect.event }) };
        break;
      case 'timer.cancel':
        next = { ...next, clock: clockCancel(next.clock, `p${process}:${effect.id}`) };
        break;
      case 'effect':
        assert(effect.type === 'releaseLocks', `unknown toy effect ${effect.type}`);
        next = { ...next, locks: next.locks.map((holder) => (holder === process ? -1 : holder)), sawFree: next.sawFree.map((saw, index) => (index === process ? false : saw)) };
        next = { ...next, events: eventsRecord(next.events, { type: 'Normal', reason: 'Released', message: `p${process} released its locks`, involvedObject: `Process/p${process}`, source: 'toy' }, next.clock.now) };
        break;
      default:
        unreachable(effect, 'host effect');
    }
  }
  return next;
}

function take(variant: ToyVariant, world: ToyWorld, process: number, lock: number): ToyWorld {
  const locks = world.locks.map((holder, index) => (index === lock ? process : holder));
  const sawFree = world.sawFree.map((saw, index) => (index === process ? false : saw));
  const next = { ...world, locks, sawFree };
  const holdsAll = lockOrder(variant, process).every((needed) => locks[needed] === process);
  return holdsAll ? withProcess(next, process, { type: 'locks.acquired' }) : next;
}

function applyToy(variant: ToyVariant, world: ToyWorld, action: ToyAction): ToyWorld {
  switch (action.kind) {
    case 'time':
      return { ...world, clock: clockAdvance(world.clock, action.to) };
    case 'user': {
      const requested = world.requested.map((count, index) => (index === action.process ? count + 1 : count));
      return withProcess({ ...world, requested }, action.process, { type: 'work.requested' });
    }
    case 'timer': {
      const fired = clockFire(world.clock, action.id);
      return withProcess({ ...world, clock: fired.clock }, fired.timer.payload.process, fired.timer.payload.event);
    }
    case 'controller':
      if (action.step === 'check') return { ...world, sawFree: world.sawFree.map((saw, index) => (index === action.process ? true : saw)) };
      return take(variant, world, action.process, action.lock);
    default:
      return unreachable(action, 'toy action');
  }
}

function actionsToy(variant: ToyVariant, world: ToyWorld): ToyAction[] {
  const actions: ToyAction[] = [];
  for (let process = 0; process < processCount; process++) {
    if (phaseOf(world, process) === 'idle' && (world.requested[process] as number) < world.roundsMax) {
      actions.push({ kind: 'user', label: `user work.request p${process}`, process });
    }
    actions.push(...controllerActions(variant, world, process));
  }
  const due = clockFirstDue(world.clock);
  if (due) actions.push({ kind: 'timer', label: `timer ${due.id}`, id: due.id });
  actions.push(timeAction(world.clock.now, clockNextDueTick(world.clock), 1));
  return actions;
}

function parseToyOptions(raw: unknown): ToyOptions {
  const roundsMax = (raw as { roundsMax?: unknown } | null)?.roundsMax;
  if (!Number.isSafeInteger(roundsMax) || (roundsMax as number) < 1 || (roundsMax as number) > 5) {
    throw new OptionsError(`roundsMax must be an integer in 1..5, got ${JSON.stringify(roundsMax)}`);
  }
  return { roundsMax: roundsMax as number };
}

/** The toy model in one of its variants. */
export function toyLockModel(variant: ToyVariant): Model<ToyWorld, ToyAction, ToyOptions> {
  return {
    name: `toy-lock/${variant}`,
    options: { defaults: { roundsMax: 2 }, parse: parseToyOptions, draw: (prng) => ({ roundsMax: prng.int(1, 3) }) },
    init(options) {
      const start = machineInit<{ rounds: number }>(toyProcessMachine);
      return {
        roundsMax: options.roundsMax,
        clock: clockCreate(),
        processes: Array.from({ length: processCount }, () => start.state),
        requested: Array.from({ length: processCount }, () => 0),
        locks: variant === 'deadlock' ? [-1, -1] : [-1],
        sawFree: Array.from({ length: processCount }, () => false),
        events: [],
      };
    },
    actions: (world) => actionsToy(variant, world),
    apply: (world, action) => applyToy(variant, world, action),
    settle: (world) => world,
    now: (world) => world.clock.now,
    pending(world) {
      const waiting = world.processes.findIndex((_, process) => phaseOf(world, process) !== 'idle');
      return waiting === -1 ? null : `pending p${waiting} ${phaseOf(world, waiting)}`;
    },
    observe: (world) => ({
      objects: world.processes.map((_, process) => ({ kind: 'Process', name: `p${process}`, phase: phaseOf(world, process) })),
      events: world.events,
      errors: [],
    }),
    properties: [
      always<ToyWorld>('at most one process is in its critical section', (world) => world.processes.filter((_, process) => phaseOf(world, process) === 'critical').length <= 1, (world) => ({
        reason: `${world.processes.filter((_, process) => phaseOf(world, process) === 'critical').length} processes are critical at once`,
      })),
      eventually<ToyWorld>('every requested round eventually completes', (world) => world.processes.every((_, process) => phaseOf(world, process) === 'idle'), (world) => {
        const process = world.processes.findIndex((_, index) => phaseOf(world, index) !== 'idle');
        const lock = nextLock(variant, world, process) ?? -1;
        return {
          subject: { kind: 'Process', name: `p${process}`, phase: phaseOf(world, process) },
          reason: `waits for lock ${lock} held by p${world.locks[lock]}`,
        };
      }),
      sometimes<ToyWorld>('a process completes a round', (world) => world.processes.some((state) => state.context.rounds > 0)),
    ],
  };
}
