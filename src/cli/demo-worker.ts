/**
 * A demo worker thread: hunts the (scenario, variant) jobs it is sent, from the registry, and posts
 * back the parts of each result the demo table needs (never the trace, to keep messages small).
 */
import { parentPort } from 'node:worker_threads';
import { scenarioByName } from '../scenarios/registry.ts';
import { runDemoJob, type DemoJob } from './demo-job.ts';

if (parentPort === null) throw new Error('demo-worker.ts must run as a worker thread');
const port = parentPort;
port.on('message', (job: DemoJob) => {
  const scenario = scenarioByName(job.scenario);
  const variant = scenario?.variants.find((candidate) => candidate.name === job.variant);
  if (!scenario || !variant) throw new Error(`demo worker: unknown ${job.scenario}/${job.variant}`);
  port.postMessage(runDemoJob(scenario, variant, job));
});
