import { describe, expect, it } from 'vitest';
import type { EventObject } from 'xstate';
import { machineInit, machineStep, type MachineState } from '../../sim/machine-host.ts';
import {
  longhornVolumeMachine,
  volumeEventTypes,
  volumeIgnored,
  type VolumeContext,
  type VolumeEvent,
} from './longhorn-volume.machine.ts';

// controller/volume_controller.go, reconcileAttachDetachStateMachine (reference §1.6) and
// ReconcileEngineReplicaState / ReconcileVolumeState (reference §1.7).

function at(state: string, robustness: string, currentNodeID = ''): MachineState<VolumeContext> {
  return { value: { state, robustness }, context: { volumeName: 'vol-1', currentNodeID } };
}

function synced(desiredNodeID: string, closed = false, opened = false): VolumeEvent {
  return { type: 'volume.synced', desiredNodeID, resourcesClosed: closed, resourcesOpened: opened, migrating: false };
}

function step(state: MachineState<VolumeContext>, event: VolumeEvent) {
  return machineStep<VolumeContext>(longhornVolumeMachine, state, event as EventObject);
}

function effects(result: ReturnType<typeof step>): string[] {
  return result.effects.flatMap((effect) => (effect.kind === 'effect' ? [effect.type] : []));
}

function valueOf(result: ReturnType<typeof step>): { state: string; robustness: string } {
  return result.state.value as { state: string; robustness: string };
}

describe('longhorn volume attach/detach state machine', () => {
  it('every state of both regions handles or explicitly ignores every event, never both', () => {
    const config = longhornVolumeMachine.config.states as Record<string, { states: Record<string, { on?: Record<string, unknown> }> }>;
    for (const region of ['state', 'robustness']) {
      for (const [name, node] of Object.entries(config[region]?.states ?? {})) {
        const handled = Object.keys(node.on ?? {});
        const ignored = volumeIgnored[`${region}.${name}`] ?? [];
        expect(ignored.filter((type) => handled.includes(type)), `${region}.${name} both handles and ignores`).toEqual([]);
        expect([...handled, ...ignored].sort(), `${region}.${name}`).toEqual([...volumeEventTypes].sort());
      }
    }
  });

  it('steps every state × event without error, and an ignored event keeps the snapshot', () => {
    const states = ['creating', 'detached', 'attaching', 'attached', 'detaching', 'deleting'];
    const robustnesses = ['healthy', 'degraded', 'faulted', 'unknown'];
    const events: VolumeEvent[] = [
      synced(''),
      synced('node-1', true, true),
      { type: 'volume.deletionRequested' },
      { type: 'volume.engineDied' },
      { type: 'volume.salvageNeeded' },
      { type: 'robustness.engineUnknown' },
      { type: 'robustness.closing' },
      { type: 'robustness.counted', healthyCount: 3, numberOfReplicas: 3 },
      { type: 'robustness.salvageNeeded' },
      { type: 'robustness.recovered' },
    ];
    for (const state of states) {
      for (const robustness of robustnesses) {
        for (const event of events) {
          const before = at(state, robustness);
          const result = step(before, event);
          const ignoredHere = (volumeIgnored[`state.${state}`] ?? []).includes(event.type) && (volumeIgnored[`robustness.${robustness}`] ?? []).includes(event.type);
          if (ignoredHere) expect(result.state, `${state}/${robustness} ${event.type}`).toBe(before);
        }
      }
    }
  });

  it('a new volume starts creating with robustness unknown, and goes detaching then detached with no node', () => {
    const start = machineInit<VolumeContext>(longhornVolumeMachine, { volumeName: 'vol-1' }).state;
    expect(start.value).toEqual({ state: 'creating', robustness: 'unknown' });
    const detaching = step(start, synced(''));
    expect(valueOf(detaching).state).toBe('detaching');
    expect(effects(detaching)).toContain('closeResources');
    const detached = step(detaching.state, synced('', true));
    expect(valueOf(detached).state).toBe('detached');
    expect(effects(detached)).toContain('recordDetached');
  });

  it('a creating volume with spec.nodeID set has no row and stays creating', () => {
    const result = step(at('creating', 'unknown'), synced('node-1'));
    expect(result.changed).toBe(false);
  });

  it('detached + spec.nodeID opens the resources and goes attaching', () => {
    const result = step(at('detached', 'unknown'), synced('node-1'));
    expect(valueOf(result).state).toBe('attaching');
    expect(effects(result)).toEqual(['openResources']);
  });

  it('attaching stays attaching until the resources are opened (the #10385 gate), then records the node', () => {
    const waiting = step(at('attaching', 'unknown'), synced('node-1', false, false));
    expect(valueOf(waiting).state).toBe('attaching');
    const attached = step(at('attaching', 'unknown'), synced('node-1', false, true));
    expect(valueOf(attached).state).toBe('attached');
    expect(attached.state.context.currentNodeID).toBe('node-1');
    expect(effects(attached)).toContain('recordAttached');
  });

  it('attached detaches when spec.nodeID is cleared or moves to another node (not migrating)', () => {
    expect(valueOf(step(at('attached', 'healthy', 'node-1'), synced(''))).state).toBe('detaching');
    expect(valueOf(step(at('attached', 'healthy', 'node-1'), synced('node-2'))).state).toBe('detaching');
    const stable = step(at('attached', 'healthy', 'node-1'), synced('node-1'));
    expect(valueOf(stable).state).toBe('attached');
  });

  it('detaching becomes detached only once closed, clearing currentNodeID', () => {
    const waiting = step(at('detaching', 'unknown', 'node-1'), synced('', false));
    expect(valueOf(waiting).state).toBe('detaching');
    const done = step(at('detaching', 'unknown', 'node-1'), synced('', true));
    expect(valueOf(done).state).toBe('detached');
    expect(done.state.context.currentNodeID).toBe('');
  });

  it('a volume that needs salvage detaches first (status.currentNodeID = "")', () => {
    expect(valueOf(step(at('attaching', 'faulted'), { type: 'volume.salvageNeeded' })).state).toBe('detaching');
    expect(valueOf(step(at('attached', 'faulted', 'node-1'), { type: 'volume.salvageNeeded' })).state).toBe('detaching');
  });
});

