/**
 * An immutable keyed table: what a `Readonly<Record<string, V>>` is to the substrate (same keys,
 * same values, same insertion order, same JSON), at a cost that does not grow with its size on the
 * common write (a value replaced under a key that exists).
 *
 * Why: a world's records of pods are copied on every pod write. A plain record of more than about
 * 128 keys is in V8's dictionary mode, where a spread plus one set costs ~18 µs at 300 keys; copying
 * an array of 300 values costs ~0.17 µs (memcpy). So a table keeps its values in an array copied on
 * write, and its keys in an array plus a `Map` key → position that versions with the same key set
 * share.
 *
 * Order is a plain record's: a new key goes last, and a key deleted then added again goes last (as
 * `delete` then set on a record). Keys must not look like array indexes (`"0"`, `"17"`): a record
 * would list those first. Substrate keys are `namespace/name`, which never do.
 *
 * `JSON.stringify` writes a table as the record it stands for ({@link Table.toJSON}), so worlds,
 * traces and explain output keep their text. Generic walkers of worlds (explore hashing and
 * canonical text) treat a table as that record too ({@link isTable}).
 */

/** Key → position, shared by the versions of one key set and by those that appended to it at its tip. */
interface Slots {
  readonly positions: Map<string, number>;
  /** How many keys `positions` was extended to: a version of that size may append in place. */
  length: number;
}

/**
 * An empty array of V8's generic (object) elements kind. A `[]` literal has the small-integer kind,
 * and every other keys or values array of a table has the object kind: an empty table built from
 * `[]` gives the loads in {@link Table.indexOf} and {@link Table.get} (inlined into most readers of
 * the substrate) a second array map, and optimized readers deoptimize when they first meet it.
 */
function emptyObjectArray<T>(): readonly T[] {
  const array: T[] = [undefined as T];
  array.pop();
  return array;
}

const emptyKeys: readonly string[] = emptyObjectArray();
/** Tables up to this size find a key by scanning their keys rather than through the map. */
const scanSizeMax = 16;

export class Table<V> implements Iterable<readonly [string, V]> {
  // Private fields: invisible to for-in, Object.keys and test equality (which compares by iteration).
  readonly #keys: readonly string[];
  readonly #values: readonly V[];
  // May hold positions of keys appended by later versions: a position counts only where #keys agrees.
  // Null while the table is small enough to be scanned (no map built, kept or extended).
  readonly #slots: Slots | null;

  // One empty table (tables are immutable), its arrays of the object elements kind (emptyObjectArray).
  static readonly #empty: Table<never> = new Table<never>(emptyKeys, emptyObjectArray(), null);

  private constructor(keys: readonly string[], values: readonly V[], slots: Slots | null) {
    this.#keys = keys;
    this.#values = values;
    this.#slots = slots;
  }

  /** The table with no keys. */
  static empty<V>(): Table<V> {
    return Table.#empty as Table<V>;
  }

  /** The table of a plain record's entries, in its key order. */
  static fromRecord<V>(record: Readonly<Record<string, V>>): Table<V> {
    const keys = Object.keys(record);
    if (keys.length === 0) return Table.empty();
    const values = keys.map((key) => record[key] as V);
    return new Table(keys, values, slotsFor(keys));
  }

  get size(): number {
    return this.#keys.length;
  }

  /** Position of `key` in {@link keys}, or -1. */
  indexOf(key: string): number {
    // A small table (the pods, nodes and labels of the 3-pod worlds most models run) is scanned:
    // a probe is usually a fresh string (`ns/name`, `label=value`), which the map must hash first;
    // measured up to 16 label-like keys, a scan took 60% of the map lookup's time.
    const keys = this.#keys;
    if (keys.length <= scanSizeMax) {
      for (let position = 0; position < keys.length; position++) if (keys[position] === key) return position;
      return -1;
    }
    const position = (this.#slots as Slots).positions.get(key);
    return position !== undefined && this.#keys[position] === key ? position : -1;
  }

  get(key: string): V | undefined {
    const position = this.indexOf(key);
    return position < 0 ? undefined : this.#values[position];
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  /**
   * The keys in insertion order. The same array for every version with the same key set (a value
   * write keeps it), so a reader may compare it by identity to know the keys did not change.
   */
  keys(): readonly string[] {
    return this.#keys;
  }

  /** The values, at the positions of {@link keys}. Not a copy: read it, never write it. */
  values(): readonly V[] {
    return this.#values;
  }

  *[Symbol.iterator](): Iterator<readonly [string, V]> {
    for (let position = 0; position < this.#keys.length; position++) yield [this.#keys[position] as string, this.#values[position] as V];
  }

  /** This table with `key` set to `value`: replaced in place if present, else appended last. */
  with(key: string, value: V): Table<V> {
    const position = this.indexOf(key);
    const values = this.#values.slice();
    if (position >= 0) {
      values[position] = value;
      return new Table(this.#keys, values, this.#slots);
    }
    values.push(value);
    return new Table([...this.#keys, key], values, this.#appendSlot(key));
  }

  /** This table without `key` (itself when `key` is absent). */
  without(key: string): Table<V> {
    const position = this.indexOf(key);
    if (position < 0) return this;
    const keys = this.#keys.slice();
    const values = this.#values.slice();
    keys.splice(position, 1);
    values.splice(position, 1);
    // Positions after the deleted key move: a new map (deletes are rare: one per pod deletion).
    return new Table(keys, values, slotsFor(keys));
  }

  /** The plain record this table stands for, in its key order (what `JSON.stringify` writes). */
  toJSON(): Record<string, V> {
    const record: Record<string, V> = {};
    for (let position = 0; position < this.#keys.length; position++) record[this.#keys[position] as string] = this.#values[position] as V;
    return record;
  }

  // The first version to append at the tip of a key set extends its map (the one hashing cost of an
  // insert); a version that is not at the tip (a sibling appended first) builds its own.
  #appendSlot(key: string): Slots | null {
    const slots = this.#slots;
    const size = this.#keys.length;
    if (size + 1 <= scanSizeMax) return null;
    if (slots === null || slots.length !== size) return slotsOf([...this.#keys, key]);
    slots.positions.set(key, size);
    slots.length = size + 1;
    return slots;
  }
}

// A map only for a table past the scan size.
function slotsFor(keys: readonly string[]): Slots | null {
  return keys.length <= scanSizeMax ? null : slotsOf(keys);
}

function slotsOf(keys: readonly string[]): Slots {
  const positions = new Map<string, number>();
  for (let position = 0; position < keys.length; position++) positions.set(keys[position] as string, position);
  return { positions, length: keys.length };
}

/** True for a {@link Table}: generic walkers of worlds read it as the record it stands for. */
export function isTable(value: unknown): value is Table<unknown> {
  return value instanceof Table;
}

/**
 * Keys whose value differs (by identity) between two tables: those of `next` whose value changed or
 * is new, in `next`'s order, then those `next` lacks, in `old`'s order. Versions with the same key
 * set (the common case: a value write) are compared position by position, with no lookups.
 */
export function tableKeysChanged<V>(old: Table<V>, next: Table<V>): string[] {
  const changed: string[] = [];
  if (old === next) return changed;
  const keys = next.keys();
  const values = next.values();
  if (old.keys() === keys) {
    const before = old.values();
    for (let position = 0; position < keys.length; position++) if (before[position] !== values[position]) changed.push(keys[position] as string);
    return changed;
  }
  for (let position = 0; position < keys.length; position++) if (old.get(keys[position] as string) !== values[position]) changed.push(keys[position] as string);
  for (const key of old.keys()) if (!next.has(key)) changed.push(key);
  return changed;
}
