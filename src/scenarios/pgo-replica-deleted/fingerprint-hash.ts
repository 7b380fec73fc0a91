/**
 * The explorer's key for a PGO + Patroni world as a 64-bit hash of the canonical value that
 * `pgoFingerprintText` (fingerprint.ts) writes out, computed from the world's structure instead of
 * from the text. Same rules, same abstraction (see fingerprint.ts): the two split worlds alike, up
 * to the chance that two of n states collide (about n²/2⁶⁵; the explorer hashes a text key to 64
 * bits as well). fingerprint-hash.test.ts checks it over worlds of runs and their successors.
 *
 * Why: building the text (sorting keys, filling a template's holes, concatenating) and hashing it
 * whole was a third of the explorer's time. Here each object of a world is compiled into a
 * {@link Piece}: the hash of its canonical value when that does not depend on the world being
 * keyed, else a small node that keeps the hash of what is fixed and the holes (timestamps relative
 * to now, WAL positions) to fill in. Pieces form a tree beside the world; a successor is compiled
 * against the tree of the world it came from, so every object a step did not touch is found by one
 * identity comparison at its place (no WeakMap: a lookup per object and an insertion per new one
 * cost more than the rest), and only the changed spine is compiled. A record's hash is a sum of one
 * term per field, so no key needs sorting; keying a world fills in the few dynamic nodes (the
 * clock, the Patroni members, the DCS, the volumes), and a dynamic node shared with the world keyed
 * before, in an equal context (same now, same WAL positions), keeps the hash it had.
 *
 * The hash is of the canonical JSON value, so every choice of the text carries over: a `present`
 * stamp is `true`, a WAL position is the string `z` or `f<rank>` or its offset, a clock is
 * `{"timers":[[id,due,payload],…]}`, a dropped or undefined field is absent, an undefined item null.
 */
import { avalanche, numberHashInto, stepHi, stepLo, stringHashInto, tagArray, tagFalse, tagNull, tagRecord, tagTrue, type Hash64 } from '../../sim/explore/hash.ts';
import { Table } from '../../sim/cluster/table.ts';
import { isClock } from '../../sim/explore/fingerprint.ts';
import type { Tick } from '../../sim/ticks.ts';
import { exactRelative, podRules, walKeys, type Rule } from './fingerprint-rules.ts';

// Type tags keep values of different kinds apart (1, "1", true and [1] hash differently).
// Hashes of the strings seen (names, ids, messages): most recur in every world. Bounded, as a
// message may carry a tick.
const stringHashes = new Map<string, Hash64>();
const stringHashesMax = 65_536;

/** A string's hash (stringHashInto), kept. */
function stringHash(text: string): Hash64 {
  let hash = stringHashes.get(text);
  if (hash === undefined) {
    if (stringHashes.size >= stringHashesMax) stringHashes.clear();
    hash = { hi: 0, lo: 0 };
    stringHashInto(text, hash);
    stringHashes.set(text, hash);
  }
  return hash;
}

/** Null, booleans, numbers and strings, as JSON writes them (undefined as null, as in an array). */
function primitiveHashInto(value: unknown, out: Hash64): void {
  if (typeof value === 'number') numberHashInto(value, out);
  else if (typeof value === 'string') {
    const hash = stringHash(value);
    out.hi = hash.hi;
    out.lo = hash.lo;
  } else if (value === true || value === false) {
    out.hi = value ? tagTrue : tagFalse;
    out.lo = value ? ~tagTrue >>> 0 : ~tagFalse >>> 0;
  } else {
    out.hi = tagNull;
    out.lo = ~tagNull >>> 0;
  }
}

const trueHash: Hash64 = { hi: 0, lo: 0 };
primitiveHashInto(true, trueHash);

/** The values a world fills its holes with: its now, and how its WAL positions are written. */
export interface HoleContext {
  readonly now: Tick;
  /** `dcs.leaderLsn`: exact positions are offsets from it. */
  readonly base: number;
  readonly lag: number;
  /** Every WAL position of the world (the text writes a position not among them as it is). */
  readonly wal: readonly number[];
  /** The distinct far positions, ascending (their rank is their token); empty when none. */
  readonly far: readonly number[];
}

/** Writes the hash of a WAL position's token into `out` (the text's `walTokens`). */
function walHashInto(value: number, context: HoleContext, out: Hash64): void {
  if (!context.wal.includes(value)) return numberHashInto(value, out);
  if (value === 0) return stringHashInto('z', out);
  const offset = value - context.base;
  if (offset >= -context.lag) return numberHashInto(offset, out);
  stringHashInto(`f${context.far.indexOf(value)}`, out);
}

