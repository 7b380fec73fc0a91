/**
 * Memo keys for machine events (used by the machine host's memo, DESIGN.md §4).
 *
 * Two events get the same key only if they are the same JSON data, so a machine (a pure function of
 * state value, context and event) steps them identically. The hot events of the KubeBlocks
 * controllers carry only booleans (`status.computed` with the §1.3 table inputs), and
 * `JSON.stringify` of them costs more than the rest of a memoized step, so such events get a
 * **number**: the id of their shape (type and keys, in order, one level of nesting at most) plus one
 * bit per boolean. Every other event gets its JSON text; numbers and strings never collide as keys.
 */

/** One numeric event layout: the top-level keys in order, and for each the keys of its nested object (or null). */
interface EventShape {
  readonly id: number;
  readonly keys: readonly string[];
  readonly children: readonly (readonly string[] | null)[];
}

/** Distinct numeric shapes over the whole process (12 bits); past it, new shapes fall back to JSON keys. */
export const eventShapesMax = 4096;
/** Booleans per numeric key: `bits << 12 | shape id` stays a small integer (a V8 Smi, cheap to hash). */
export const eventShapeBooleansMax = 18;
/** Shapes remembered per event type before that type's new shapes fall back to JSON keys. */
const shapesPerTypeMax = 8;

const shapesByType = new Map<string, EventShape[]>();
let shapeCount = 0;
// The last type looked up and its shapes: controllers send runs of the same event type.
let lastType = '';
let lastShapes: EventShape[] | undefined;

// Events are plain JSON data (DESIGN.md §3): a non-array object is read as a JSON object. An empty
// nested object never gets a numeric shape, so a Map or Date (no enumerable keys) cannot match one.
function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The numeric key of `event` if it has exactly `shape`'s keys in the same order and booleans for
 * leaves, else -1. One flat function with two `for…in` loops, so V8 loads the values by field index.
 */
function numericKey(event: Record<string, unknown>, shape: EventShape): number {
  const { keys, children } = shape;
  let index = 0;
  let bits = 0;
  let count = 0;
  for (const key in event) {
    if (keys[index] !== key) return -1;
    const value = event[key];
    const child = children[index++];
    if (child === null || child === undefined) {
      if (value === true) bits |= 1 << count++;
      else if (value === false) count++;
      else if (key !== 'type' || typeof value !== 'string') return -1;
    } else {
      // Only arrays need refusing: null, a boolean or a number enumerates no keys, and a string only
      // index keys with non-boolean values, so none of them can match a non-empty child layout.
      if (Array.isArray(value)) return -1;
      let inner = 0;
      for (const childKey in value as Record<string, unknown>) {
        if (child[inner++] !== childKey) return -1;
        const leaf = (value as Record<string, unknown>)[childKey];
        if (leaf === true) bits |= 1 << count++;
        else if (leaf === false) count++;
        else return -1;
      }
      if (inner !== child.length) return -1;
    }
  }
  if (index !== keys.length || count > eventShapeBooleansMax) return -1;
  return (bits << 12) | shape.id;
}

/** The shape of `event` if it is plain booleans (under a string `type`), nested one level at most; else null. */
function shapeOf(event: Record<string, unknown>, id: number): EventShape | null {
  const keys: string[] = [];
  const children: (string[] | null)[] = [];
  for (const key in event) {
    const value = event[key];
    keys.push(key);
    if (typeof value === 'boolean' || (key === 'type' && typeof value === 'string')) {
      children.push(null);
      continue;
    }
    if (!isObject(value)) return null;
    const child: string[] = [];
    for (const childKey in value) {
      if (typeof value[childKey] !== 'boolean') return null;
      child.push(childKey);
    }
    if (child.length === 0) return null;
    children.push(child);
  }
  return { id, keys, children };
}

/**
 * The memo key of `event`: a number for events whose leaves are all booleans, else its JSON text.
 * Equal keys mean equal events (same keys in the same order, same values).
 */
export function eventKey<E extends { readonly type: string }>(event: E): number | string {
  const record = event as unknown as Record<string, unknown>;
  if (event.type !== lastType) {
    lastType = event.type;
    lastShapes = shapesByType.get(lastType);
  }
  const shapes = lastShapes;
  if (shapes !== undefined) {
    for (let index = 0; index < shapes.length; index++) {
      const key = numericKey(record, shapes[index] as EventShape);
      if (key >= 0) return key;
    }
  }
  if (shapeCount < eventShapesMax && (shapes === undefined || shapes.length < shapesPerTypeMax) && isObject(record)) {
    const shape = shapeOf(record, shapeCount);
    // Registered only if it yields a key (it may hold more booleans than a key can carry).
    const key = shape === null ? -1 : numericKey(record, shape);
    if (shape !== null && key >= 0) {
      shapeCount++;
      if (shapes === undefined) {
        lastShapes = [shape];
        shapesByType.set(event.type, lastShapes);
      } else {
        shapes.push(shape);
      }
      return key;
    }
  }
  return JSON.stringify(event);
}
