import { describe, expect, it } from 'vitest';
import type { EventObject } from 'xstate';
import { machineStep, type MachineState } from '../../sim/machine-host.ts';
import { runSwarm } from '../../sim/swarm.ts';
import { longhornNodeUpgradeScenario } from '../../scenarios/longhorn-node-upgrade/index.ts';
import { longhornEngineMachine } from '../longhorn-engine/longhorn-engine.machine.ts';
import { longhornReplicaMachine } from '../longhorn-replica/longhorn-replica.machine.ts';
import { longhornVolumeMachine, type VolumeEvent } from '../longhorn-volume/longhorn-volume.machine.ts';
import { longhornSystemActions } from './actions.ts';
import type { ImObservation, InstanceEvent, ProcessObservation } from './instance.machine.ts';
import { cachedStep, instanceEventCode, stepCache, volumeEventCode } from './machine-steps.ts';
import type { LonghornWorld } from './world.ts';

/** Every world a few swarm runs of the buggy and the fixed variant pass through. */
function worldsOfRuns(): LonghornWorld[] {
  const worlds: LonghornWorld[] = [];
  for (const variant of longhornNodeUpgradeScenario.variants.slice(0, 2)) {
    const model = variant.model;
    // The run asks a split model for its system moves once per step.
    const spy = { ...model, systemActions: (world: LonghornWorld) => (worlds.push(world), longhornSystemActions(world)) };
    for (const seed of [1, 2, 3, 4]) runSwarm(spy as typeof model, { scenario: longhornNodeUpgradeScenario.name, variant: variant.name, profile: variant.profile, seed, swarm: longhornNodeUpgradeScenario.swarm }, false);
  }
  return worlds;
}

const ims: readonly ImObservation[] = ['missing', 'unknown', 'stopped', 'error', 'starting', 'running'];
const processes: readonly ProcessObservation[] = ['missing', 'starting', 'running', 'stopping', 'stopped', 'error'];
const instanceEvents: readonly InstanceEvent[] = [
  { type: 'instance.processDeleted' },
  ...ims.flatMap((im) => processes.flatMap((process) => [true, false].map((nodeMatches) => ({ type: 'instance.observed' as const, im, process, nodeMatches })))),
];

function volumeEvents(nodes: readonly string[]): VolumeEvent[] {
  const events: VolumeEvent[] = [];
  for (const desiredNodeID of ['', ...nodes]) {
    for (let flags = 0; flags < 8; flags++) events.push({ type: 'volume.synced', desiredNodeID, resourcesClosed: (flags & 1) !== 0, resourcesOpened: (flags & 2) !== 0, migrating: (flags & 4) !== 0 });
  }
  for (let healthyCount = 0; healthyCount <= 3; healthyCount++) events.push({ type: 'robustness.counted', healthyCount, numberOfReplicas: 3 });
  for (const type of ['volume.deletionRequested', 'volume.engineDied', 'volume.salvageNeeded', 'robustness.engineUnknown', 'robustness.closing', 'robustness.salvageNeeded', 'robustness.recovered'] as const) events.push({ type });
  return events;
}

/** Distinct state objects in order of first appearance. */
function distinct(states: readonly MachineState<unknown>[]): MachineState<unknown>[] {
  return [...new Set(states)];
}

describe('cached Longhorn machine steps', () => {
  const worlds = worldsOfRuns();

  it('give distinct codes to distinct events', () => {
    // Proves: no two different events share a code, so a cached step is never served for another event.
    const instanceCodes = instanceEvents.map(instanceEventCode);
    expect(new Set(instanceCodes).size).toBe(instanceEvents.length);
    expect(instanceEventCode({ type: 'instance.createFailed', message: 'x' })).toBeNull();
    const events = volumeEvents(['node-1', 'node-10', 'node-2']);
    expect(new Set(events.map(volumeEventCode)).size).toBe(events.length);
  });

  it('equal the host step for every state the runs reach and every event', () => {
    // Proves: the cache returns what machineStep returns (the same next state, effects and the caller's own object when ignored), hit or miss.
    const replicaStates = distinct(worlds.flatMap((world) => world.replicas.map((replica) => replica.instance)));
    const engineStates = distinct(worlds.flatMap((world) => world.engines.map((engine) => engine.instance)));
    const volumeStates = distinct(worlds.flatMap((world) => world.volumes.map((volume) => volume.machine)));
    expect(replicaStates.length).toBeGreaterThan(5);
    expect(volumeStates.length).toBeGreaterThan(5);
    const cases = [
      { machine: longhornReplicaMachine, states: replicaStates, events: instanceEvents as readonly EventObject[], code: (event: EventObject) => instanceEventCode(event as InstanceEvent) as number },
      { machine: longhornEngineMachine, states: engineStates, events: instanceEvents as readonly EventObject[], code: (event: EventObject) => instanceEventCode(event as InstanceEvent) as number },
      { machine: longhornVolumeMachine, states: volumeStates, events: volumeEvents(['node-1', 'node-2', 'node-3', 'node-4']) as readonly EventObject[], code: (event: EventObject) => volumeEventCode(event as VolumeEvent) },
    ];
    let changed = 0;
    for (const { machine, states, events, code } of cases) {
      const cache = stepCache(machine);
      for (let pass = 0; pass < 2; pass++) {
        for (const state of states) {
          for (const event of events) {
            const cached = cachedStep(cache, state, code(event), event);
            const direct = machineStep(machine, state, event);
            expect(cached).toEqual(direct);
            expect(cached.state === state).toBe(direct.state === state);
            if (cached.changed) changed++;
          }
        }
      }
    }
    expect(changed).toBeGreaterThan(100);
  });
});
