/**
 * A Table behaves as the plain record it replaces: any sequence of writes, from any version (so
 * branching: two writes from one version), gives the same get/has/size/keys order/JSON as the same
 * writes on records, and writing a version never changes another.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTable, Table } from './table.ts';

type Op = { readonly from: number; readonly key: string; readonly value: number | null };

// Keys like the substrate's (`namespace/name`), never array-index-like; a pool small enough that
// keys recur and large enough that tables pass the size up to which keys are scanned (16).
const pool = [...'abcdefghijklmnopqrstu'].map((letter, index) => (index % 3 === 0 ? letter : `ns-${index % 2}/${letter}`));
const keyArb = fc.constantFrom(...pool);
const opArb: fc.Arbitrary<Op> = fc.record({ from: fc.nat(), key: keyArb, value: fc.option(fc.integer(), { nil: null }) });

function recordWrite(record: Readonly<Record<string, number>>, key: string, value: number | null): Record<string, number> {
  const next = { ...record };
  if (value === null) delete next[key];
  else next[key] = value;
  return next;
}

function expectSame(table: Table<number>, record: Readonly<Record<string, number>>, probes: readonly string[]): void {
  expect(table.keys()).toEqual(Object.keys(record));
  expect(table.values()).toEqual(Object.values(record));
  expect(table.size).toBe(Object.keys(record).length);
  expect([...table]).toEqual(Object.entries(record));
  expect(JSON.stringify(table)).toBe(JSON.stringify(record));
  expect(Object.keys(table.toJSON())).toEqual(Object.keys(record));
  for (const key of probes) {
    expect(table.get(key)).toBe(record[key]);
    expect(table.has(key)).toBe(key in record);
    expect(table.indexOf(key)).toBe(Object.keys(record).indexOf(key));
  }
}

// Equal but not identical strings, as a reader's objectKey() builds them.
const probes = [...pool, 'absent'].map((key) => key.split('').join(''));

describe('Table', () => {
  it('matches a plain record over any sequence of writes from any version', () => {
    fc.assert(
      fc.property(fc.dictionary(keyArb, fc.integer(), { minKeys: 0, maxKeys: 21 }), fc.array(opArb, { maxLength: 80 }), (start, ops) => {
        const tables = [Table.fromRecord(start)];
        const records: Record<string, number>[] = [{ ...start }];
        for (const op of ops) {
          // Any earlier version: most writes branch from one that was written already.
          const from = op.from % tables.length;
          const table = tables[from] as Table<number>;
          const record = records[from] as Record<string, number>;
          tables.push(op.value === null ? table.without(op.key) : table.with(op.key, op.value));
          records.push(recordWrite(record, op.key, op.value));
        }
        // Checked at the end: a later write to any version must not have changed an earlier one.
        tables.forEach((table, index) => expectSame(table, records[index] as Record<string, number>, probes));
      }),
      { numRuns: 500 },
    );
  });

  it('has one empty table, which writes from it leave empty', () => {
    // Every cluster starts from it (pods, pvcs, the label index): shared, so a write must copy.
    expect(Table.fromRecord({})).toBe(Table.empty());
    const first = Table.empty<number>().with('a/1', 1);
    const second = Table.empty<number>().with('a/2', 2).without('a/2');
    expect([first.keys(), first.values()]).toEqual([['a/1'], [1]]);
    expect([second.size, Table.empty().size, Table.empty().keys(), Table.empty().values()]).toEqual([0, 0, [], []]);
    expect(JSON.stringify(Table.empty())).toBe('{}');
  });

  it('keeps the keys array across value writes and moves a re-added key last', () => {
    const table = Table.empty<number>().with('a/1', 1).with('a/2', 2).with('a/3', 3);
    const written = table.with('a/2', 20);
    expect(written.keys()).toBe(table.keys());
    expect(table.get('a/2')).toBe(2);
    const readded = written.without('a/1').with('a/1', 10);
    expect(readded.keys()).toEqual(['a/2', 'a/3', 'a/1']);
    expect(JSON.stringify(readded)).toBe('{"a/2":20,"a/3":3,"a/1":10}');
    expect(table.without('absent')).toBe(table);
  });

  it('keeps siblings apart that append to one large version (the key map shared at the tip)', () => {
    // Past the scan size a key is found through the map the versions share; only the first
    // version to append at the tip may extend it.
    const large = Table.fromRecord(Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`ns/p${index}`, index])));
    const first = large.with('ns/a', 1).with('ns/b', 2);
    const second = large.with('ns/b', 3).with('ns/a', 4);
    expect([first.get('ns/a'), first.get('ns/b'), first.indexOf('ns/b')]).toEqual([1, 2, 21]);
    expect([second.get('ns/a'), second.get('ns/b'), second.indexOf('ns/b')]).toEqual([4, 3, 20]);
    expect(large.has('ns/a') || large.has('ns/b')).toBe(false);
  });

  it('is invisible to for-in and compares by content in tests', () => {
    const table = Table.fromRecord({ 'a/1': 1 });
    const keys: string[] = [];
    for (const key in table) keys.push(key);
    expect(keys).toEqual([]);
    expect(isTable(table)).toBe(true);
    expect(isTable({})).toBe(false);
    // Built by different paths (a shared, extended map or a fresh one): equal by content.
    expect(Table.empty<number>().with('a/1', 1)).toEqual(table);
    expect(table.with('a/1', 2)).not.toEqual(table);
    expect(table.with('a/2', 2)).not.toEqual(table);
  });
});