describe('longhorn volume robustness', () => {
  it('healthy when the healthy count reaches numberOfReplicas, degraded below it, unchanged at zero', () => {
    expect(valueOf(step(at('attached', 'unknown'), { type: 'robustness.counted', healthyCount: 3, numberOfReplicas: 3 })).robustness).toBe('healthy');
    const degraded = step(at('attached', 'healthy'), { type: 'robustness.counted', healthyCount: 2, numberOfReplicas: 3 });
    expect(valueOf(degraded).robustness).toBe('degraded');
    expect(effects(degraded)).toContain('recordDegraded');
    expect(step(at('attached', 'healthy'), { type: 'robustness.counted', healthyCount: 0, numberOfReplicas: 3 }).changed).toBe(false);
  });

  it('closing resets healthy or degraded to unknown but leaves faulted alone', () => {
    expect(valueOf(step(at('detaching', 'healthy'), { type: 'robustness.closing' })).robustness).toBe('unknown');
    expect(valueOf(step(at('detaching', 'degraded'), { type: 'robustness.closing' })).robustness).toBe('unknown');
    expect(step(at('detaching', 'faulted'), { type: 'robustness.closing' }).changed).toBe(false);
  });

  it('salvage-needed faults the volume; only recovery (auto-salvage) leaves faulted', () => {
    expect(valueOf(step(at('attached', 'degraded'), { type: 'robustness.salvageNeeded' })).robustness).toBe('faulted');
    expect(step(at('detached', 'faulted'), { type: 'robustness.counted', healthyCount: 3, numberOfReplicas: 3 }).changed).toBe(false);
    expect(valueOf(step(at('detached', 'faulted'), { type: 'robustness.recovered' })).robustness).toBe('unknown');
  });

  it('an engine that died while attached faults the volume and starts a detach', () => {
    const result = step(at('attached', 'healthy', 'node-1'), { type: 'volume.engineDied' });
    expect(valueOf(result)).toEqual({ state: 'detaching', robustness: 'faulted' });
    expect(effects(result)).toContain('recordEngineDied');
  });
});
