import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opsimVersion } from '../src/sim/version.ts';

// DESIGN.md §3: none of these may appear in the simulator or the machines.
const forbidden = [
  'Math.random',
  'Date.now',
  'new Date(',
  'performance.now',
  'setTimeout',
  'setInterval',
  'setImmediate',
  'queueMicrotask',
  'randomUUID',
  'process.hrtime',
];

function sourceFiles(directory: string): string[] {
  let files: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  for (const entry of entries) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files = files.concat(sourceFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.test.ts')) files.push(path);
  }
  return files;
}

describe('determinism guard', () => {
  it('finds no ambient clock or randomness in src/sim or src/machines', () => {
    const files = [...sourceFiles('src/sim'), ...sourceFiles('src/machines')];
    expect(files.length).toBeGreaterThan(5);
    const hits = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => forbidden.filter((word) => line.includes(word)).map((word) => `${file}:${index + 1} uses ${word}`)),
    );
    expect(hits).toEqual([]);
  });

  it('would catch a planted use (the guard is not vacuous)', () => {
    const planted = 'const jitter = Math.random();';
    expect(forbidden.some((word) => planted.includes(word))).toBe(true);
  });

  it('stamps traces with the version in package.json', () => {
    expect(opsimVersion).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });
});
