import { describe, expect, it } from 'vitest';
import { machineInit } from '../../sim/machine-host.ts';
import { opsRequestMachine, type OpsPhase, type OpsRequestContext } from '../../machines/kubeblocks-opsrequest/opsrequest.machine.ts';
import type { OpsRequest } from '../../machines/kubeblocks-opsrequest/opsrequest.objects.ts';
import { userRequests, type RequestContext } from './requests.ts';

const its = 'kafka-kafka-broker';
const context = (fields: Partial<RequestContext>): RequestContext => ({
  clusterName: 'kafka',
  componentName: 'kafka-broker',
  itsName: its,
  spec: { replicas: 3, offlineInstances: [] },
  opsRequests: [],
  nextSequence: 0,
  replicasMax: 6,
  timeoutSeconds: null,
  ...fields,
});

function ops(name: string, phase: OpsPhase, cancel = false): OpsRequest {
  const lifecycle = machineInit<OpsRequestContext>(opsRequestMachine, { name, clusterName: 'kafka', type: 'HorizontalScaling' }).state;
  return {
    name,
    sequence: 0,
    createdTick: 0,
    spec: { clusterName: 'kafka', type: 'HorizontalScaling', horizontalScaling: [], cancel, force: false, enqueueOnForce: false, timeoutSeconds: null },
    status: { phase, lastConfiguration: null, startTick: null, completionTick: null, progress: '', components: [], conditions: [], atCompletion: null },
    lifecycle,
  };
}

describe('kafka-offline-online request vocabulary', () => {
  it('offers every generated pod offline (with and without replicaChanges) and plain scaling', () => {
    // Proves the generator's breadth on a fresh 3-broker cluster: 3×2 offline + scale in + scale out.
    const labels = userRequests(context({})).map((request) => request.label);
    expect(labels).toEqual([
      `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${its}-0]`,
      `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${its}-0] scaleIn.replicaChanges=1`,
      `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${its}-1]`,
      `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${its}-1] scaleIn.replicaChanges=1`,
      `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${its}-2]`,
      `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${its}-2] scaleIn.replicaChanges=1`,
      'user opsrequest.create hscale-1 scaleIn.replicaChanges=1',
      'user opsrequest.create hscale-1 scaleOut.replicaChanges=1',
    ]);
  });

  it('offers every offline instance back online, with and without replicaChanges, below the replica cap', () => {
    // Proves online requests are drawn from offlineInstances, and scale-out stops at replicasMax.
    const offline = userRequests(context({ spec: { replicas: 2, offlineInstances: [`${its}-2`] } })).map((request) => request.label);
    expect(offline).toContain(`user opsrequest.create hscale-1 scaleOut.offlineInstancesToOnline=[${its}-2]`);
    expect(offline).toContain(`user opsrequest.create hscale-1 scaleOut.offlineInstancesToOnline=[${its}-2] scaleOut.replicaChanges=1`);
    const capped = userRequests(context({ spec: { replicas: 6, offlineInstances: [`${its}-7`] }, replicasMax: 6 })).map((request) => request.label);
    expect(capped.some((label) => label.includes('scaleOut'))).toBe(false);
  });

  it('offers a Cancel for every ops at work (Creating or Running) not already cancelled', () => {
    // Proves the Cancel vocabulary: waiting, complete and already-cancelled ops get none.
    const opsRequests = [ops('a', 'Running'), ops('b', 'Succeed'), ops('c', 'Running', true), ops('d', 'Pending'), ops('e', 'Creating')];
    const requests = userRequests(context({ opsRequests }));
    expect(requests.filter((request) => request.op === 'opsrequest.cancel').map((request) => request.name)).toEqual(['a', 'e']);
  });
});
