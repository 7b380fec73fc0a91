/**
 * The explorer's state key for PGO + Patroni worlds. The default key (`canonicalFingerprint`)
 * never closes a loop here: Patroni's HA loop runs every `loop_wait` for ever, so virtual time never
 * stops, the primary writes WAL on every tick, and every timestamp grows older. This key keeps what a
 * transition, guard or property reads and abstracts the rest; each rule says why behaviour is kept.
 *
 * WAL positions (`walLsn` of members, member records and volumes, `leaderLsn`, history `switchLsn`).
 * The model only ever compares positions with each other (`<`, `===`, `Math.max`/`min`), with the
 * leader's `/status` LSN against `maximum_lag_on_failover` (`isLagging`), with the constant 0
 * (`reportedWal` of a member that is not running) and moves them by whole amounts (the primary
 * writes, a replica streams toward the primary, clone copies `leaderLsn`, rewind copies a
 * `switchLsn`). So a position becomes
 * - `'z'` when it is 0 (a data directory never written; the `reportedWal` sentinel), plus one flag
 *   that says whether 0 itself is lagging (`leaderLsn > maximum_lag_on_failover`);
 * - its exact offset from `leaderLsn` while it is within `maximum_lag_on_failover` below it (or
 *   anywhere above it): every comparison and every move among these stays exact;
 * - further below, `f<rank>`: its rank among the distinct far positions. Far positions are lagging
 *   whatever their distance, and rank keeps their order and equalities with each other; they are
 *   below every exact one. A far position changes only by being copied over (clone, rewind, a
 *   caught-up stream), which stays exact **when streaming closes any gap in one step**
 *   (`catchUpBytesPerTick` at least the gap, as in the explore configurations) and **no far member
 *   is primary** (a promoted member far behind would then write, and how far it moves past other far
 *   positions depends on the gap). {@link walAbstractionExact} checks both on a world; the property
 *   suite checks it on every state the explorer keys.
 *
 * Timestamps (numbers under keys ending in `Tick`) are made relative to now, then capped where the
 * model only compares their age with a bound: lease ends and due ticks are "past" once reached
 * (`now < leaseUntilTick`, `due <= now`); `renewedTick` and `releasedLeaderKeyTick` only matter for
 * `ttl` seconds; a REST poll's `startedTick` only for one; a node condition's `lastTransitionTick`
 * only for the taint eviction's 300 s while the node is not Ready (`defaultTolerationSeconds`; pod conditions and container start
 * stamps are read by nothing). `dcsRetrySinceTick` and a pod's `deletionTick` are only tested for null. Other `…Tick` fields stay
 * exact relative ticks (sound by default).
 *
 * Left out, read by no transition or guard: the Events log (the one property that reads it,
 * "reported as failed", is kept as its own boolean), controller error counts and stamps, the
 * reconcile and lock-transition counters, `acquiredTick`, `creationTick`, members' `lastMessage`
 * (explanations only), the substrate's derived pod indexes (a function of the pods), and PGO's watch key with `postgresVersion` (after every step the watch key
 * equals the world's, so only the `dirty` flag it sets matters). Capped: PGO's consecutive failures
 * at 19 (the backoff is 1000 s from there on and the only other read is `failures === 0`), completed
 * switchovers at 1 (read only by a `sometimes` property).
 */
import { unreachable } from '../../sim/assert.ts';
import { Table } from '../../sim/cluster/table.ts';
import { isClock } from '../../sim/explore/fingerprint.ts';
import { hashHex, type Hash64 } from '../../sim/explore/hash.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { PatroniMember } from '../../machines/patroni-member/patroni-cluster.ts';
import { acceptsWrites } from '../../machines/patroni-member/patroni-cluster.ts';
import { evaluate, PgoHasher, type HoleContext, type Piece } from './fingerprint-hash.ts';
import { exactRelative, podRules, rulesFor, walKeys, type Rule } from './fingerprint-rules.ts';
import { reportedFailed } from './properties.ts';
import type { PgoWorld } from './world.ts';

