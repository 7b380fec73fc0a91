/**
 * The actions of a Longhorn world and how each is applied: controller reconciles (one per dirty
 * key, the work queue), timers, the scheduler's binds, the environment's moves, and time.
 */
import { assert, unreachable } from '../../sim/assert.ts';
import { clockAdvance, clockFire } from '../../sim/clock.ts';
import type { TimeAction } from '../../sim/model.ts';
import { completeRebuild } from '../longhorn-engine/longhorn-engine.rules.ts';
import { applyFault, applyUpgradeStep, applyWorkloadOp, type FaultOp, type ReplacementNaming, type UpgradeOp, type WorkloadOp } from './environment.ts';
import { reconcileEngine, reconcileReplica } from './instance-controller.ts';
import { bindPod, reconcilePod, reconcileVolumeAttachment, reconcileWorkload } from './kube.ts';
import { reconcileInstanceManager, reconcileNode } from './node-controller.ts';
import { reconcileVolume } from './volume-controller.ts';
import type { LonghornTimer, LonghornWorld } from './world.ts';
import { byName, clearDirty, markDirty, markNodeWatchers, putEngine, updateWorld, upsert } from './world-ops.ts';

export { idleTicks, longhornActions } from './actions.ts';

export type LonghornAction =
  | { readonly kind: 'controller' | 'kubelet'; readonly label: string; readonly key: string }
  | { readonly kind: 'timer'; readonly label: string; readonly timerId: string }
  | { readonly kind: 'scheduler'; readonly label: string; readonly pod: string; readonly node: string }
  | { readonly kind: 'user'; readonly label: string; readonly op: UpgradeOp | WorkloadOp; readonly target: string }
  | { readonly kind: 'fault'; readonly label: string; readonly op: FaultOp; readonly target: string }
  | TimeAction;

function reconcile(world: LonghornWorld, key: string): LonghornWorld {
  const slash = key.indexOf('/');
  assert(slash > 0, `controller key ${key} must be Kind/name`);
  const kind = key.slice(0, slash);
  const name = key.slice(slash + 1);
  const next = clearDirty(world, key);
  switch (kind) {
    case 'Volume':
      return reconcileVolume(next, name);
    case 'Replica':
      return reconcileReplica(next, name);
    case 'Engine':
      return reconcileEngine(next, name);
    case 'Node':
      return reconcileNode(next, name);
    case 'InstanceManager':
      return reconcileInstanceManager(next, name);
    case 'Workload':
      return reconcileWorkload(next, name);
    case 'Pod':
      return reconcilePod(next, name);
    case 'VolumeAttachment':
      return reconcileVolumeAttachment(next, name);
    default:
      throw new Error(`unknown controller kind ${kind} in key ${key}`);
  }
}

function fireTimer(world: LonghornWorld, id: string): LonghornWorld {
  const fired = clockFire(world.clock, id);
  const next: LonghornWorld = updateWorld(world, { clock: fired.clock });
  const payload: LonghornTimer = fired.timer.payload;
  switch (payload.kind) {
    case 'requeue':
      return markDirty(next, payload.key);
    case 'wake':
      return next;
    case 'rebuild':
      return finishRebuild(next, payload.engine, payload.replica);
    case 'process.start': {
      const process = next.processes.find((candidate) => candidate.name === payload.process);
      if (process === undefined || process.state !== 'starting') return next;
      const processes = next.processes.map((candidate) => (candidate === process ? { ...process, state: 'running' as const } : candidate));
      const replica = byName(next.replicas, payload.process);
      const keys = replica === undefined ? [`Engine/${payload.process}`] : [`Replica/${replica.name}`, `Engine/${replica.engineName}`];
      return markDirty(updateWorld(next, { processes }), ...keys);
    }
    case 'im.start': {
      const node = byName(next.nodes, payload.node);
      if (node === undefined || !node.present || node.imPod !== 'starting') return next;
      return markNodeWatchers(updateWorld(next, { nodes: upsert(next.nodes, { ...node, imPod: 'running' }) }), node.name);
    }
    default:
      return unreachable(payload, 'timer payload');
  }
}

/** A rebuild finished: the replica turns RW if it is still WO and its process still runs. */
function finishRebuild(world: LonghornWorld, engineName: string, replica: string): LonghornWorld {
  const engine = byName(world.engines, engineName);
  if (engine === undefined) return world;
  const stillRunning = world.processes.some((process) => process.name === replica && process.state === 'running');
  const wo = engine.replicaModeMap.some((entry) => entry.replica === replica && entry.mode === 'WO');
  if (!stillRunning || !wo) return markDirty(world, `Engine/${engineName}`);
  const next = putEngine(world, { ...engine, replicaModeMap: completeRebuild(engine, replica) });
  return updateWorld(next, { seen: { ...next.seen, rebuildCompleted: true } });
}

/** Applies one action; pure. */
export function applyLonghornAction(world: LonghornWorld, action: LonghornAction, naming: ReplacementNaming): LonghornWorld {
  switch (action.kind) {
    case 'controller':
    case 'kubelet':
      return reconcile(world, action.key);
    case 'timer':
      return fireTimer(world, action.timerId);
    case 'scheduler':
      return bindPod(world, action.pod, action.node);
    case 'user':
      if (action.op === 'scale-down' || action.op === 'scale-up') return applyWorkloadOp(world, action.op, action.target);
      return applyUpgradeStep(world, action.op, action.target, naming);
    case 'fault':
      return applyFault(world, action.op, action.target);
    case 'time':
      return updateWorld(world, { clock: clockAdvance(world.clock, action.to) });
    default:
      return unreachable(action, 'action');
  }
}
