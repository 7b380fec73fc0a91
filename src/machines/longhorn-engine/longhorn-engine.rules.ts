/**
 * Engine rules (reference §1.2, §1.8): the replica mode map a running engine reports, and the
 * one-rebuild-at-a-time rule of controller/engine_controller.go (rebuildNewReplica / startRebuilding).
 */
import type { Engine, ReplicaMode, ReplicaModeEntry } from '../longhorn/world.ts';

export function modeOf(engine: Engine, replica: string): ReplicaMode | undefined {
  return engine.replicaModeMap.find((entry) => entry.replica === replica)?.mode;
}

/** A rebuild is in progress: a `WO` entry, or an address in the spec map not yet in the mode map. */
export function isRebuildInProgress(engine: Engine): boolean {
  return engine.replicaModeMap.some((entry) => entry.mode === 'WO');
}

/**
 * The mode map after one engine sync:
 * - the replicas the engine started with are `RW` while their process runs (`fresh`);
 * - an entry whose replica process is gone becomes `ERR` (and stays, until the volume controller
 *   drops the replica from the address map);
 * - a replica added to a running engine is rebuilt: `WO`, one per engine at a time; it turns `RW`
 *   when its rebuild completes (a timer).
 */
export function nextModeMap(
  engine: Engine,
  fresh: boolean,
  replicaRunning: (replica: string) => boolean,
): { readonly modeMap: readonly ReplicaModeEntry[]; readonly rebuildStarted: string | null } {
  const entries: ReplicaModeEntry[] = [];
  let rebuildStarted: string | null = null;
  let rebuilding = engine.replicaModeMap.some((entry) => entry.mode === 'WO' && engine.replicaAddresses.includes(entry.replica));
  for (const replica of engine.replicaAddresses) {
    const previous = modeOf(engine, replica);
    const running = replicaRunning(replica);
    if (fresh) {
      entries.push({ replica, mode: running ? 'RW' : 'ERR' });
    } else if (previous !== undefined) {
      entries.push({ replica, mode: running ? previous : 'ERR' });
    } else if (running && !rebuilding) {
      entries.push({ replica, mode: 'WO' });
      rebuilding = true;
      rebuildStarted = replica;
    }
  }
  return { modeMap: entries, rebuildStarted };
}

/** The rebuild of `replica` finished: `WO` becomes `RW`. */
export function completeRebuild(engine: Engine, replica: string): readonly ReplicaModeEntry[] {
  return engine.replicaModeMap.map((entry) => (entry.replica === replica && entry.mode === 'WO' ? { replica, mode: 'RW' as const } : entry));
}

export function sameModeMap(left: readonly ReplicaModeEntry[], right: readonly ReplicaModeEntry[]): boolean {
  return left.length === right.length && left.every((entry, index) => entry.replica === right[index]?.replica && entry.mode === right[index]?.mode);
}
