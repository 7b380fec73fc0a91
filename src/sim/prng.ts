/**
 * A seeded, integer-only pseudo-random generator (xoshiro128**, 32-bit lanes) with labelled forks.
 *
 * All randomness of a run flows from one seed. Subsystems take their own fork
 * (`prng.fork('faults')`), derived from the parent's state and the label without advancing the
 * parent, so one extra draw in one subsystem never reshuffles another. Probabilities are integer
 * ratios ({@link Ratio}), never floats. The state is four uint32 values and serializes as JSON.
 */
import { assert } from './assert.ts';

/** A probability as an integer ratio `numerator / denominator` (0 ≤ numerator ≤ denominator). */
export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
}

/** Builds a validated {@link Ratio}. */
export function ratio(numerator: number, denominator: number): Ratio {
  assert(Number.isSafeInteger(numerator) && numerator >= 0, `ratio numerator ${numerator} must be a non-negative integer`);
  assert(Number.isSafeInteger(denominator) && denominator > 0, `ratio denominator ${denominator} must be a positive integer`);
  assert(numerator <= denominator, `ratio ${numerator}/${denominator} is above 1`);
  return { numerator, denominator };
}

/** The serializable state of a {@link Prng}: four uint32 lanes. */
export type PrngState = readonly [number, number, number, number];

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** FNV-1a over the UTF-16 code units of `text`: a stable 32-bit hash for fork labels. */
export function hash32(text: string, basis = 0x811c9dc5): number {
  let hash = basis >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function rotl(value: number, shift: number): number {
  return ((value << shift) | (value >>> (32 - shift))) >>> 0;
}

/** Seeded integer PRNG. Mutable by design (it lives in a driver, never in a World). */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: PrngState) {
    [this.a, this.b, this.c, this.d] = state;
    assert((this.a | this.b | this.c | this.d) !== 0, 'prng state must not be all zero');
  }

  /** A generator from a 32-bit integer seed (any safe integer is folded to 32 bits). */
  static fromSeed(seed: number): Prng {
    assert(Number.isSafeInteger(seed), `seed ${seed} must be a safe integer`);
    const next = splitmix32((seed ^ Math.floor(seed / 0x1_0000_0000)) >>> 0);
    return new Prng([next(), next(), next(), next()]);
  }

  /** A generator that continues exactly where the serialized `state` left off. */
  static fromState(state: PrngState): Prng {
    assert(state.length === 4 && state.every((lane) => Number.isInteger(lane) && lane >= 0 && lane <= 0xffffffff), 'prng state must be four uint32 lanes');
    return new Prng(state);
  }

  /** The current state, JSON-safe. */
  state(): PrngState {
    return [this.a, this.b, this.c, this.d];
  }

  /** An independent generator for the subsystem `label`; does not advance this one. */
  fork(label: string): Prng {
    const seed = hash32(label, (this.a ^ rotl(this.b, 7) ^ rotl(this.c, 13) ^ rotl(this.d, 19)) >>> 0);
    const next = splitmix32(seed);
    return new Prng([next(), next(), next(), next()]);
  }

  /** The next uint32. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c = (this.c ^ this.a) >>> 0;
    this.d = (this.d ^ this.b) >>> 0;
    this.b = (this.b ^ this.c) >>> 0;
    this.a = (this.a ^ this.d) >>> 0;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** A uniform integer in `[min, max]` (both inclusive), without modulo bias. */
  int(min: number, max: number): number {
    assert(Number.isSafeInteger(min) && Number.isSafeInteger(max), `int bounds ${min}..${max} must be integers`);
    assert(min <= max, `int bounds ${min}..${max} are reversed`);
    const span = max - min + 1;
    assert(span <= 0x1_0000_0000, `int span ${span} exceeds 2^32`);
    if (span === 0x1_0000_0000) return min + this.nextUint32();
    const limit = 0x1_0000_0000 - (0x1_0000_0000 % span);
    let draw = this.nextUint32();
    while (draw >= limit) draw = this.nextUint32();
    return min + (draw % span);
  }

  /** True with probability `chance.numerator / chance.denominator`. */
  chance(chance: Ratio): boolean {
    if (chance.numerator === 0) return false;
    if (chance.numerator === chance.denominator) return true;
    return this.int(0, chance.denominator - 1) < chance.numerator;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'pick from an empty array');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** Index chosen with probability proportional to the integer `weights`. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const weight of weights) {
      assert(Number.isSafeInteger(weight) && weight >= 0, `weight ${weight} must be a non-negative integer`);
      total += weight;
    }
    assert(total > 0, 'weighted pick needs a positive total weight');
    let draw = this.int(0, total - 1);
    for (let index = 0; index < weights.length; index++) {
      draw -= weights[index] as number;
      if (draw < 0) return index;
    }
    throw new Error('unreachable weighted pick');
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let index = copy.length - 1; index > 0; index--) {
      const other = this.int(0, index);
      [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
    }
    return copy;
  }
}
