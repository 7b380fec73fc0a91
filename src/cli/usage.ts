/** Bad usage or bad input: the CLI prints the one-line message and exits 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usageText = `usage: opsim <command> [options]

commands:
  list                                   the scenarios and their variants, one line each
  hunt <scenario> [--variant V] [--mode swarm|scripted|swarm-shrink] [--runs N] [--seed S] [--path P] [--json] [--out trace.json]
                                         hunt one variant (default buggy) with the swarm, or with
                                         shrinking fast-check scripts (--seed S --path P replays one),
                                         or with the swarm, then shrink its find as a script
  explore <scenario> [--variant V] [--max-states N] [--max-depth N] [--faults N] [--requests N] [--options JSON]
          [--interleavings all|canonical|canonical-quiet] [--json] [--out trace.json]
                                         exhaustive search of a small configuration: shortest path
                                         to a safety violation or a stuck state (deadlock, livelock);
                                         canonical* follow one system interleaving (under-approximation);
                                         without flags, the scenario's own small configuration
  replay <trace.json> [--json]           re-run a saved counterexample and print it
  demo [--runs N] [--seed S]             every scenario in both variants, one table

exit codes: 0 nothing found (or demo matched), 1 a property is violated (or demo disagreed), 2 bad usage or input
`;

/** Parses a non-negative integer option, or throws a {@link UsageError} naming the flag. */
export function parseCount(flag: string, text: string | undefined, fallback: number, min = 0): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${flag} must be a non-negative integer, got '${text}'`);
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`--${flag} is too large: '${text}'`);
  if (value < min) throw new UsageError(`--${flag} must be at least ${min}, got ${value}`);
  return value;
}
