/**
 * The trace of one run: every step with its tick, action, the phase changes it caused and the
 * Kubernetes Events it emitted, under a versioned header (format, opsimVersion, scenario, variant,
 * seed, options) that is enough to replay it. Serialized as JSON; the same seed, options and
 * version give a byte-identical trace.
 */
import { assert } from './assert.ts';
import type { KubeEvent } from './events.ts';
import type { ActionKind, Observation } from './model.ts';
import type { SubjectSince } from './property.ts';
import type { SwarmOptions } from './scenario.ts';
import type { Tick } from './ticks.ts';

export const traceFormat = 'opsim-trace';
export const traceFormatVersion = 1;

/** An object's phase changed during a step. `object` reads `Component pg-postgresql`. */
export interface PhaseChange {
  readonly object: string;
  readonly from: string | null;
  readonly to: string | null;
}

/** An Event emitted (or bumped) during a step. */
export interface EventNote {
  readonly object: string;
  readonly type: KubeEvent['type'];
  readonly reason: string;
  readonly message: string;
  readonly count: number;
}

export interface TraceStep {
  readonly index: number;
  readonly tick: Tick;
  readonly kind: ActionKind | 'settle';
  readonly action: string;
  readonly changes?: readonly PhaseChange[];
  readonly events?: readonly EventNote[];
}

export type ViolationKind = 'stuck' | 'safety' | 'error';

/** What went wrong, with everything a person needs to understand it (DESIGN.md §2). */
export interface Violation {
  readonly property: string;
  readonly kind: ViolationKind;
  /** The readable explanation: headline, reason, details, pending, events, errors. */
  readonly explanation: string;
  readonly headline: string;
  readonly reason: string;
  readonly details: readonly string[];
  readonly subject: SubjectSince | null;
  readonly pending: string | null;
  /** The last Events, those about the subject first. */
  readonly events: readonly KubeEvent[];
  readonly errors: Observation['errors'];
  /** Actions still enabled at the end that change nothing a person can see. */
  readonly idleActions: readonly string[];
  readonly fairness: string | null;
  /** Steps in the counterexample (actions taken up to the verdict). */
  readonly steps: number;
  readonly atTick: Tick;
}

export type RunEnd = 'converged' | 'quiescent' | 'convergence-ticks' | 'safety-violation' | 'error';

export interface RunOutcome {
  readonly verdict: 'clean' | ViolationKind;
  readonly endedBy: RunEnd;
  readonly actions: number;
  readonly ticks: Tick;
  readonly settledAtTick: Tick | null;
  readonly violation: Violation | null;
}

/** The driver that produced a trace, and what it needs to run again. */
export type TraceDriver =
  | { readonly name: 'swarm' }
  | { readonly name: 'scripted'; readonly script: unknown; readonly fastCheck?: unknown }
  | { readonly name: 'explore'; readonly path: readonly string[]; readonly cycle: readonly string[] | null; readonly stuck: unknown; readonly faultsMax: number; readonly requestsMax: number; readonly interleavings?: 'all' | 'canonical' | 'canonical-quiet' };

export interface Trace {
  readonly format: typeof traceFormat;
  readonly formatVersion: typeof traceFormatVersion;
  readonly opsimVersion: string;
  readonly scenario: string;
  readonly variant: string;
  readonly profile: string;
  readonly driver: TraceDriver;
  readonly seed: number;
  readonly swarm: SwarmOptions;
  readonly options: unknown;
  readonly steps: readonly TraceStep[];
  readonly outcome: RunOutcome;
}

/** The canonical serialization: stable key order (objects are built in a fixed order), 2-space JSON. */
export function serializeTrace(trace: Trace): string {
  return JSON.stringify(trace, null, 2) + '\n';
}

/** Steps kept per trace; a run longer than this is cut with an assertion, not silently. */
export const traceStepsMax = 200_000;

/** Follows a run's observations and turns consecutive ones into phase changes and event notes. */
export class TraceRecorder {
  private phases = new Map<string, { phase: string; sinceTick: Tick }>();
  private lastEvents: readonly KubeEvent[] = [];
  readonly steps: TraceStep[] = [];

  constructor(initial: Observation, tick: Tick) {
    for (const object of initial.objects) this.phases.set(`${object.kind} ${object.name}`, { phase: object.phase, sinceTick: tick });
    this.lastEvents = initial.events;
  }

  record(tick: Tick, kind: TraceStep['kind'], action: string, observation: Observation): void {
    assert(this.steps.length < traceStepsMax, `traceStepsMax=${traceStepsMax} crossed`);
    const changes = this.diffPhases(observation, tick);
    const events = this.diffEvents(observation.events);
    const step: TraceStep = { index: this.steps.length, tick, kind, action };
    this.steps.push(
      changes.length > 0 || events.length > 0
        ? { ...step, ...(changes.length > 0 ? { changes } : {}), ...(events.length > 0 ? { events } : {}) }
        : step,
    );
  }

  /** Since when `kind name` has been in its current phase, or null if it is not observed. */
  since(kind: string, name: string): { phase: string; sinceTick: Tick } | null {
    return this.phases.get(`${kind} ${name}`) ?? null;
  }

  private diffPhases(observation: Observation, tick: Tick): PhaseChange[] {
    const changes: PhaseChange[] = [];
    const seen = new Set<string>();
    for (const object of observation.objects) {
      const key = `${object.kind} ${object.name}`;
      seen.add(key);
      const before = this.phases.get(key);
      if (before === undefined || before.phase !== object.phase) {
        changes.push({ object: key, from: before?.phase ?? null, to: object.phase });
        this.phases.set(key, { phase: object.phase, sinceTick: tick });
      }
    }
    for (const [key, before] of this.phases) {
      if (!seen.has(key)) {
        changes.push({ object: key, from: before.phase, to: null });
        this.phases.delete(key);
      }
    }
    return changes;
  }

  private diffEvents(events: readonly KubeEvent[]): EventNote[] {
    if (events === this.lastEvents) return [];
    const before = new Set(this.lastEvents);
    this.lastEvents = events;
    const notes: EventNote[] = [];
    for (const row of events) {
      if (before.has(row)) continue;
      notes.push({ object: row.involvedObject, type: row.type, reason: row.reason, message: row.message, count: row.count });
    }
    return notes;
  }
}
