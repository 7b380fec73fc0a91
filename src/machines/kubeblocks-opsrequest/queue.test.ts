import { describe, expect, it } from 'vitest';
import { cancelledByControllerMessage, dequeueOps, enqueueOps, needsClusterPhaseCheck, opsRequestQueueLimitSize, type OpsRecorder } from './queue.ts';

const hscale = (name: string) => ({ name, type: 'HorizontalScaling' as const, force: false, enqueueOnForce: false });
const entry = (name: string, inQueue: boolean): OpsRecorder => ({ name, type: 'HorizontalScaling', inQueue, queueBySelf: false });

function enqueued(queue: readonly OpsRecorder[], name: string) {
  const result = enqueueOps(queue, hscale(name));
  if (result.kind !== 'ok') throw new Error(result.message);
  return result;
}

describe('OpsRequest queue (queue_util.go, kubeblocks.md §3.2)', () => {
  it('the first ops runs at once; a second one waits behind it', () => {
    // Proves enqueueOpsRequestToClusterAnnotation sets inQueue from existOtherRunningOps.
    const first = enqueued([], 'hscale-1');
    expect(first.recorder.inQueue).toBe(false);
    const second = enqueued(first.queue, 'hscale-2');
    expect(second.recorder.inQueue).toBe(true);
    expect(second.queue).toEqual([entry('hscale-1', false), entry('hscale-2', true)]);
  });

  it('a waiting ops is marked to run once nothing else runs, but stays Pending for this reconcile', () => {
    // Proves the default branch: the annotation flips to inQueue=false while the returned recorder is the old one.
    const result = enqueued([entry('hscale-2', true)], 'hscale-2');
    expect(result.queue).toEqual([entry('hscale-2', false)]);
    expect(result.recorder.inQueue).toBe(true);
    expect(enqueued(result.queue, 'hscale-2').recorder.inQueue).toBe(false);
  });

  it('a waiting ops keeps waiting while another runs', () => {
    // Proves the existOtherRunningOps guard in the default branch.
    const queue = [entry('hscale-1', false), entry('hscale-2', true)];
    expect(enqueued(queue, 'hscale-2').queue).toBe(queue);
  });

  it('force skips the queue unless enqueueOnForce', () => {
    // Proves inQueue() returns false for a forced ops without enqueueOnForce.
    const queue = [entry('hscale-1', false)];
    const forced = enqueueOps(queue, { ...hscale('hscale-2'), force: true });
    expect(forced.kind === 'ok' && forced.recorder.inQueue).toBe(false);
    const queued = enqueueOps(queue, { ...hscale('hscale-2'), force: true, enqueueOnForce: true });
    expect(queued.kind === 'ok' && queued.recorder.inQueue).toBe(true);
  });

  it('refuses a 21st entry with a Fatal error', () => {
    // Proves opsRequestQueueLimitSize = 20.
    const full = Array.from({ length: opsRequestQueueLimitSize }, (_, index) => entry(`ops-${index}`, index > 0));
    expect(enqueueOps(full, hscale('one-more'))).toEqual({ kind: 'fatal', message: 'The opsRequest queue is limited to a size of 20' });
  });

  it('a completed ops leaves the queue; a failed head cancels only the waiting ones behind it', () => {
    // Proves DequeueOpsRequestInClusterAnnotation's two branches.
    const queue = [entry('a', false), entry('b', true), entry('c', false), entry('d', true)];
    expect(dequeueOps(queue, 'a', false)).toEqual({ queue: queue.slice(1), cancelled: [] });
    expect(dequeueOps(queue, 'a', true)).toEqual({ queue: [entry('c', false)], cancelled: ['b', 'd'] });
    expect(dequeueOps(queue, 'c', true)).toEqual({ queue: [entry('a', false), entry('b', true), entry('d', true)], cancelled: [] });
    expect(cancelledByControllerMessage('a')).toBe('Cancelled by controller due to the failure of previous OpsRequest "a"');
  });

  it('checks the cluster phase only for an empty queue or a waiting head', () => {
    // Proves ValidateClusterPhase's needCheck rule.
    expect(needsClusterPhaseCheck([], 'a')).toBe(true);
    expect(needsClusterPhaseCheck([entry('a', true)], 'a')).toBe(true);
    expect(needsClusterPhaseCheck([entry('a', false)], 'a')).toBe(false);
    expect(needsClusterPhaseCheck([entry('x', false), entry('a', true)], 'a')).toBe(false);
  });
});
