/**
 * A script for the scripted driver (DESIGN.md §1, driver 2): the whole nondeterminism of one run
 * as plain data, so that fast-check can generate it, shrink it to a minimal story and replay it.
 *
 * - `options`: the model's options (the cluster shape).
 * - `steps`: the environment's moves, `{ atTick, kind: 'fault', pick, match? }`. At the first
 *   decision point at or after `atTick` (once `afterUrgent` of the system's own steps have run at
 *   that tick, or nothing urgent is left), the step takes the enabled `fault`/`user` action whose
 *   label contains `match`, number `pick` modulo how many there are, in the model's order. A step
 *   with nothing to take (or no budget left) is skipped, and the run log says so.
 * - `choices`, then `tailSeed`: the system's own interleaving. Whenever more than one urgent action
 *   is enabled, the next choice picks one (modulo their number); once the choices run out a PRNG
 *   seeded with `tailSeed` picks. Both shrink towards 0 (the model's first action).
 */
import fc from 'fast-check';
import { OptionsError, type Model, type SimAction } from '../model.ts';
import { Prng } from '../prng.ts';
import type { SwarmOptions } from '../scenario.ts';
import type { Tick } from '../ticks.ts';

/** One environment move of a script. */
export interface ScriptStep {
  readonly atTick: Tick;
  /** System steps allowed to run at `atTick` before this move (0: first thing at that tick). */
  readonly afterUrgent: number;
  readonly kind: 'fault' | 'user';
  /** Which of the matching enabled actions, modulo their number. */
  readonly pick: number;
  /** Only actions whose label contains this text qualify (`node.replace node-2`). */
  readonly match?: string;
}

export interface Script<O> {
  readonly options: O;
  readonly steps: readonly ScriptStep[];
  readonly choices: readonly number[];
  readonly tailSeed: number;
}

/** Bounds of the generic script arbitrary. */
export interface ScriptBounds {
  /** Environment moves per script; defaults to the swarm's fault and request budgets together. */
  readonly stepsMax?: number;
  /** Explicit interleaving choices before the tail PRNG takes over. */
  readonly choicesMax?: number;
  /** Largest `afterUrgent`. */
  readonly afterUrgentMax?: number;
  /** Largest `pick`. */
  readonly pickMax?: number;
}

export const scriptChoicesMaxDefault = 32;
export const scriptAfterUrgentMaxDefault = 8;
export const scriptPickMaxDefault = 15;
/** Upper bound on any script's steps and choices (a parsed script beyond it is refused). */
export const scriptLengthMax = 10_000;

/**
 * The model's options as an arbitrary: its defaults (what shrinking goes towards) or a
 * configuration drawn by `options.draw` from a generated seed. A scenario can pass a richer one.
 */
export function optionsArbitrary<O>(model: Model<any, any, O>): fc.Arbitrary<O> {
  return fc
    .option(fc.nat(), { nil: null })
    .map((seed) => (seed === null ? model.options.defaults : model.options.draw(Prng.fromSeed(seed).fork('options'))));
}

/** One environment move within the swarm settings' fault phase and budgets. */
export function scriptStepArbitrary(swarm: SwarmOptions, bounds: ScriptBounds = {}, match?: fc.Arbitrary<string | undefined>): fc.Arbitrary<ScriptStep> {
  const kinds: ('fault' | 'user')[] = [];
  if (swarm.faultsMax > 0) kinds.push('fault');
  if (swarm.requestsMax > 0) kinds.push('user');
  const kind = kinds.length > 0 ? fc.constantFrom(...kinds) : fc.constant<'fault' | 'user'>('user');
  return fc
    .record({
      atTick: fc.nat({ max: Math.max(0, swarm.faultPhaseTicks - 1) }),
      afterUrgent: fc.nat({ max: bounds.afterUrgentMax ?? scriptAfterUrgentMaxDefault }),
      kind,
      pick: fc.nat({ max: bounds.pickMax ?? scriptPickMaxDefault }),
      match: match ?? fc.constant(undefined),
    })
    .map(({ match: text, ...step }) => (text === undefined ? step : { ...step, match: text }));
}

/**
 * Environment steps that cluster in time, as incidents do: each step comes a gap after the
 * previous one, and half the gaps are 0 (the same tick). Shrinks towards every step at tick 0.
 */
