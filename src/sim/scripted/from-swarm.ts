/**
 * From a swarm run to a script: the swarm finds, the scripted driver explains. A swarm run's
 * choices are a PRNG's; this file writes down what they were as a {@link Script} (every environment
 * move with its tick, its place among the system's steps at that tick and its exact label; every
 * interleaving choice), checks that the script replays to the same violation, and gives the
 * bounded arbitrary that lets fast-check shrink that script like one it generated itself.
 */
import fc from 'fast-check';
import { assert } from '../assert.ts';
import type { Model, SimAction } from '../model.ts';
import { Prng } from '../prng.ts';
import { runModel, type ChooseContext, type RunPolicy, type RunReport } from '../run.ts';
import type { SwarmOptions } from '../scenario.ts';
import { swarmOptionsFor, swarmPolicy } from '../swarm.ts';
import type { Tick } from '../ticks.ts';
import { isUrgent } from './policy.ts';
import type { Script, ScriptStep } from './script.ts';

/**
 * Wraps the swarm's policy and writes down each choice the way the scripted policy
 * (`scripted/policy.ts`) reads it back: an environment move due at its tick once `afterUrgent`
 * system steps ran there, picked among the enabled actions whose label contains its own; an
 * interleaving choice only where more than one system action was enabled.
 */
function recordingPolicy<W, A extends SimAction>(inner: RunPolicy<W, A>, steps: ScriptStep[], choices: number[]): RunPolicy<W, A> {
  let tick: Tick = -1;
  let urgentAtTick = 0;
  return {
    choose(context: ChooseContext<W, A>): A | null {
      const chosen = inner.choose(context);
      if (context.now !== tick) {
        tick = context.now;
        urgentAtTick = 0;
      }
      if (chosen === null) return null;
      if (chosen.kind === 'fault' || chosen.kind === 'user') {
        const ofKind = context.environmentActions().filter((action) => action.kind === chosen.kind);
        const match = distinguishingMatch(chosen.label, ofKind);
        const candidates = ofKind.filter((action) => action.label.includes(match));
        // By label, not identity: a model may build its environment moves afresh on each call.
        const pick = candidates.findIndex((action) => action.label === chosen.label);
        assert(pick >= 0, `the swarm chose ${chosen.label}, which is not among the enabled actions`);
        steps.push({ atTick: context.now, afterUrgent: urgentAtTick, kind: chosen.kind, pick, match });
      } else if (isUrgent(chosen)) {
        const urgent = context.systemActions.filter(isUrgent);
        if (urgent.length > 1) choices.push(urgent.findIndex((action) => action.label === chosen.label));
        urgentAtTick++;
      }
      return chosen;
    },
  };
}

/**
 * The part of `label` a script step matches on: the label after its last leading word that tells
 * nothing apart, a word every enabled action of its kind with the same words before it shares (at
 * least the last word is kept). Such a word is often a generated name: in
 * `user opsrequest.create hscale-9 scaleIn.replicaChanges=1`, every `opsrequest.create` names the
 * next OpsRequest `hscale-9`, so the step matches `scaleIn.replicaChanges=1`. It then points at the
 * same move when shrinking removes an earlier step and the generated names shift; `pick` chooses
 * among the labels that contain the rest, and the recording run checks the script replays exactly.
 */
export function distinguishingMatch(label: string, candidates: readonly SimAction[]): string {
  const words = label.split(' ');
  let peers = candidates.map((action) => action.label.split(' '));
  let start = 0;
  for (let index = 0; index < words.length - 1; index++) {
    const word = words[index] as string;
    if (peers.every((other) => other[index] === word)) start = index + 1;
    peers = peers.filter((other) => other[index] === word);
  }
  return words.slice(start).join(' ');
}

/** The script a swarm run with `seed` followed, and that run's report. */
export function scriptFromSwarmRun<W, A extends SimAction, O>(model: Model<W, A, O>, swarm: SwarmOptions, seed: number): { readonly script: Script<O>; readonly report: RunReport<W> } {
  const options = swarmOptionsFor(model as Model<unknown, SimAction, O>, seed);
  const steps: ScriptStep[] = [];
  const choices: number[] = [];
  const policy = recordingPolicy<W, A>(swarmPolicy<W, A>(Prng.fromSeed(seed).fork('swarm')), steps, choices);
  const report = runModel({ model, options, swarm, policy, record: false });
  return { script: { options, steps, choices, tailSeed: 0 }, report };
}

/**
 * An arbitrary whose values include `script` and everything fast-check may shrink it to: the same
 * options, environment moves drawn from its own (labels, ticks and positions no larger than its
 * largest), interleaving choices no larger than its largest. fast-check shrinks a given example
 * only when the arbitrary can produce it, hence the bounds taken from the script itself.
 */
export function shrinkArbitraryFor<O>(script: Script<O>): fc.Arbitrary<Script<O>> {
  const labels = [...new Set(script.steps.map((step) => step.match ?? ''))].sort();
  const kinds = [...new Set(script.steps.map((step) => step.kind))].sort();
  const largest = (values: readonly number[]): number => values.reduce((max, value) => Math.max(max, value), 0);
  const step = fc.record({
    atTick: fc.nat({ max: largest(script.steps.map((entry) => entry.atTick)) }),
    afterUrgent: fc.nat({ max: largest(script.steps.map((entry) => entry.afterUrgent)) }),
    kind: kinds.length > 0 ? fc.constantFrom(...kinds) : fc.constant<'fault' | 'user'>('fault'),
    pick: fc.nat({ max: largest(script.steps.map((entry) => entry.pick)) }),
    match: labels.length > 0 ? fc.constantFrom(...labels) : fc.constant(''),
  });
  return fc.record({
    options: fc.constant(script.options),
    steps: fc.array(step, { maxLength: script.steps.length }),
    choices: fc.array(fc.nat({ max: largest(script.choices) }), { maxLength: script.choices.length }),
    tailSeed: fc.nat({ max: script.tailSeed }),
  });
}
