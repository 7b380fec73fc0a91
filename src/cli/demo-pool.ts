/**
 * Runs demo jobs on worker threads (one per core by default), so the demo uses both cores of the
 * machine. Workers load the scenario registry themselves; results come back in job order.
 */
import { Worker } from 'node:worker_threads';
import type { DemoJob, DemoOutcome } from './demo-job.ts';

function workerUrl(): URL {
  // Under tsx this module is .ts; in the built package it is .js: the worker sits beside it either way.
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./demo-worker${extension}`, import.meta.url);
}

export async function runDemoPool(jobs: readonly DemoJob[], workers: number, onDone: (outcome: DemoOutcome) => void): Promise<DemoOutcome[]> {
  const outcomes: (DemoOutcome | undefined)[] = new Array(jobs.length);
  let next = 0;
  const runWorker = () =>
    new Promise<void>((resolve, reject) => {
      const url = workerUrl();
      // Under tsx (in the repository) the worker registers tsx's loader before it imports TypeScript.
      const worker = url.pathname.endsWith('.ts')
        ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`, { eval: true })
        : new Worker(url);
      let current = -1;
      const feed = () => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => resolve());
          return;
        }
        current = next++;
        worker.postMessage(jobs[current]);
      };
      worker.on('message', (outcome: DemoOutcome) => {
        outcomes[current] = outcome;
        onDone(outcome);
        feed();
      });
      worker.on('error', reject);
      feed();
    });
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, runWorker));
  return outcomes.map((outcome, index) => {
    if (outcome === undefined) throw new Error(`demo job ${index} produced no result`);
    return outcome;
  });
}
