/**
 * `JSON.stringify(left) === JSON.stringify(right)` without writing either text: PGO compares the
 * status a reconcile computed with the stored one this way after every reconcile (a status patch
 * that changes nothing is not written), and the two texts were most of that step's own time.
 * same-json.test.ts checks it against the texts on random JSON values and their near misses.
 */

/** What JSON writes for a leaf: non-finite numbers as null (undefined is handled by the callers). */
function leaf(value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

function sameArray(left: readonly unknown[], right: readonly unknown[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) {
    // An undefined item (or function, symbol) is written as null.
    const a = left[index];
    const b = right[index];
    if (!sameJson(a === undefined || typeof a === 'function' || typeof a === 'symbol' ? null : a, b === undefined || typeof b === 'function' || typeof b === 'symbol' ? null : b)) return false;
  }
  return true;
}

/** The keys JSON writes for a record, in its order: own enumerable string keys whose value is written. */
function writtenKeys(record: Record<string, unknown>): string[] {
  return Object.keys(record).filter((key) => {
    const value = record[key];
    return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
  });
}

function sameRecord(left: Record<string, unknown>, right: Record<string, unknown>): boolean {
  const keys = writtenKeys(left);
  const others = writtenKeys(right);
  if (keys.length !== others.length) return false;
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string;
    if (key !== others[index] || !sameJson(left[key], right[key])) return false;
  }
  return true;
}

/**
 * True exactly when `JSON.stringify(left) === JSON.stringify(right)` for plain data (null, booleans,
 * numbers, strings, arrays and records of them; no `toJSON`, no cycles): keys in the same order,
 * non-finite numbers as null, undefined fields left out and undefined items as null.
 */
export function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  const a = leaf(left);
  const b = leaf(right);
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const arrays = Array.isArray(a);
  if (arrays !== Array.isArray(b)) return false;
  return arrays ? sameArray(a as unknown[], b as unknown[]) : sameRecord(a as Record<string, unknown>, b as Record<string, unknown>);
}