/** Consecutive PGO failures from which the requeue backoff is constant (controller-runtime caps it at 1000 s). */
export const failuresCap = 19;

/** How WAL positions are written in the key (see the file comment). */
interface WalTokens {
  readonly tokens: ReadonlyMap<number, string>;
  readonly zeroLagging: boolean;
}

function allWal(world: PgoWorld): number[] {
  const dcs = world.patroni.dcs;
  const values = [dcs.leaderLsn];
  for (const member of world.patroni.members) values.push(member.walLsn);
  for (const record of dcs.members) values.push(record.walLsn);
  for (const entry of dcs.history) values.push(entry.switchLsn);
  for (const volume of Object.values(world.volumes)) values.push(volume.walLsn);
  return values;
}

export function walTokens(world: PgoWorld): WalTokens {
  const base = world.patroni.dcs.leaderLsn;
  const lag = world.patroni.config.maximumLagOnFailover;
  const far = [...new Set(allWal(world).filter((value) => value !== 0 && value - base < -lag))].sort((left, right) => left - right);
  const tokens = new Map<number, string>();
  for (const value of allWal(world)) {
    if (tokens.has(value)) continue;
    const offset = value - base;
    tokens.set(value, value === 0 ? '"z"' : offset >= -lag ? String(offset) : `"f${far.indexOf(value)}"`);
  }
  return { tokens, zeroLagging: base > lag };
}

/**
 * True when the WAL abstraction is exact from this world on (see the file comment): no member far
 * behind accepts writes, and streaming closes the widest gap a far member could have in one tick.
 */
export function walAbstractionExact(world: PgoWorld): boolean {
  const { tokens } = walTokens(world);
  const isFar = (value: number): boolean => (tokens.get(value) ?? '').startsWith('"f');
  const writers: readonly PatroniMember[] = world.patroni.members.filter(acceptsWrites);
  if (writers.some((member) => isFar(member.walLsn))) return false;
  const values = allWal(world).filter(isFar);
  if (values.length === 0) return true;
  // A stream step of Δ ≥ 1 ticks moves c·Δ while the primary moves w·Δ: c ≥ gap + w closes any gap at once.
  return world.options.catchUpBytesPerTick >= Math.max(...allWal(world)) - Math.min(...values) + world.options.writeBytesPerTick;
}

/** A number whose text depends on the world being keyed: a timestamp (relative to now, maybe capped) or a WAL position. */
type Hole = { readonly kind: 'tick'; readonly value: number; readonly min: number | null } | { readonly kind: 'wal'; readonly value: number };

/** Canonical text with holes: `parts[0] hole[0] parts[1] … parts[n]`. */
interface Template {
  readonly parts: readonly string[];
  readonly holes: readonly Hole[];
}

/** What {@link PgoCanonicalizer} needs to know of an object key. */
interface KeyInfo {
  readonly rule: Rule | null;
  readonly podRule: Rule | null;
  readonly quoted: string;
  readonly quotedAfter: string;
}

/** Texts at least this long are interned (see `interned`). */
const internLengthMin = 48;

class TemplateBuilder {
  private readonly parts: string[] = [''];
  private readonly holes: Hole[] = [];

  text(text: string): void {
    this.parts[this.parts.length - 1] += text;
  }

  hole(hole: Hole): void {
    this.holes.push(hole);
    this.parts.push('');
  }

  template(template: Template): void {
    this.text(template.parts[0] as string);
    for (let index = 0; index < template.holes.length; index++) {
      this.holes.push(template.holes[index] as Hole);
      this.parts.push(template.parts[index + 1] as string);
    }
  }

  done(): Template {
    return { parts: this.parts, holes: this.holes };
  }
}

/**
 * Canonical JSON with sorted keys under {@link rulesFor}. Worlds share structure, so each object's
 * text is compiled once (by identity) into a template whose holes are the numbers that depend on
 * the world being keyed (timestamps, WAL positions); keying a world only fills the holes in.
 */
class PgoCanonicalizer {
  private readonly cache = new WeakMap<object, Template>();
  private readonly podCache = new WeakMap<object, Template>();
  private readonly texts = new Map<string, number>();

