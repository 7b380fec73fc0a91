/**
 * The `opsim` command line: dispatch, and the one rule for bad input — a clear one-line message on
 * stderr and exit code 2, never a stack trace.
 */
import type { Scenario } from '../sim/scenario.ts';
import { scenarios as registered } from '../scenarios/registry.ts';
import { demoCommand, demoCommandPooled } from './demo-command.ts';
import { exploreCommand } from './explore-command.ts';
import { huntCommand } from './hunt-command.ts';
import type { CliIo } from './io.ts';
import { listCommand } from './list-command.ts';
import { replayCommand } from './replay-command.ts';
import { UsageError, usageText } from './usage.ts';

/** Extra verbs other modules add (e.g. `explore`), with the same signature as the built-in ones. */
export type CommandHandler = (argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]) => number;
const extraCommands = new Map<string, CommandHandler>();

export function registerCommand(name: string, handler: CommandHandler): void {
  extraCommands.set(name, handler);
}

function dispatch(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[]): number {
  const [command, ...rest] = argv;
  switch (command) {
    case 'list':
      return listCommand(io, scenarios);
    case 'hunt':
      return huntCommand(rest, io, scenarios);
    case 'replay':
      return replayCommand(rest, io, scenarios);
    case 'demo':
      return demoCommand(rest, io, scenarios);
    case 'explore':
      return exploreCommand(rest, io, scenarios);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(usageText);
      return command === undefined ? 2 : 0;
    default: {
      const extra = extraCommands.get(command);
      if (extra) return extra(rest, io, scenarios);
      throw new UsageError(`unknown command '${command}'; commands: list, hunt, replay, explore, demo${[...extraCommands.keys()].map((name) => `, ${name}`).join('')}`);
    }
  }
}

/**
 * Runs the CLI as the executable does: `demo` over the registered scenarios uses worker threads;
 * everything else is {@link main}.
 */
export async function mainAsync(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv[0] !== 'demo') return main(argv, io, registered);
  try {
    return await demoCommandPooled(argv.slice(1), io, registered);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`opsim: ${(error as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    throw error;
  }
}

/** Runs the CLI and returns its exit code. */
export function main(argv: readonly string[], io: CliIo, scenarios: readonly Scenario[] = registered): number {
  try {
    return dispatch(argv, io, scenarios);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`opsim: ${(error as Error).message.split('\n')[0]}\n`);
      return 2;
    }
    throw error;
  }
}

// node:util parseArgs throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown or malformed flags.
function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
