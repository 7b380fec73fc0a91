/** Wall time for "time taken" columns only (the CLI may read a clock; the simulator never does). */
export function nowMs(): number {
  return Number(process.hrtime.bigint() / 1_000_000n);
}
