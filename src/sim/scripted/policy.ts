/**
 * The scripted driver's {@link RunPolicy}: follows a {@link Script} and logs what each environment
 * step resolved to (the action taken, or why it was skipped), so a failure reads as a story.
 */
import type { SimAction, TimeAction } from '../model.ts';
import { Prng } from '../prng.ts';
import type { ChooseContext, RunPolicy } from '../run.ts';
import type { Tick } from '../ticks.ts';
import { orderedSteps, type Script, type ScriptStep } from './script.ts';

/** What one environment step of a script became in a run. */
export interface ResolvedStep {
  readonly step: ScriptStep;
  /** The tick at which the driver met the step. */
  readonly tick: Tick;
  /** The action's label when taken; null when skipped. */
  readonly taken: string | null;
  /** Why it was skipped (nothing matching enabled, budget spent, the fault phase ended). */
  readonly skipped: string | null;
}

/** A system step (controller, kubelet, scheduler, timer): neither time nor an environment move. */
export function isUrgent(action: SimAction): boolean {
  return action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user';
}

/** A policy that plays `script`; `log` receives every environment step as it is resolved. */
export function scriptPolicy<W, A extends SimAction>(script: Script<unknown>, log: ResolvedStep[]): RunPolicy<W, A> & { finish(now: Tick): void } {
  const queue = orderedSteps(script.steps);
  const tail = Prng.fromSeed(script.tailSeed).fork('interleaving');
  let choiceCursor = 0;
  let tick: Tick = -1;
  let urgentAtTick = 0;

  const due = (step: ScriptStep, now: Tick, urgentEnabled: boolean): boolean =>
    now > step.atTick || (now === step.atTick && (urgentAtTick >= step.afterUrgent || !urgentEnabled));

  const takeStep = (context: ChooseContext<W, A>, step: ScriptStep): A | null => {
    const { swarm } = context;
    const budgetLeft = step.kind === 'fault' ? context.faultsTaken < swarm.faultsMax : context.requestsTaken < swarm.requestsMax;
    if (!budgetLeft) {
      log.push({ step, tick: context.now, taken: null, skipped: `${step.kind} budget spent` });
      return null;
    }
    const candidates = context.environmentActions().filter((action) => action.kind === step.kind && (step.match === undefined || action.label.includes(step.match)));
    if (candidates.length === 0) {
      log.push({ step, tick: context.now, taken: null, skipped: `no ${step.kind} action${step.match === undefined ? '' : ` matching '${step.match}'`} enabled` });
      return null;
    }
    const chosen = candidates[step.pick % candidates.length] as A;
    log.push({ step, tick: context.now, taken: chosen.label, skipped: null });
    return chosen;
  };

  const pickUrgent = (urgent: readonly A[]): A => {
    if (urgent.length === 1) return urgent[0] as A;
    const choice = choiceCursor < script.choices.length ? (script.choices[choiceCursor] as number) : null;
    choiceCursor++;
    return choice === null ? tail.pick(urgent) : (urgent[choice % urgent.length] as A);
  };

  return {
    choose(context: ChooseContext<W, A>): A | null {
      if (context.systemActions.length === 0 && context.environmentActions().length === 0) return null;
      if (context.now !== tick) {
        tick = context.now;
        urgentAtTick = 0;
      }
      const urgent = context.systemActions.filter(isUrgent);
      if (context.phase === 'faults') {
        while (queue.length > 0 && due(queue[0] as ScriptStep, context.now, urgent.length > 0)) {
          const taken = takeStep(context, queue.shift() as ScriptStep);
          if (taken !== null) return taken;
        }
      }
      if (urgent.length > 0) {
        urgentAtTick++;
        return pickUrgent(urgent);
      }
      const time = context.systemActions.find((action) => action.kind === 'time') as (A & TimeAction) | undefined;
      if (time === undefined) return null;
      if (context.phase === 'faults' && time.idle) {
        // Nothing happens until the next scripted step (or the end of the fault phase): go there in one move.
        const next = queue[0]?.atTick ?? context.swarm.faultPhaseTicks;
        const to = Math.max(time.to, Math.min(next, context.swarm.faultPhaseTicks));
        return (to === time.to ? time : { ...time, to, label: `time.idle ${to}` }) as A;
      }
      return time;
    },
    finish(now: Tick): void {
      for (const step of queue.splice(0)) log.push({ step, tick: now, taken: null, skipped: 'the fault phase ended first' });
    },
  };
}