/** A record field's term: the key's hash mixed with the value's. */
function termHi(key: Hash64, value: Hash64): number {
  return avalanche(stepHi(stepHi(key.hi, value.hi), value.lo));
}

function termLo(key: Hash64, value: Hash64): number {
  return avalanche(stepLo(stepLo(key.lo, value.lo), value.hi));
}

const holeTick = 0;
const holeWal = 1;
const holeChild = 2;

/** A record field whose value depends on the world being keyed. */
interface DynamicField {
  readonly key: Hash64;
  readonly kind: typeof holeTick | typeof holeWal | typeof holeChild;
  readonly value: number;
  /** Ticks: the cap below (null: exact). */
  readonly min: number | null;
  readonly child: Piece | null;
}

/** A clock timer: `[id, dueTick - now, payload]`. */
interface TimerPart {
  readonly id: Hash64;
  readonly dueTick: Tick;
  readonly payload: Piece;
}

/**
 * One compiled object, kept as a tree beside the world: `dynamic` is null when its canonical value
 * is fixed (`hi`/`lo` its hash); otherwise `hi`/`lo` are the sum of the fixed fields' terms
 * (records) and `dynamic` says what to fill in. `shape` and `children` (records: per field in
 * key order; arrays: per item; timers: per payload) let a successor's object reuse the pieces of
 * the objects it shares with the object at the same place before.
 */
export class Piece {
  /**
   * Kept as signed 32-bit integers (`| 0`, the same bits as the unsigned lanes the mixers return):
   * a field holding values from 2³¹ up is a double, and V8 boxes a double field of each new object
   * in a heap number of its own, four per piece.
   */
  readonly hi: number;
  readonly lo: number;

  constructor(
    readonly value: object,
    hi: number,
    lo: number,
    readonly dynamic: RecordNode | ArrayNode | ClockNode | TimersNode | null,
    /** Records: their field names and rules; null for arrays. */
    readonly shape: Shape | null,
    readonly children: readonly (Piece | null)[],
  ) {
    this.hi = hi | 0;
    this.lo = lo | 0;
  }
}

/** What a dynamic piece keeps (on its node: a fixed piece has none): the last world context it was filled in for, and its hash then. */
class DynamicNode {
  filledFor: HoleContext | null = null;
  filledHi = 0;
  filledLo = 0;
}

/** A record with dynamic fields: the fixed terms' sum is the piece's hi/lo. */
class RecordNode extends DynamicNode {
  constructor(
    readonly count: number,
    readonly fields: readonly DynamicField[],
  ) {
    super();
  }
}

/** An array with at least one dynamic item: every item's piece, primitives' too, in order. */
class ArrayNode extends DynamicNode {
  constructor(readonly items: readonly Piece[]) {
    super();
  }
}

/** A clock: its timers array's piece (kept while the array is, as time passes). */
class ClockNode extends DynamicNode {
  constructor(readonly timers: Piece) {
    super();
  }
}

/** A clock's timers. */
class TimersNode extends DynamicNode {
  constructor(readonly timers: readonly TimerPart[]) {
    super();
  }
}

/** How a record field is keyed, decided once per key and scope from its rule (see `fieldMode`). */
const modePlain = 0;
const modeDrop = 1;
/** Numbers: `true`. */
const modePresent = 2;
/** Numbers: a tick hole, relative to now (capped at `min`). */
const modeRelative = 3;
/** Numbers: a WAL hole. */
const modeWal = 4;

type FieldMode = typeof modePlain | typeof modeDrop | typeof modePresent | typeof modeRelative | typeof modeWal;

/** The mode of a key under `rule`: a dropped key is dropped whatever its value; a WAL key's number is a WAL hole whatever its rule. */
function fieldMode(key: string, rule: Rule | null): FieldMode {
  if (rule?.kind === 'drop') return modeDrop;
  if (walKeys.has(key)) return modeWal;
  if (rule?.kind === 'relative') return modeRelative;
  if (rule?.kind === 'present') return modePresent;
  return modePlain;
}

interface KeyInfo {
  readonly hash: Hash64;
  /** Outside `cluster.pods`, and the cap of a relative tick. */
  readonly mode: FieldMode;
  readonly min: number | null;
  /** Inside `cluster.pods`. */
  readonly podMode: FieldMode;
  readonly podMin: number | null;
}

/** A record's field names (`Object.keys` order) and what is known of each: shared by the records of one shape. */
interface Shape {
  readonly keys: readonly string[];
  readonly infos: readonly KeyInfo[];
}

