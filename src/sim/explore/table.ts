/**
 * Compact storage for the explorer: growable typed-array columns (one number per state, no
 * per-state objects) and an open-addressing table from 64-bit state hashes to dense state ids.
 * A million states cost about 40 bytes each here, against several hundred for a Map of 16-hex
 * strings plus arrays of arrays.
 */
import { assert } from '../assert.ts';
import { checkLimit } from '../limits.ts';

type IntArray = Int32Array | Uint32Array | Uint8Array;

/** A typed array that doubles when full; `data` may be replaced, read it through the column. */
export class Column<T extends IntArray> {
  length = 0;

  constructor(
    public data: T,
    private readonly make: (capacity: number) => T,
  ) {}

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = value;
  }

  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const grown = this.make(Math.max(capacity, this.data.length * 2, 16));
    grown.set(this.data.subarray(0, this.length) as never);
    this.data = grown;
  }

  /** The filled part, trimmed to a copy so the spare capacity can be freed. */
  trimmed(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export function int32Column(): Column<Int32Array> {
  return new Column(new Int32Array(1024), (capacity) => new Int32Array(capacity));
}

export function uint32Column(): Column<Uint32Array> {
  return new Column(new Uint32Array(1024), (capacity) => new Uint32Array(capacity));
}

export function uint8Column(): Column<Uint8Array> {
  return new Column(new Uint8Array(1024), (capacity) => new Uint8Array(capacity));
}

/** Slots in the table at most (2³⁰: four gigabytes of slots; no explore fits that in memory). */
export const hashTableSlotsMax = 2 ** 30;

/**
 * Maps a 64-bit hash (hi, lo) to a dense id, in insertion order. Linear probing on a power-of-two
 * slot array holding id + 1 (0 is empty), kept at most half full; the hashes themselves live in
 * two columns indexed by id, so the table's own cost is 8 bytes per state or less.
 */
export class HashTable {
  readonly hi = uint32Column();
  readonly lo = uint32Column();
  private slots = new Int32Array(1 << 12);
  private mask = (1 << 12) - 1;

  get size(): number {
    return this.hi.length;
  }

  /** The id of (hi, lo), or -1. */
  find(hi: number, lo: number): number {
    const his = this.hi.data;
    const los = this.lo.data;
    for (let slot = hi & this.mask; ; slot = (slot + 1) & this.mask) {
      const stored = this.slots[slot] as number;
      if (stored === 0) return -1;
      if (his[stored - 1] === hi && los[stored - 1] === lo) return stored - 1;
    }
  }

  /** Adds (hi, lo), which must not be present; returns its id. */
  add(hi: number, lo: number): number {
    assert(hi >>> 0 === hi && lo >>> 0 === lo, 'a state hash is two unsigned 32-bit lanes');
    if ((this.size + 1) * 2 > this.slots.length) this.grow();
    const id = this.size;
    this.hi.push(hi);
    this.lo.push(lo);
    this.place(id);
    return id;
  }

  private place(id: number): void {
    let slot = (this.hi.data[id] as number) & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = id + 1;
  }

  private grow(): void {
    const length = this.slots.length * 2;
    checkLimit('explore hash table slots', length, hashTableSlotsMax);
    this.slots = new Int32Array(length);
    this.mask = length - 1;
    for (let id = 0; id < this.size; id++) this.place(id);
  }
}
