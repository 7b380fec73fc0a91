/**
 * Reading a saved trace back and replaying it. A trace file is untrusted input: anything that is
 * not an opsim trace of a known format version, scenario and variant is refused with a one-line
 * {@link TraceError}. A replay re-runs the recorded driver and must produce the byte-identical trace,
 * or say at which step it diverged.
 */
import type { ScenarioVariant, SwarmOptions } from './scenario.ts';
import { traceSwarm } from './swarm.ts';
import { serializeTrace, traceFormat, traceFormatVersion, type Trace, type TraceStep } from './trace.ts';
import { OptionsError } from './model.ts';

/** A trace file that cannot be replayed; the message is one line for the CLI. */
export class TraceError extends Error {
  override readonly name = 'TraceError';
}

/** Replays a trace of another driver (the scripted driver registers itself here). */
export type Replayer = (variant: ScenarioVariant, trace: Trace) => Trace;

const replayers = new Map<string, Replayer>([
  ['swarm', (variant, trace) => traceSwarm(variant.model, { scenario: trace.scenario, variant: trace.variant, profile: trace.profile, seed: trace.seed, swarm: trace.swarm, options: trace.options })],
]);

/** Lets another driver (e.g. scripted) make its traces replayable. */
export function registerReplayer(driver: string, replayer: Replayer): void {
  replayers.set(driver, replayer);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks the header of a trace file's text. */
export function parseTrace(text: string, source = 'trace'): Trace {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TraceError(`${source} is not JSON (${(error as Error).message})`);
  }
  if (!isRecord(data) || data['format'] !== traceFormat) throw new TraceError(`${source} is not an opsim trace (no "format": "${traceFormat}")`);
  if (data['formatVersion'] !== traceFormatVersion) {
    throw new TraceError(`${source} has trace format version ${JSON.stringify(data['formatVersion'])}; this opsim reads version ${traceFormatVersion}`);
  }
  for (const field of ['scenario', 'variant', 'profile', 'opsimVersion'] as const) {
    if (typeof data[field] !== 'string') throw new TraceError(`${source} has no string field "${field}"`);
  }
  if (!Number.isSafeInteger(data['seed'])) throw new TraceError(`${source} has no integer "seed"`);
  if (!isRecord(data['driver']) || typeof data['driver']['name'] !== 'string') throw new TraceError(`${source} has no "driver"`);
  if (!isRecord(data['swarm'])) throw new TraceError(`${source} has no "swarm" settings`);
  if (!Array.isArray(data['steps']) || !isRecord(data['outcome'])) throw new TraceError(`${source} has no "steps" or "outcome"`);
  return data as unknown as Trace;
}

export interface ReplayResult {
  readonly identical: boolean;
  readonly trace: Trace;
  /** Where the replay first differs from the recording, when it does. */
  readonly divergence: { readonly stepIndex: number; readonly recorded: TraceStep | null; readonly replayed: TraceStep | null } | null;
  /** Why the bytes differ when no step does (header or outcome). */
  readonly note: string | null;
}

/** Re-runs a trace against `variant` (the caller resolved scenario and variant by name). */
export function replayTrace(variant: ScenarioVariant, recorded: Trace): ReplayResult {
  const replayer = replayers.get(recorded.driver.name);
  if (replayer === undefined) throw new TraceError(`trace driver "${recorded.driver.name}" cannot be replayed by this opsim`);
  try {
    variant.model.options.parse(recorded.options);
  } catch (error) {
    if (error instanceof OptionsError) throw new TraceError(`trace options are invalid for ${recorded.scenario}/${recorded.variant}: ${error.message}`);
    throw error;
  }
  checkSwarm(recorded.swarm);
  const trace = replayer(variant, recorded);
  const identical = serializeTrace(trace) === serializeTrace(recorded);
  if (identical) return { identical, trace, divergence: null, note: null };
  const length = Math.max(trace.steps.length, recorded.steps.length);
  for (let index = 0; index < length; index++) {
    const left = recorded.steps[index] ?? null;
    const right = trace.steps[index] ?? null;
    if (JSON.stringify(left) !== JSON.stringify(right)) return { identical, trace, divergence: { stepIndex: index, recorded: left, replayed: right }, note: null };
  }
  const note = recorded.opsimVersion !== trace.opsimVersion ? `recorded by opsim ${recorded.opsimVersion}, replayed by ${trace.opsimVersion}` : 'the header or outcome differs';
  return { identical, trace, divergence: null, note };
}

function checkSwarm(swarm: SwarmOptions): void {
  const integers = ['faultPhaseTicks', 'convergenceTicksMax', 'actionsPerRunMax', 'faultsMax', 'requestsMax'] as const;
  for (const field of integers) {
    if (!Number.isSafeInteger(swarm[field]) || swarm[field] < 0) throw new TraceError(`trace swarm.${field} must be a non-negative integer`);
  }
  for (const field of ['faultChance', 'requestChance'] as const) {
    const chance = swarm[field];
    if (!isRecord(chance) || !Number.isSafeInteger(chance.numerator) || !Number.isSafeInteger(chance.denominator) || chance.denominator <= 0 || chance.numerator < 0 || chance.numerator > chance.denominator) {
      throw new TraceError(`trace swarm.${field} must be a ratio {numerator, denominator}`);
    }
  }
}