const emptyShape: Shape = { keys: [], infos: [] };

/** Shapes kept per first key: records keyed by names (pods, labels) come in many key sets, and the others are not kept. */
const shapesPerFirstKeyMax = 16;

/** True when `record`'s own enumerable keys are `keys`, in that order (`Object.keys` order). */
function hasKeys(record: Record<string, unknown>, keys: readonly string[]): boolean {
  let index = 0;
  for (const key in record) {
    if (keys[index] !== key) return false;
    index++;
  }
  return index === keys.length;
}

const timersKey = stringHash('timers');

const noChildren: readonly (Piece | null)[] = [];
const primitiveValue = {};

function finishRecord(sumHi: number, sumLo: number, count: number, out: Hash64): void {
  out.hi = avalanche(stepHi(stepHi(tagRecord, count), sumHi));
  out.lo = avalanche(stepLo(stepLo(~tagRecord, count), sumLo));
}

/** The piece of `before` at the place of item `index` (or one over: an item inserted or removed before it). */
function priorItem(before: readonly (Piece | null)[], index: number, item: object): Piece | null {
  const same = before[index];
  if (same?.value === item) return same;
  const next = before[index + 1];
  if (next?.value === item) return next;
  const last = before[index - 1];
  if (last?.value === item) return last;
  return same ?? null;
}

/**
 * Compiles the objects of a world into pieces, reusing the pieces of a previous world's tree for
 * every object it shares with it (by identity, at the same place), and fills them in for one world.
 */
export class PgoHasher {
  private readonly keys = new Map<string, KeyInfo>();
  /** Shapes made, by their first key (at most {@link shapesPerFirstKeyMax} each). */
  private readonly shapes = new Map<string, Shape[]>();
  private readonly scratch: Hash64 = { hi: 0, lo: 0 };

  constructor(private readonly rules: ReadonlyMap<string, Rule>) {}

  private keyInfo(key: string): KeyInfo {
    let info = this.keys.get(key);
    if (info === undefined) {
      const rule = this.rules.get(key) ?? (key.endsWith('Tick') ? exactRelative : null);
      const hash: Hash64 = { hi: 0, lo: 0 };
      stringHashInto(key, hash);
      const podRule = podRules.get(key) ?? rule;
      const min = (rule: Rule | null): number | null => (rule?.kind === 'relative' ? rule.min : null);
      info = { hash, mode: fieldMode(key, rule), min: min(rule), podMode: fieldMode(key, podRule), podMin: min(podRule) };
      this.keys.set(key, info);
    }
    return info;
  }

  /**
   * The piece of an object (a record, an array or a clock). `prior` is the piece of the object at
   * the same place in the previous tree (or null): reused when it is the very object, else its
   * children serve as the previous pieces of this object's children.
   */
  piece(value: object, inPods: boolean, prior: Piece | null): Piece {
    if (prior !== null && prior.value === value) return prior;
    if (Array.isArray(value)) return this.compileArray(value, inPods, prior);
    // A table (cluster.pods) is the record it stands for; its piece is kept by the table's identity.
    if (value instanceof Table) return this.compileRecord(value.toJSON(), inPods, prior, value);
    const record = value as Record<string, unknown>;
    return isClock(record) ? this.compileClock(record, prior) : this.compileRecord(record, inPods, prior);
  }

  private compileArray(items: readonly unknown[], inPods: boolean, prior: Piece | null): Piece {
    const before = prior !== null && prior.shape === null ? prior.children : noChildren;
    const children = new Array<Piece | null>(items.length);
    let dynamic = false;
    let hi = tagArray;
    let lo = ~tagArray;
    const item = this.scratch;
    for (let index = 0; index < items.length; index++) {
      const value = items[index];
      if (typeof value === 'object' && value !== null) {
        const piece = this.piece(value, inPods, priorItem(before, index, value));
        children[index] = piece;
        if (piece.dynamic !== null) dynamic = true;
        item.hi = piece.hi;
        item.lo = piece.lo;
      } else {
        children[index] = null;
        primitiveHashInto(value, item);
      }
      hi = stepLo(stepHi(hi, item.hi), item.lo);
      lo = stepHi(stepLo(lo, item.lo), item.hi);
    }
    if (dynamic) {
      const pieces = items.map((value, index) => children[index] ?? this.primitivePiece(value));
      return new Piece(items, 0, 0, new ArrayNode(pieces), null, children);
    }
    return new Piece(items, avalanche(stepHi(hi, items.length)), avalanche(stepLo(lo, items.length)), null, null, children);
  }

