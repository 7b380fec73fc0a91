/**
 * The environment's moves in a Longhorn world: the rolling node upgrade (cordon → drain → replace
 * → rejoin), workload scale-down/up, and faults (node down/up, instance-manager restart). The
 * order of nodes, the timing of every step and the interleaving with controllers are the swarm's
 * choice; nothing here follows a script.
 */
import { clockSchedule } from '../../sim/clock.ts';
import { unreachable } from '../../sim/assert.ts';
import { evictionRefusedMessage } from '../../sim/cluster/nodes.ts';
import type { KubeNode, LonghornWorld, Workload } from './world.ts';
import { byName, clearError, markDirty, markNodeWatchers, mustByName, recordError, updateWorld, upsert } from './world-ops.ts';
import { deletePod } from './kube.ts';

export type UpgradeOp = 'cordon' | 'drain' | 'replace' | 'rejoin';
export type WorkloadOp = 'scale-down' | 'scale-up';
export type FaultOp = 'node.down' | 'node.up' | 'im.restart';

/** How a replaced machine comes back: under its old name (bare-metal re-install) or a new one (CAPI default). */
export type ReplacementNaming = 'same-name' | 'new-name';

function putNode(world: LonghornWorld, node: KubeNode): LonghornWorld {
  return markNodeWatchers(updateWorld(world, { nodes: upsert(world.nodes, node) }), node.name);
}

function startIm(world: LonghornWorld, node: string): LonghornWorld {
  return updateWorld(world, { clock: clockSchedule(world.clock, `im.start ${node}`, world.imStartTicks, { kind: 'im.start', node }) });
}

/** Processes on `node` die with its instance manager. */
function killProcesses(world: LonghornWorld, node: string): LonghornWorld {
  return world.processes.some((process) => process.node === node) ? updateWorld(world, { processes: world.processes.filter((process) => process.node !== node) }) : world;
}

/** The upgrade steps enabled now: one node in flight; any not-yet-upgraded node may be next. */
export function upgradeSteps(world: LonghornWorld): readonly { op: UpgradeOp; node: string }[] {
  const { upgrade } = world;
  switch (upgrade.step) {
    case 'idle':
      return world.nodes.filter((node) => node.present && !upgrade.done.includes(node.name)).map((node) => ({ op: 'cordon' as const, node: node.name }));
    case 'cordoned':
    case 'draining':
      return [{ op: 'drain', node: upgrade.current }];
    case 'drained':
      return [{ op: 'replace', node: upgrade.current }];
    case 'replaced':
      return world.clock.now >= upgrade.rejoinAtTick ? [{ op: 'rejoin', node: upgrade.current }] : [];
    case 'rejoined':
      return [];
    default:
      return unreachable(upgrade.step, 'upgrade step');
  }
}

export function applyUpgradeStep(world: LonghornWorld, op: UpgradeOp, name: string, naming: ReplacementNaming): LonghornWorld {
  const node = mustByName(world.nodes, name, 'node');
  switch (op) {
    case 'cordon':
      return updateWorld(putNode(world, { ...node, unschedulable: true }), { upgrade: { ...world.upgrade, current: name, step: 'cordoned' } });
    case 'drain':
      return drain(world, name);
    case 'replace': {
      // The Kubernetes Node is deleted and the machine re-imaged: processes and pods are gone.
      let next = killProcesses(putNode(world, { ...node, present: false, ready: false, imPod: 'absent', unschedulable: false }), name);
      for (const pod of next.pods.filter((candidate) => candidate.nodeName === name)) next = deletePod(next, pod.name);
      const rejoinAtTick = next.clock.now + next.provisionTicks;
      next = updateWorld(next, { clock: clockSchedule(next.clock, `machine.provisioned ${name}`, next.provisionTicks, { kind: 'wake' }) });
      return updateWorld(next, { upgrade: { ...next.upgrade, step: 'replaced', rejoinAtTick } });
    }
    case 'rejoin':
      return rejoin(world, name, naming);
    default:
      return unreachable(op, 'upgrade op');
  }
}