  // Per key: its rule in and outside `cluster.pods` and its quoted text, computed once per key.
  private readonly keys = new Map<string, KeyInfo>();

  constructor(private readonly rules: ReadonlyMap<string, Rule>) {}

  private keyInfo(key: string): KeyInfo {
    let info = this.keys.get(key);
    if (info === undefined) {
      const rule = this.rules.get(key) ?? (key.endsWith('Tick') ? exactRelative : null);
      const quoted = `${JSON.stringify(key)}:`;
      info = { rule, podRule: podRules.get(key) ?? rule, quoted, quotedAfter: `,${quoted}` };
      this.keys.set(key, info);
    }
    return info;
  }

  text(value: unknown, now: Tick, wal: WalTokens): string {
    const template = this.of(value, false);
    let text = template.parts[0] as string;
    for (let index = 0; index < template.holes.length; index++) {
      const hole = template.holes[index] as Hole;
      if (hole.kind === 'wal') text += wal.tokens.get(hole.value) ?? String(hole.value);
      else text += String(hole.min === null ? hole.value - now : Math.max(hole.min, hole.value - now));
      text += template.parts[index + 1] as string;
    }
    return text;
  }

  private of(value: unknown, inPods: boolean): Template {
    if (typeof value !== 'object' || value === null) return { parts: [value === undefined ? 'null' : JSON.stringify(value)], holes: [] };
    const cache = inPods ? this.podCache : this.cache;
    const cached = cache.get(value);
    if (cached !== undefined) return cached;
    const out = new TemplateBuilder();
    if (Array.isArray(value)) {
      out.text('[');
      value.forEach((item, index) => {
        if (index > 0) out.text(',');
        out.template(this.of(item, inPods));
      });
      out.text(']');
    } else if (isClock(value as Record<string, unknown>)) {
      // A Clock: its timers, due relative to now, in firing order.
      out.text('{"timers":[');
      (value as { timers: readonly { id: string; dueTick: Tick; payload: unknown }[] }).timers.forEach((timer, index) => {
        out.text(`${index > 0 ? ',' : ''}[${JSON.stringify(timer.id)},`);
        out.hole({ kind: 'tick', value: timer.dueTick, min: null });
        out.text(',');
        out.template(this.of(timer.payload, false));
        out.text(']');
      });
      out.text(']}');
    } else {
      // A table (cluster.pods) is written as the record it stands for.
      const record = (value instanceof Table ? value.toJSON() : value) as Record<string, unknown>;
      out.text('{');
      let first = true;
      for (const key of Object.keys(record).sort()) {
        const field = record[key];
        // A condition's stamp is read only while the node is not Ready (taint eviction's clock).
        if (field === undefined || (key === 'lastTransitionTick' && record['status'] === 'True')) continue;
        const podScope = inPods || key === 'pods';
        const info = this.keyInfo(key);
        const rule = podScope ? info.podRule : info.rule;
        if (rule?.kind === 'drop') continue;
        out.text(first ? info.quoted : info.quotedAfter);
        first = false;
        this.field(out, key, field, rule, podScope);
      }
      out.text('}');
    }
    const template = this.interned(out.done());
    cache.set(value, template);
    return template;
  }

  /**
   * A long text without holes becomes `#<id>`, its index among the distinct texts seen: equal texts
   * get equal ids, so keys stay canonical, and a world's key stays short (cheap to hash and keep).
   */
  private interned(template: Template): Template {
    const text = template.parts[0] as string;
    if (template.holes.length > 0 || text.length < internLengthMin) return template;
    let id = this.texts.get(text);
    if (id === undefined) {
      id = this.texts.size;
      this.texts.set(text, id);
    }
    return { parts: [`#${id}`], holes: [] };
  }

