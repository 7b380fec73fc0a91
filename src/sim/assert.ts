/**
 * Assertions that stay on in production, in the TigerBeetle habit: a broken invariant stops the
 * run with a message that says which one, instead of letting a wrong world drift on.
 */

/** Thrown when an invariant of the simulator or of a model does not hold. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** Throws an {@link AssertionError} with `message` unless `condition` holds. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Documents that both outcomes of `condition` are legal here; it checks nothing. */
export function maybe(condition: boolean): void {
  void condition;
}

/** Ends every `switch` over a union: the compiler proves it unreachable, the runtime asserts it. */
export function unreachable(value: never, what = 'value'): never {
  throw new AssertionError(`unreachable ${what}: ${JSON.stringify(value)}`);
}