export function scriptStepsArbitrary(swarm: SwarmOptions, bounds: ScriptBounds = {}): fc.Arbitrary<ScriptStep[]> {
  const stepsMax = bounds.stepsMax ?? swarm.faultsMax + swarm.requestsMax;
  if (stepsMax === 0) return fc.constant([]);
  const lastTick = Math.max(0, swarm.faultPhaseTicks - 1);
  const gap = fc.oneof(fc.constant(0), fc.nat({ max: lastTick }));
  const afterUrgent = fc.oneof(fc.constant(0), fc.nat({ max: bounds.afterUrgentMax ?? scriptAfterUrgentMaxDefault }));
  const draft = fc.record({ gap, afterUrgent, step: scriptStepArbitrary(swarm, bounds) });
  return fc.array(draft, { maxLength: stepsMax }).map((drafts) => {
    let tick = 0;
    return drafts.map(({ gap: ticks, afterUrgent: urgent, step }) => {
      tick = Math.min(lastTick, tick + ticks);
      return { ...step, atTick: tick, afterUrgent: urgent };
    });
  });
}

/** The generic script arbitrary for any model; compose your own from the parts for richer steps. */
export function scriptArbitrary<O>(
  model: Model<any, any, O>,
  swarm: SwarmOptions,
  parts: { readonly options?: fc.Arbitrary<O>; readonly steps?: fc.Arbitrary<ScriptStep[]>; readonly bounds?: ScriptBounds } = {},
): fc.Arbitrary<Script<O>> {
  const bounds = parts.bounds ?? {};
  return fc.record({
    options: parts.options ?? optionsArbitrary(model),
    steps: parts.steps ?? scriptStepsArbitrary(swarm, bounds),
    choices: fc.array(fc.nat({ max: 7 }), { maxLength: bounds.choicesMax ?? scriptChoicesMaxDefault }),
    tailSeed: fc.nat(),
  });
}

/** Steps in the order the driver meets them: by tick, then `afterUrgent`, then as written. */
export function orderedSteps(steps: readonly ScriptStep[]): ScriptStep[] {
  return steps
    .map((step, index) => ({ step, index }))
    .sort((left, right) => left.step.atTick - right.step.atTick || left.step.afterUrgent - right.step.afterUrgent || left.index - right.index)
    .map((entry) => entry.step);
}

/** A script with fixed key order (what traces store, so a replay is byte-identical). */
export function normalizeScript<O>(script: Script<O>): Script<O> {
  return {
    options: script.options,
    steps: script.steps.map((step) => {
      const base = { atTick: step.atTick, afterUrgent: step.afterUrgent, kind: step.kind, pick: step.pick };
      return step.match === undefined ? base : { ...base, match: step.match };
    }),
    choices: [...script.choices],
    tailSeed: script.tailSeed,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function natural(value: unknown, what: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new OptionsError(`${what} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return value as number;
}

/**
 * Checks an untrusted script (from a trace file or a user) against `model`: the options must pass
 * `model.options.parse`; they are kept as written so that a replay serializes identically.
 */
export function parseScript<O>(raw: unknown, model: Model<any, SimAction, O>): Script<O> {
  if (!isRecord(raw)) throw new OptionsError('script must be an object {options, steps, choices, tailSeed}');
  model.options.parse(raw['options']);
  const steps = raw['steps'];
  const choices = raw['choices'];
  if (!Array.isArray(steps) || steps.length > scriptLengthMax) throw new OptionsError(`script.steps must be an array of at most ${scriptLengthMax}`);
  if (!Array.isArray(choices) || choices.length > scriptLengthMax) throw new OptionsError(`script.choices must be an array of at most ${scriptLengthMax}`);
  const parsedSteps = steps.map((step: unknown, index): ScriptStep => {
    if (!isRecord(step)) throw new OptionsError(`script.steps[${index}] must be an object`);
    const kind = step['kind'];
    if (kind !== 'fault' && kind !== 'user') throw new OptionsError(`script.steps[${index}].kind must be 'fault' or 'user'`);
    const match = step['match'];
    if (match !== undefined && typeof match !== 'string') throw new OptionsError(`script.steps[${index}].match must be a string`);
    const base = {
      atTick: natural(step['atTick'], `script.steps[${index}].atTick`),
      afterUrgent: natural(step['afterUrgent'], `script.steps[${index}].afterUrgent`),
      kind,
      pick: natural(step['pick'], `script.steps[${index}].pick`),
    } as const;
    return match === undefined ? base : { ...base, match };
  });
  return {
    options: raw['options'] as O,
    steps: parsedSteps,
    choices: choices.map((choice: unknown, index) => natural(choice, `script.choices[${index}]`)),
    tailSeed: natural(raw['tailSeed'], 'script.tailSeed'),
  };
}