/** kubectl drain: evict the workload pods, then the instance-manager pod unless its PDB refuses. */
function drain(world: LonghornWorld, name: string): LonghornWorld {
  let next = world;
  for (const pod of next.pods.filter((candidate) => candidate.nodeName === name)) next = deletePod(next, pod.name);
  const lhNode = byName(next.lhNodes, name);
  if (lhNode?.imPdb === true) {
    const line = `error when evicting pods/"instance-manager-${name}" -n longhorn-system (will retry after 5s): ${evictionRefusedMessage}`;
    next = recordError(next, 'kubectl-drain', `Node/${name}`, line);
    return updateWorld(next, { seen: { ...next.seen, drainRefusedByPdb: true }, upgrade: { ...next.upgrade, step: 'draining' } });
  }
  // The instance-manager pod is evicted: its processes die. Longhorn's instance-manager controller
  // recreates the pod on the node (it is bound by nodeName, so the cordon does not stop it).
  const node = mustByName(next.nodes, name, 'node');
  next = startIm(killProcesses(putNode(next, { ...node, imPod: 'starting' }), name), name);
  return updateWorld(clearError(next, `Node/${name}`), { upgrade: { ...next.upgrade, step: 'drained' } });
}

function rejoin(world: LonghornWorld, name: string, naming: ReplacementNaming): LonghornWorld {
  const old = mustByName(world.nodes, name, 'node');
  const counter = world.diskCounter + 1;
  const newName = naming === 'same-name' ? name : `node-${world.nodes.length + 1}`;
  const node: KubeNode = {
    name: newName,
    present: true,
    ready: true,
    unschedulable: false,
    diskUUID: `disk-uuid-${String(counter).padStart(4, '0')}`,
    diskName: `default-disk-fs${String(counter).padStart(4, '0')}`,
    imPod: 'starting',
  };
  let next: LonghornWorld = updateWorld(world, { diskCounter: counter });
  next = startIm(putNode(next, node), newName);
  next = markDirty(next, `Node/${newName}`, `Node/${old.name}`);
  const done = newName === name ? [name] : [name, newName];
  return updateWorld(next, { upgrade: { done: next.upgrade.done.concat(done), current: '', step: 'idle', rejoinAtTick: 0 } });
}

export function applyWorkloadOp(world: LonghornWorld, op: WorkloadOp, name: string): LonghornWorld {
  const workload = mustByName(world.workloads, name, 'workload');
  const updated: Workload = { ...workload, replicas: op === 'scale-up' ? 1 : 0 };
  return markDirty(updateWorld(world, { workloads: upsert(world.workloads, updated) }), `Workload/${name}`);
}

/** Faults enabled now. */
export function faultSteps(world: LonghornWorld): readonly { op: FaultOp; node: string }[] {
  const steps: { op: FaultOp; node: string }[] = [];
  for (const node of world.nodes) {
    if (!node.present) continue;
    if (node.ready) steps.push({ op: 'node.down', node: node.name });
    else steps.push({ op: 'node.up', node: node.name });
    if (node.ready && node.imPod === 'running') steps.push({ op: 'im.restart', node: node.name });
  }
  return steps;
}

export function applyFault(world: LonghornWorld, op: FaultOp, name: string): LonghornWorld {
  const node = mustByName(world.nodes, name, 'node');
  switch (op) {
    case 'node.down':
      return killProcesses(putNode(world, { ...node, ready: false, imPod: 'unknown' }), name);
    case 'node.up':
      return startIm(putNode(world, { ...node, ready: true, imPod: 'starting' }), name);
    case 'im.restart':
      return startIm(killProcesses(putNode(world, { ...node, imPod: 'starting' }), name), name);
    default:
      return unreachable(op, 'fault op');
  }
}

/**
 * The environment settles: down nodes come back, a replaced machine rejoins, cordons are lifted
 * (the upgrade stops where it is), drained instance managers are recreated, and every workload is
 * scaled back up — the desired state after the maintenance window.
 */
export function settleEnvironment(world: LonghornWorld, naming: ReplacementNaming): LonghornWorld {
  let next = world;
  if (next.upgrade.step === 'replaced') next = rejoin(next, next.upgrade.current, naming);
  for (const node of next.nodes) {
    if (!node.present) continue;
    const current = mustByName(next.nodes, node.name, 'node');
    if (!current.ready) next = applyFault(next, 'node.up', node.name);
    const after = mustByName(next.nodes, node.name, 'node');
    if (after.imPod === 'absent') next = startIm(putNode(next, { ...after, imPod: 'starting' }), node.name);
    const last = mustByName(next.nodes, node.name, 'node');
    if (last.unschedulable) next = putNode(next, { ...last, unschedulable: false });
  }
  next = updateWorld(next, { upgrade: { ...next.upgrade, current: '', step: 'idle' } });
  for (const workload of next.workloads) if (workload.replicas === 0) next = applyWorkloadOp(next, 'scale-up', workload.name);
  return next;
}
