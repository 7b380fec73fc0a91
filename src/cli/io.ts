/**
 * The CLI's contact with the outside world, injectable so tests can run the CLI in-process:
 * output streams, the working directory, whether stdout is a terminal, and the monotonic wall clock
 * used only to report how long a hunt took (never inside a simulation).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readonly isTerminal: boolean;
  readonly color: boolean;
  readFile(path: string): string;
  /** Writes the whole file or nothing (temporary file, then rename). */
  writeFileAtomic(path: string, text: string): void;
  /** Milliseconds from a monotonic clock, for "time taken" columns only. */
  elapsedMs(): number;
}

export function processIo(): CliIo {
  const start = process.hrtime.bigint();
  const isTerminal = process.stdout.isTTY === true;
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    isTerminal,
    color: isTerminal && !process.env['NO_COLOR'],
    readFile: (path) => readFileSync(path, 'utf8'),
    writeFileAtomic(path, text) {
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, text);
      renameSync(temporary, path);
    },
    elapsedMs: () => Number((process.hrtime.bigint() - start) / 1_000_000n),
  };
}