  private primitivePiece(value: unknown): Piece {
    primitiveHashInto(value, this.scratch);
    return new Piece(primitiveValue, this.scratch.hi, this.scratch.lo, null, emptyShape, noChildren);
  }

  private compileClock(record: Record<string, unknown>, prior: Piece | null): Piece {
    const timers = record['timers'] as readonly { id: string; dueTick: Tick; payload: unknown }[];
    const priorTimers = prior !== null && prior.dynamic instanceof ClockNode ? prior.dynamic.timers : null;
    const piece = priorTimers !== null && priorTimers.value === timers ? priorTimers : this.compileTimers(timers, priorTimers);
    return new Piece(record, 0, 0, new ClockNode(piece), emptyShape, noChildren);
  }

  private compileTimers(timers: readonly { id: string; dueTick: Tick; payload: unknown }[], prior: Piece | null): Piece {
    const before = prior?.children ?? noChildren;
    const children = new Array<Piece | null>(timers.length);
    const parts = new Array<TimerPart>(timers.length);
    for (let index = 0; index < timers.length; index++) {
      const timer = timers[index] as (typeof timers)[number];
      const payload = timer.payload;
      let piece: Piece;
      if (typeof payload === 'object' && payload !== null) {
        piece = this.piece(payload, false, priorItem(before, index, payload));
        children[index] = piece;
      } else {
        piece = this.primitivePiece(payload);
        children[index] = null;
      }
      parts[index] = { id: stringHash(timer.id), dueTick: timer.dueTick, payload: piece };
    }
    return new Piece(timers, 0, 0, new TimersNode(parts), emptyShape, children);
  }

  /**
   * The shape of a record: the prior's when the record has the same keys in the same order, else
   * one seen before with those keys (kept by first key), else a new one. No key list is made
   * unless the shape is new: a record with no prior (a pod, a condition, a payload made anew) would
   * otherwise make one each time.
   */
  private shapeOf(record: Record<string, unknown>, prior: Piece | null): Shape {
    const shape = prior?.shape;
    if (shape !== undefined && shape !== null && hasKeys(record, shape.keys)) return shape;
    let first = '';
    for (const key in record) {
      first = key;
      break;
    }
    const known = this.shapes.get(first);
    if (known !== undefined) {
      for (const candidate of known) if (candidate !== shape && hasKeys(record, candidate.keys)) return candidate;
    }
    const keys = Object.keys(record);
    const made: Shape = { keys, infos: keys.map((key) => this.keyInfo(key)) };
    if (known === undefined) this.shapes.set(first, [made]);
    else if (known.length < shapesPerFirstKeyMax) known.push(made);
    return made;
  }

  private compileRecord(record: Record<string, unknown>, inPods: boolean, prior: Piece | null, identity: object = record): Piece {
    const shape = this.shapeOf(record, prior);
    const { keys, infos } = shape;
    // In key order, without a keyed load per field (records of many shapes make those megamorphic).
    const values = Object.values(record);
    // The prior's children are per field: at the same index when the shape is the same.
    const priorShape = prior?.shape ?? null;
    const before = prior !== null && priorShape !== null ? prior.children : noChildren;
    let children: (Piece | null)[] | null = null;
    let sumHi = 0;
    let sumLo = 0;
    let count = 0;
    let fields: DynamicField[] | null = null;
    const value = this.scratch;
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      const field = values[index];
      // A condition's stamp is read only while the node is not Ready (taint eviction's clock).
      if (field === undefined || (key === 'lastTransitionTick' && record['status'] === 'True')) continue;
      const podScope = inPods || key === 'pods';
      const info = infos[index] as KeyInfo;
      const mode = podScope ? info.podMode : info.mode;
      if (mode === modeDrop) continue;
      count++;
      if (typeof field === 'object' && field !== null) {
        let prior: Piece | null = null;
        if (before.length > 0) prior = (priorShape === shape ? before[index] : before[(priorShape as Shape).keys.indexOf(key)]) ?? null;
        const piece = this.piece(field, podScope, prior);
        children ??= new Array<Piece | null>(keys.length).fill(null);
        children[index] = piece;
        if (piece.dynamic !== null) {
          (fields ??= []).push({ key: info.hash, kind: holeChild, value: 0, min: null, child: piece });
          continue;
        }
        value.hi = piece.hi;
        value.lo = piece.lo;
      } else if (typeof field === 'number' && mode !== modePlain) {
        if (mode === modeWal) {
          (fields ??= []).push({ key: info.hash, kind: holeWal, value: field, min: null, child: null });
          continue;
        }
        if (mode === modeRelative) {
          (fields ??= []).push({ key: info.hash, kind: holeTick, value: field, min: podScope ? info.podMin : info.min, child: null });
          continue;
        }
        value.hi = trueHash.hi;
        value.lo = trueHash.lo;
      } else {
        primitiveHashInto(field, value);
      }
      sumHi = (sumHi + termHi(info.hash, value)) | 0;
      sumLo = (sumLo + termLo(info.hash, value)) | 0;
    }
    if (fields !== null) return new Piece(identity, sumHi, sumLo, new RecordNode(count, fields), shape, children ?? noChildren);
    finishRecord(sumHi, sumLo, count, value);
    return new Piece(identity, value.hi, value.lo, null, shape, children ?? noChildren);
  }
}

