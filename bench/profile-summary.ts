/**
 * Reads a V8 CPU profile (the `.cpuprofile` format `node --cpu-prof` and the inspector's
 * `Profiler.stop` write) into self time per function and per file: the table issue 11 asks for
 * where a target is out of reach ("say what bounds it, with the profile that shows it").
 */

export interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  /** 0-based, in the code V8 ran (after tsx's transform when run with tsx). */
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Node id of each sample. */
  readonly samples: readonly number[];
  /** Microseconds from the previous sample to this one (the first from the profile's start). */
  readonly timeDeltas: readonly number[];
}

/** Where a position of the code V8 ran is in the source: a file and a 1-based line. */
export interface SourcePlace {
  readonly file: string;
  readonly line: number;
}

/** Maps a call frame's position to its source place (source maps); null when unknown. */
export type Locate = (url: string, line: number, column: number) => SourcePlace | null;

export interface SelfRow {
  /** `writePod`, `(anonymous)`, or a V8 pseudo-frame: `(garbage collector)`, `(program)`, `(idle)`. */
  readonly name: string;
  /** `src/sim/cluster/store.ts:273`, or the URL as given, or '' for pseudo-frames. */
  readonly where: string;
  readonly selfMs: number;
  /** Fraction of all sampled time, 0..1. */
  readonly share: number;
}

export interface FileRow {
  readonly file: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly samples: number;
  readonly functions: readonly SelfRow[];
  readonly files: readonly FileRow[];
}

/** Self time per node id: the time deltas attributed to the sample that ends each interval. */
function selfMicrosByNode(profile: CpuProfile): Map<number, number> {
  if (profile.samples.length !== profile.timeDeltas.length) throw new Error(`profile has ${profile.samples.length} samples but ${profile.timeDeltas.length} time deltas`);
  const self = new Map<number, number>();
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index] as number;
    self.set(id, (self.get(id) ?? 0) + Math.max(0, profile.timeDeltas[index] as number));
  }
  return self;
}

/** A URL shown relative to `root` (file:// URLs of the project), else as given. */
function shortUrl(url: string, root: string): string {
  const prefix = `file://${root.endsWith('/') ? root : `${root}/`}`;
  return url.startsWith(prefix) ? url.slice(prefix.length) : url;
}

function placeOf(frame: CallFrame, locate: Locate, root: string): { where: string; file: string } {
  if (frame.url === '') return { where: '', file: frame.functionName };
  const place = locate(frame.url, frame.lineNumber, frame.columnNumber);
  const file = shortUrl(place?.file ?? frame.url, root);
  const line = place?.line ?? frame.lineNumber + 1;
  return { where: `${file}:${line}`, file };
}

function sortedRows<R extends { readonly selfMs: number }>(rows: Iterable<R>): R[] {
  return [...rows].sort((left, right) => right.selfMs - left.selfMs);
}

/**
 * Self time per function (one row per function name and source place, so the several V8 nodes
 * of one function, one per call path, are summed) and per file, largest first.
 */
export function summarizeProfile(profile: CpuProfile, locate: Locate, root: string): ProfileSummary {
  const self = selfMicrosByNode(profile);
  let totalMicros = 0;
  for (const micros of self.values()) totalMicros += micros;
  const byFunction = new Map<string, { name: string; where: string; micros: number }>();
  const byFile = new Map<string, number>();
  for (const node of profile.nodes) {
    const micros = self.get(node.id) ?? 0;
    if (micros === 0) continue;
    const name = node.callFrame.functionName === '' ? '(anonymous)' : node.callFrame.functionName;
    const { where, file } = placeOf(node.callFrame, locate, root);
    const key = `${name}\u0000${where}`;
    const row = byFunction.get(key) ?? { name, where, micros: 0 };
    row.micros += micros;
    byFunction.set(key, row);
    byFile.set(file, (byFile.get(file) ?? 0) + micros);
  }
  const share = (micros: number) => (totalMicros === 0 ? 0 : micros / totalMicros);
  return {
    totalMs: totalMicros / 1000,
    samples: profile.samples.length,
    functions: sortedRows([...byFunction.values()].map((row) => ({ name: row.name, where: row.where, selfMs: row.micros / 1000, share: share(row.micros) }))),
    files: sortedRows([...byFile].map(([file, micros]) => ({ file, selfMs: micros / 1000, share: share(micros) }))),
  };
}

/**
 * The profile without the samples taken inside a frame `drop` matches (or below one): the
 * profiler's own stop call, say, which is sampled while it builds the profile.
 */
export function withoutFrames(profile: CpuProfile, drop: (frame: CallFrame) => boolean): CpuProfile {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const dropped = new Map<number, boolean>();
  const isDropped = (id: number): boolean => {
    let known = dropped.get(id);
    if (known === undefined) {
      const node = byId.get(id);
      const up = parent.get(id);
      known = node !== undefined && (drop(node.callFrame) || (up !== undefined && isDropped(up)));
      dropped.set(id, known);
    }
    return known;
  };
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  for (let index = 0; index < profile.samples.length; index++) {
    const id = profile.samples[index] as number;
    if (isDropped(id)) continue;
    samples.push(id);
    timeDeltas.push(profile.timeDeltas[index] as number);
  }
  return { nodes: profile.nodes, samples, timeDeltas };
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`.padStart(6);
}

/** The summary as text: the `top` functions and files by self time. */
export function profileSummaryText(summary: ProfileSummary, top: number): string {
  const lines = [`${summary.samples} samples, ${summary.totalMs.toFixed(0)} ms sampled`, 'self time by function:'];
  for (const row of summary.functions.slice(0, top)) lines.push(`${percent(row.share)}  ${row.name}${row.where === '' ? '' : `  ${row.where}`}`);
  lines.push('self time by file:');
  for (const row of summary.files.slice(0, top)) lines.push(`${percent(row.share)}  ${row.file}`);
  return lines.join('\n');
}
