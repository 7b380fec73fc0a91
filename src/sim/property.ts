/**
 * Properties in three kinds (Stateright, P): `always` (safety, checked after every step),
 * `eventually` (liveness, checked once the environment has settled and the convergence phase is
 * over) and `sometimes` (reachability: a suite that never sees it is vacuous).
 */
import type { Tick } from './ticks.ts';

export type PropertyKind = 'always' | 'eventually' | 'sometimes';

/** The object a violation is about, as a person names it. */
export interface Subject {
  readonly kind: string;
  readonly name: string;
  readonly phase: string;
}

/** Why a property does not hold, in words. */
export interface Explanation {
  readonly subject?: Subject;
  /** One line, e.g. "InstanceSet ready 0/2: pod pg-postgresql-0 image … in spec, … in status". */
  readonly reason: string;
  /** Further facts a person needs (the selector a pod inherited, the replica's diskID, …). */
  readonly details?: readonly string[];
}

/** A named property of a world. `name` is a sentence. */
export interface Property<W> {
  readonly name: string;
  readonly kind: PropertyKind;
  /** The fairness a liveness verdict relies on, named in every stuck report. */
  readonly fairness?: string;
  holds(world: W): boolean;
  /** Called only when `holds` is false (for `sometimes`: never needed). */
  explain?(world: W): Explanation;
}

const defaultFairness =
  'weak fairness: every enabled controller, kubelet and scheduler step is eventually taken; faults and new requests stop when the environment settles';

/** A safety property: `holds` must be true after every step. */
export function always<W>(name: string, holds: (world: W) => boolean, explain?: (world: W) => Explanation): Property<W> {
  return explain ? { name, kind: 'always', holds, explain } : { name, kind: 'always', holds };
}

/** A liveness property: `holds` must be true once the environment settled and converged. */
export function eventually<W>(
  name: string,
  holds: (world: W) => boolean,
  explain?: (world: W) => Explanation,
  fairness: string = defaultFairness,
): Property<W> {
  return explain ? { name, kind: 'eventually', holds, explain, fairness } : { name, kind: 'eventually', holds, fairness };
}

/** A reachability property: some run of a hunt must reach a world where `holds` is true. */
export function sometimes<W>(name: string, holds: (world: W) => boolean): Property<W> {
  return { name, kind: 'sometimes', holds };
}

/** Since when an object has been in its phase; tracked by the drivers from the trace. */
export interface SubjectSince extends Subject {
  readonly sinceTick: Tick;
}
