/**
 * Named limits. Crossing one is an error that names the limit, never a silent truncation
 * (TIGER_STYLE: "put a limit on everything").
 */

/** Thrown when a run, a search or a model crosses one of its named `…Max` limits. */
export class LimitError extends Error {
  override readonly name = 'LimitError';
  constructor(
    readonly limit: string,
    readonly max: number,
    detail: string,
  ) {
    super(`limit ${limit}=${max} crossed: ${detail}`);
  }
}

/** Throws a {@link LimitError} when `value` exceeds `max`. */
export function checkLimit(limit: string, value: number, max: number, detail = ''): void {
  if (value > max) throw new LimitError(limit, max, detail || `reached ${value}`);
}