  private field(out: TemplateBuilder, key: string, field: unknown, rule: Rule | null, podScope: boolean): void {
    // Strings, booleans and null are their JSON text (as `of` writes them) without a template each.
    if (typeof field === 'string' || typeof field === 'boolean' || field === null) return out.text(JSON.stringify(field));
    if (typeof field !== 'number') return out.template(this.of(field, podScope));
    if (walKeys.has(key)) return out.hole({ kind: 'wal', value: field });
    if (rule === null) return out.text(JSON.stringify(field));
    switch (rule.kind) {
      case 'kept':
        return out.text(JSON.stringify(field));
      case 'drop':
        return;
      case 'present':
        return out.text('true');
      case 'relative':
        return out.hole({ kind: 'tick', value: field, min: rule.min });
      default:
        return unreachable(rule, 'fingerprint rule');
    }
  }
}

const canonicalizers = new Map<number, PgoCanonicalizer>();

// Capped copies of the PGO controller state and the stats, kept per original so that their hashes are kept too.
const cappedPgo = new WeakMap<PgoWorld['pgo'], PgoWorld['pgo']>();
const cappedStats = new WeakMap<PgoWorld['stats'], PgoWorld['stats']>();

function capped<T extends object>(cache: WeakMap<T, T>, value: T, over: boolean, copy: () => T): T {
  if (!over) return value;
  let made = cache.get(value);
  if (made === undefined) {
    made = copy();
    cache.set(value, made);
  }
  return made;
}

/**
 * The world the key is the canonical form of: counters capped, two derived booleans added. Built
 * as one literal (the world's fields, then the two booleans): a spread with fields added after it
 * made a dictionary-mode object of about 1.7 kB on every keyed world, and a new map each time for
 * the hasher's shape check. A world field not listed here would be left out of the key, so a test
 * (fingerprint-hash.test.ts) checks that every field of a world is listed.
 */
function abstractWorld(world: PgoWorld, zeroLagging: boolean): AbstractWorld {
  const { pgo, stats } = world;
  return {
    options: world.options,
    profile: world.profile,
    vocabulary: world.vocabulary,
    now: world.now,
    clock: world.clock,
    cluster: world.cluster,
    patroni: world.patroni,
    postgres: world.postgres,
    postgresVersion: world.postgresVersion,
    pgo: capped(cappedPgo, pgo, pgo.failures > failuresCap, () => ({ ...pgo, failures: failuresCap })),
    volumes: world.volumes,
    partitions: world.partitions,
    orphans: world.orphans,
    requestsMade: world.requestsMade,
    stats: capped(cappedStats, stats, stats.switchoversCompleted > 1, () => ({ ...stats, switchoversCompleted: 1 })),
    reportedFailed: reportedFailed(world),
    zeroLagging,
  };
}

/** What {@link abstractWorld} makes: the world's fields (its type) and the two derived booleans. */
export type AbstractWorld = PgoWorld & { readonly reportedFailed: boolean; readonly zeroLagging: boolean };

/** {@link abstractWorld} for tests: its keys must be the world's keys and the two booleans. */
export const abstractWorldForTest: (world: PgoWorld, zeroLagging: boolean) => AbstractWorld = abstractWorld;

/** The canonical text the key stands for (tests check that it and {@link pgoFingerprint} split worlds alike). */
export function pgoFingerprintText(world: PgoWorld): string {
  const ttl = world.patroni.config.ttl;
  let canonicalizer = canonicalizers.get(ttl);
  if (canonicalizer === undefined) {
    canonicalizer = new PgoCanonicalizer(rulesFor(ttl));
    canonicalizers.set(ttl, canonicalizer);
  }
  const wal = walTokens(world);
  return canonicalizer.text(abstractWorld(world, wal.zeroLagging), world.now, wal);
}

/** The hasher of the worlds of one ttl (the rules depend on it). */
const hashers = new Map<number, PgoHasher>();

function hasherFor(ttl: number): PgoHasher {
  let hasher = hashers.get(ttl);
  if (hasher === undefined) {
    hasher = new PgoHasher(rulesFor(ttl));
    hashers.set(ttl, hasher);
  }
  return hasher;
}

/**
 * What the explorer keeps of a keyed world (its memo) to key the worlds made from it: the piece
 * tree, and the hasher that made it (a tree is reused only by the hasher of the same rules).
 */
