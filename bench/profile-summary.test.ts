import { describe, expect, it } from 'vitest';
import { profileSummaryText, summarizeProfile, withoutFrames, type CallFrame, type CpuProfile, type Locate } from './profile-summary.ts';

const frame = (functionName: string, url: string, lineNumber = 0, columnNumber = 0): CallFrame => ({ functionName, url, lineNumber, columnNumber });

// root ─ main (a.ts) ┬ hot (a.ts, col 10)      ─ leaf (b.ts)
//                    └ hot (a.ts, col 10) again  (a second call path of the same function)
//        └ (garbage collector)
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)', ''), children: [2, 6] },
    { id: 2, callFrame: frame('main', 'file:///repo/src/a.ts', 0, 1), children: [3, 5] },
    { id: 3, callFrame: frame('hot', 'file:///repo/src/a.ts', 0, 10), children: [4] },
    { id: 4, callFrame: frame('', 'file:///repo/src/b.ts', 0, 3) },
    { id: 5, callFrame: frame('hot', 'file:///repo/src/a.ts', 0, 10) },
    { id: 6, callFrame: frame('(garbage collector)', '') },
  ],
  samples: [3, 3, 4, 5, 6, 2, 3],
  timeDeltas: [100, 200, 300, 400, 500, 600, 900],
};

// Column 10 of a.ts is line 42 of the source, column 1 is line 7; b.ts has no source map.
const locate: Locate = (url, _line, column) => (url.endsWith('/a.ts') ? { file: url, line: column === 10 ? 42 : 7 } : null);

describe('summarizeProfile', () => {
  const summary = summarizeProfile(profile, locate, '/repo');

  it('sums self time per function over its call paths, largest first, with source places', () => {
    expect(summary.totalMs).toBe(3);
    expect(summary.samples).toBe(7);
    expect(summary.functions.map((row) => [row.name, row.where, row.selfMs])).toEqual([
      ['hot', 'src/a.ts:42', 1.6],
      ['main', 'src/a.ts:7', 0.6],
      ['(garbage collector)', '', 0.5],
      ['(anonymous)', 'src/b.ts:1', 0.3],
    ]);
    expect(summary.functions[0]?.share).toBeCloseTo(1.6 / 3, 10);
  });

  it('sums self time per file', () => {
    expect(summary.files.map((row) => [row.file, row.selfMs])).toEqual([
      ['src/a.ts', 2.2],
      ['(garbage collector)', 0.5],
      ['src/b.ts', 0.3],
    ]);
  });

  it('prints the top rows as percentages', () => {
    const text = profileSummaryText(summary, 1);
    expect(text).toContain(' 53.3%  hot  src/a.ts:42');
    expect(text).toContain(' 73.3%  src/a.ts');
    expect(text).not.toContain('main');
  });

  it('refuses a profile whose samples and time deltas disagree', () => {
    expect(() => summarizeProfile({ ...profile, timeDeltas: [1] }, locate, '/repo')).toThrow(/7 samples but 1 time deltas/);
  });
});

describe('withoutFrames', () => {
  it('drops the samples inside a matching frame and below it', () => {
    const kept = withoutFrames(profile, (candidate) => candidate.functionName === 'hot');
    expect(kept.samples).toEqual([6, 2]);
    expect(kept.timeDeltas).toEqual([500, 600]);
    expect(summarizeProfile(kept, locate, '/repo').totalMs).toBe(1.1);
  });
});
