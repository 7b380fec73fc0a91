import { describe, expect, it } from 'vitest';
import type { Engine } from '../longhorn/world.ts';
import { completeRebuild, isRebuildInProgress, nextModeMap } from './longhorn-engine.rules.ts';

// controller/engine_controller.go: replicaModeMap (RW/WO/ERR), rebuildNewReplica → startRebuilding,
// one rebuild per engine at a time.

function engine(addresses: string[], modes: Engine['replicaModeMap']): Engine {
  return {
    name: 'vol-1-e-0',
    volumeName: 'vol-1',
    nodeID: 'node-1',
    desireState: 'running',
    replicaAddresses: addresses,
    replicaModeMap: modes,
    salvageRequested: false,
    instance: { value: 'running', context: { started: true } },
  };
}

describe('engine replica mode map', () => {
  it('a freshly started engine reports RW for running replicas and ERR for the rest', () => {
    const result = nextModeMap(engine(['a', 'b'], []), true, (name) => name === 'a');
    expect(result.modeMap).toEqual([
      { replica: 'a', mode: 'RW' },
      { replica: 'b', mode: 'ERR' },
    ]);
  });

  it('adds one new replica at a time as WO and leaves the next one waiting', () => {
    const first = nextModeMap(engine(['a', 'b', 'c'], [{ replica: 'a', mode: 'RW' }]), false, () => true);
    expect(first.rebuildStarted).toBe('b');
    expect(first.modeMap).toEqual([
      { replica: 'a', mode: 'RW' },
      { replica: 'b', mode: 'WO' },
    ]);
    const busy = engine(['a', 'b', 'c'], first.modeMap);
    expect(isRebuildInProgress(busy)).toBe(true);
    expect(nextModeMap(busy, false, () => true).rebuildStarted).toBeNull();
    expect(completeRebuild(busy, 'b')).toEqual([
      { replica: 'a', mode: 'RW' },
      { replica: 'b', mode: 'RW' },
    ]);
  });

  it('a replica whose process died turns ERR', () => {
    const result = nextModeMap(engine(['a', 'b'], [{ replica: 'a', mode: 'RW' }, { replica: 'b', mode: 'RW' }]), false, (name) => name === 'a');
    expect(result.modeMap).toContainEqual({ replica: 'b', mode: 'ERR' });
  });
});
