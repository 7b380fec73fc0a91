import { describe, expect, it } from 'vitest';
import { hunt } from '../sim/swarm.ts';
import { toyScenario } from '../sim/testing/toy-scenario.ts';
import { renderMermaid } from './mermaid.ts';
import { createPaint, plainPaint } from './paint.ts';
import { renderReport } from './report.ts';
import { renderTimeline } from './timeline.ts';

const deadlock = toyScenario.variants.find((variant) => variant.name === 'deadlock')!;
const trace = hunt(toyScenario, deadlock, { runs: 200, seed: 1 }).trace!;

describe('readable reports', () => {
  it('opens the report with the headline sentence and ends with the replay command', () => {
    const text = renderReport(trace, plainPaint, 'npm run opsim -- replay x.json');
    expect(text.split('\n')[0]).toBe(trace.outcome.violation!.headline);
    expect(text.trimEnd().endsWith('replay: npm run opsim -- replay x.json')).toBe(true);
  });

  it('draws one lane per object that changed phase, with the fault or request that caused each change', () => {
    const timeline = renderTimeline(trace, plainPaint);
    const header = timeline.split('\n')[0]!;
    expect(header).toContain('Process p0');
    expect(header).toContain('Process p1');
    expect(timeline).toMatch(/idle→waiting\s+│.*│ user work\.request p[01]/);
    expect(timeline).toContain('environment settles');
  });

  it('renders the same counterexample as a Mermaid sequence diagram', () => {
    const mermaid = renderMermaid(trace);
    expect(mermaid.startsWith('sequenceDiagram\n')).toBe(true);
    expect(mermaid).toContain('participant L0 as Process p');
    expect(mermaid).toMatch(/env->>L\d: t0 user work\.request p[01]/);
    expect(mermaid).toMatch(/Note over L\d: t0 idle → waiting/);
  });

  it('colours only when asked (terminal without NO_COLOR) and never otherwise', () => {
    expect(renderReport(trace, plainPaint, null)).not.toMatch(/\u001b\[/);
    expect(renderReport(trace, createPaint(true), null)).toMatch(/\u001b\[/);
  });
});