/** Folds the items' hashes in order (dynamic ones filled in for `context`) into `out`. */
function foldArray(items: readonly Piece[], context: HoleContext, out: Hash64): void {
  let hi = tagArray;
  let lo = ~tagArray;
  for (const item of items) {
    let itemHi = item.hi;
    let itemLo = item.lo;
    if (item.dynamic !== null) {
      evaluate(item, context, out);
      itemHi = out.hi;
      itemLo = out.lo;
    }
    hi = stepLo(stepHi(hi, itemHi), itemLo);
    lo = stepHi(stepLo(lo, itemLo), itemHi);
  }
  out.hi = avalanche(stepHi(hi, items.length));
  out.lo = avalanche(stepLo(lo, items.length));
}

/** The hash of a piece's canonical value for the world of `context`, into `out`. */
export function evaluate(piece: Piece, context: HoleContext, out: Hash64): void {
  const node = piece.dynamic;
  if (node === null) {
    out.hi = piece.hi;
    out.lo = piece.lo;
    return;
  }
  // Contexts equal in value are the same object (see the caller), so a piece shared with the
  // world keyed before, in the same context, has the same hash as then.
  if (node.filledFor === context) {
    out.hi = node.filledHi;
    out.lo = node.filledLo;
    return;
  }
  if (node instanceof RecordNode) evaluateRecord(piece, node, context, out);
  else if (node instanceof ArrayNode) foldArray(node.items, context, out);
  else if (node instanceof ClockNode) evaluateClock(node, context, out);
  else evaluateTimers(node, context, out);
  node.filledFor = context;
  node.filledHi = out.hi | 0;
  node.filledLo = out.lo | 0;
}

function evaluateRecord(piece: Piece, node: RecordNode, context: HoleContext, out: Hash64): void {
  let sumHi = piece.hi;
  let sumLo = piece.lo;
  for (const field of node.fields) {
    if (field.kind === holeChild) evaluate(field.child as Piece, context, out);
    else if (field.kind === holeWal) walHashInto(field.value, context, out);
    else numberHashInto(field.min === null ? field.value - context.now : Math.max(field.min, field.value - context.now), out);
    sumHi = (sumHi + termHi(field.key, out)) | 0;
    sumLo = (sumLo + termLo(field.key, out)) | 0;
  }
  finishRecord(sumHi, sumLo, node.count, out);
}

// A clock is `{"timers":[[id, due relative to now, payload], …]}` in the text: hashed as that value.
function evaluateClock(node: ClockNode, context: HoleContext, out: Hash64): void {
  evaluate(node.timers, context, out);
  finishRecord(termHi(timersKey, out), termLo(timersKey, out), 1, out);
}

function evaluateTimers(node: TimersNode, context: HoleContext, out: Hash64): void {
  let hi = tagArray;
  let lo = ~tagArray;
  for (const timer of node.timers) {
    let timerHi = stepLo(stepHi(tagArray, timer.id.hi), timer.id.lo);
    let timerLo = stepHi(stepLo(~tagArray, timer.id.lo), timer.id.hi);
    numberHashInto(timer.dueTick - context.now, out);
    timerHi = stepLo(stepHi(timerHi, out.hi), out.lo);
    timerLo = stepHi(stepLo(timerLo, out.lo), out.hi);
    evaluate(timer.payload, context, out);
    timerHi = stepLo(stepHi(timerHi, out.hi), out.lo);
    timerLo = stepHi(stepLo(timerLo, out.lo), out.hi);
    timerHi = avalanche(stepHi(timerHi, 3));
    timerLo = avalanche(stepLo(timerLo, 3));
    hi = stepLo(stepHi(hi, timerHi), timerLo);
    lo = stepHi(stepLo(lo, timerLo), timerHi);
  }
  out.hi = avalanche(stepHi(hi, node.timers.length));
  out.lo = avalanche(stepLo(lo, node.timers.length));
}
