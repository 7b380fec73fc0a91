/**
 * Progress while hunts run: a bar on a terminal (cli-progress, on stderr so stdout stays clean for
 * --json), nothing per run otherwise (callers print plain lines).
 */
import cliProgress from 'cli-progress';
import type { CliIo } from './io.ts';

export interface Progress {
  update(runsDone: number, found: boolean): void;
  stop(): void;
}

export function startProgress(io: CliIo, label: string, runs: number): Progress {
  if (!io.isTerminal) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label.padEnd(44)} [{bar}] {value}/{total} runs {status}`, stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(runs, 0, { status: '' });
  return {
    update(runsDone, found) {
      bar.update(runsDone, { status: found ? 'found' : '' });
    },
    stop() {
      bar.stop();
    },
  };
}