export interface PgoHashMemo {
  readonly hasher: PgoHasher;
  readonly tree: Piece;
  /** The world keyed, and its key: a step that hands back the very same world (a settle with nothing to settle) has the same key. */
  readonly world: PgoWorld;
  readonly hi: number;
  readonly lo: number;
  /** What its holes were filled with: a successor in an equal context reuses it, and so every filled-in piece the two share. */
  readonly context: HoleContext;
}

let lastContext: HoleContext | null = null;

function sameNumbers(left: readonly number[], right: readonly number[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

/**
 * True when the hole context of `world` is that of `parent` without computing it: the same now and
 * the same objects for everything a context reads (the Patroni part: leader LSN, lag limit, member
 * and DCS positions; the volumes). Most steps (PGO, the substrate, timers of other kinds) touch neither.
 */
function sameHoleInputs(world: PgoWorld, parent: PgoWorld): boolean {
  return world.now === parent.now && world.patroni === parent.patroni && world.volumes === parent.volumes;
}

function sameContext(context: HoleContext | null, now: number, base: number, lag: number, wal: readonly number[]): context is HoleContext {
  return context !== null && context.now === now && context.base === base && context.lag === lag && sameNumbers(context.wal, wal);
}

/**
 * What the holes of a world's key are filled with (the same tokens as {@link walTokens}): the
 * context of the world it came from (`parent`) or of the world keyed last, when equal in value,
 * so that pieces filled in for it keep their hashes. In breadth-first order the world keyed last
 * is seldom the parent: most steps leave time and WAL positions as they were, and the parent's
 * context is the one its pieces were filled in for.
 */
function holeContext(world: PgoWorld, parent: HoleContext | null): HoleContext {
  const base = world.patroni.dcs.leaderLsn;
  const lag = world.patroni.config.maximumLagOnFailover;
  const wal = allWal(world);
  if (sameContext(parent, world.now, base, lag, wal)) return (lastContext = parent);
  const last = lastContext;
  if (sameContext(last, world.now, base, lag, wal)) return last;
  let far: number[] = [];
  for (const value of wal) if (value !== 0 && value - base < -lag && !far.includes(value)) far.push(value);
  if (far.length > 1) far = far.sort((left, right) => left - right);
  lastContext = { now: world.now, base, lag, wal, far };
  return lastContext;
}

/**
 * The explorer's key for a PGO + Patroni world (see the file comment for what is abstracted): the
 * 64-bit hash of the canonical value {@link pgoFingerprintText} writes, computed from the world's
 * objects (fingerprint-hash.ts), into `out`. With `previous`, the memo of the world this one was
 * made from (the explorer hands it over), every piece the two share is reused; without it (or with
 * an unrelated one) the world is compiled whole: the same hash, more work. Returns this world's memo.
 */
export function pgoHashInto(world: PgoWorld, out: Hash64, previous: PgoHashMemo | null): PgoHashMemo {
  if (previous !== null && previous.world === world) {
    out.hi = previous.hi;
    out.lo = previous.lo;
    return previous;
  }
  const hasher = hasherFor(world.patroni.config.ttl);
  const prior = previous !== null && previous.hasher === hasher ? previous.tree : null;
  const parent = prior !== null ? (previous as PgoHashMemo) : null;
  const context = parent !== null && sameHoleInputs(world, parent.world) ? parent.context : holeContext(world, parent?.context ?? null);
  const tree = hasher.piece(abstractWorld(world, context.base > context.lag), false, prior);
  evaluate(tree, context, out);
  // Pieces keep their lanes as signed integers (fingerprint-hash.ts `Piece`): hand out the unsigned ones.
  out.hi >>>= 0;
  out.lo >>>= 0;
  return { hasher, tree, world, hi: out.hi, lo: out.lo, context };
}

/** {@link pgoHashInto} as 16 hex digits, compiled whole: the model's `fingerprint` (the explorer hashes with `pgoHashInto`). */
export function pgoFingerprint(world: PgoWorld): string {
  const out: Hash64 = { hi: 0, lo: 0 };
  pgoHashInto(world, out, null);
  return hashHex(out);
}
