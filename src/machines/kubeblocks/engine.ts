/**
 * The database engine behind the component's pods, as a seam: an {@link EngineBehaviour} decides
 * which role each running pod has and offers the steps that change it. The kbagent role probe
 * (pkg/kbagent/service/probe.go) reports that role as a `roleProbe` Event whenever it changes, and
 * the InstanceSet role handler turns the report into the `kubeblocks.io/role` label (§2.8).
 * Only on change: `probeRunner.report` sends at the success-threshold point and when the output
 * differs from the last one; the report loop re-sends periodically only with
 * `reportPeriodSeconds`, which release-1.0's pkg/controller/component/kbagent.go sets for the
 * availableProbe and not for the roleProbe. (Main later re-sends on a Pod-metadata file change,
 * PR #10201, and repairs labels from recorded observations, PR #10931; neither is modelled.)
 *
 * {@link minimalPatroni} is the minimal PostgreSQL behaviour of this issue: the first member whose
 * container runs takes Patroni's leader lock and reports `primary`, the others `secondary`; a
 * member whose pod is gone or whose node is down loses the lock. The full Patroni model (leader
 * TTL, loop_wait, failover) plugs in here by providing another EngineBehaviour.
 */
import { roleEventQueueTail } from './role-event-queue.ts';
import type { SimAction } from '../../sim/model.ts';
import { nodeIsReady, objectKey, tableKeysChanged, type Node, type Pod } from '../../sim/cluster/index.ts';
import { instanceSetLabelKey, roleLabelKey } from './instance-pod.ts';
import { instanceSetPods, kubeblocksPod, podKeysChanged, podUidAnnotation } from './kubeblocks-view.ts';
import { enqueue, kubeblocksNamespace, workItem, type KubeBlocksWorld } from './kubeblocks-world.ts';
import { recordEvent } from '../../sim/cluster/index.ts';

/** An engine step (leader election, a role probe report); routed back by `owner`. */
export interface EngineAction extends SimAction {
  readonly kind: 'controller';
  readonly owner: 'engine';
  readonly op: string;
  readonly pod: string;
  readonly role: string;
}

/** A database engine plugged under the component's pods. */
export interface EngineBehaviour {
  readonly name: string;
  /** The role pod `podName` would report now, or null (not running, no leader yet). */
  roleOf(world: KubeBlocksWorld, podName: string): string | null;
  /**
   * The objects `roleOf` reads besides the pods and nodes, compared by identity; when given, the
   * role-probe actions are recomputed only when one of them, the pods, the nodes or the reports
   * changed (they are asked for on every step, and scanning every pod is what grows with a cluster).
   */
  roleInputs?(world: KubeBlocksWorld): readonly unknown[];
  /** The engine's own enabled steps (leader election …), not counting role reports. */
  actions(world: KubeBlocksWorld): readonly EngineAction[];
  apply(world: KubeBlocksWorld, action: EngineAction): KubeBlocksWorld;
  /** Derived engine state after any step (a member that lost its node forgets its last probe output). */
  afterApply?(world: KubeBlocksWorld): KubeBlocksWorld;
}

interface PatroniState {
  /** InstanceSet name → `{ pod, uid }` holding the leader lock. */
  readonly leaders: Readonly<Record<string, { readonly pod: string; readonly uid: string }>>;
  /**
   * Pod name → the `{ uid, role }` kbagent last reported, and the pod's role label then (what a
   * Downward API file of the label held, for kbagents that re-send when it changes).
   */
  readonly reported: Readonly<Record<string, { readonly uid: string; readonly role: string; readonly roleLabel: string | null }>>;
  /** Reports sent so far by every kbagent: the next report's Event time, in send order. */
  readonly reportsSent: number;
}

const emptyPatroni: PatroniState = { leaders: {}, reported: {}, reportsSent: 0 };

/**
 * The engine record with the minimal Patroni's state replaced, that state built by this one literal
 * in `emptyPatroni`'s key order: spreads of it at each write site gave it a V8 map per site (12
 * engine maps in a warm swarm) and made its reads megamorphic (see shapes.ts).
 */
export function enginePatroniWith(
  engine: KubeBlocksWorld['engine'],
  leaders: PatroniState['leaders'],
  reported: PatroniState['reported'],
  reportsSent: PatroniState['reportsSent'],
): KubeBlocksWorld['engine'] {
  const patroni: PatroniState = { leaders, reported, reportsSent };
  return { ...engine, patroni };
}

function patroniState(world: KubeBlocksWorld): PatroniState {
  return (world.engine['patroni'] as PatroniState | undefined) ?? emptyPatroni;
}

function podUid(pod: Pod): string {
  return pod.annotations[podUidAnnotation] ?? pod.name;
}

/** The container runs on a Ready node: Patroni and kbagent in it can act. */
function memberAlive(world: KubeBlocksWorld, pod: Pod | undefined): pod is Pod {
  if (pod === undefined || pod.spec.nodeName === null) return false;
  const node = world.k8s.nodes.get(pod.spec.nodeName);
  if (node === undefined) return false;
  // Asked several times per pod on every step: cached per pod for the node object last seen.
  const cached = aliveCache.get(pod);
  if (cached !== undefined && cached.node === node) return cached.alive;
  const alive = nodeIsReady(node) && pod.status.containerStatuses.some((status) => 'running' in status.state);
  aliveCache.set(pod, { node, alive });
  return alive;
}

const aliveCache = new WeakMap<Pod, { readonly node: Node; readonly alive: boolean }>();

function leaderHolds(world: KubeBlocksWorld, itsName: string): boolean {
  const leader = patroniState(world).leaders[itsName];
  if (leader === undefined) return false;
  // roleOf asks for every pod of the InstanceSet: cached per leader record for the pods and nodes last seen.
  const cached = holdsCache.get(leader);
  if (cached !== undefined && cached.pods === world.k8s.pods && cached.nodes === world.k8s.nodes) return cached.holds;
  const holds = computeLeaderHolds(world, leader);
  holdsCache.set(leader, { pods: world.k8s.pods, nodes: world.k8s.nodes, holds });
  return holds;
}

const holdsCache = new WeakMap<{ readonly pod: string; readonly uid: string }, { readonly pods: KubeBlocksWorld['k8s']['pods']; readonly nodes: KubeBlocksWorld['k8s']['nodes']; readonly holds: boolean }>();

function computeLeaderHolds(world: KubeBlocksWorld, leader: { readonly pod: string; readonly uid: string }): boolean {
  const pod = kubeblocksPod(world, leader.pod);
  return memberAlive(world, pod) && podUid(pod) === leader.uid;
}

/** The minimal Patroni's `afterApply` computed afresh: every report checked, the stale ones dropped (the same world when none is). */
export function dropStaleReports(world: KubeBlocksWorld): KubeBlocksWorld {
  const state = patroniState(world);
  const stale = Object.keys(state.reported).filter((name) => {
    const pod = kubeblocksPod(world, name);
    return !memberAlive(world, pod) || podUid(pod) !== state.reported[name]?.uid;
  });
  if (stale.length === 0) return world;
  const reported = { ...state.reported };
  for (const name of stale) delete reported[name];
  return { ...world, engine: enginePatroniWith(world.engine, state.leaders, reported, state.reportsSent) };
}

// The last scan that found every report fresh (any reports), for the check below.
let lastCleanScan: { readonly reported: PatroniState['reported']; readonly pods: KubeBlocksWorld['k8s']['pods']; readonly nodes: KubeBlocksWorld['k8s']['nodes'] } | null = null;

// Whether a report that is new or changed since `previous`, or whose pod object changed, is stale now.
function changedStale(previous: NonNullable<typeof lastCleanScan>, world: KubeBlocksWorld, reported: PatroniState['reported']): boolean {
  const isStale = (name: string): boolean => {
    const pod = kubeblocksPod(world, name);
    return !memberAlive(world, pod) || podUid(pod) !== reported[name]?.uid;
  };
  for (const name in reported) if (reported[name] !== previous.reported[name] && isStale(name)) return true;
  return changedReportStale(previous.pods, world, reported, isStale);
}

// Whether a reported pod whose object differs between `oldPods` and the world's pods is stale now.
function changedReportStale(oldPods: KubeBlocksWorld['k8s']['pods'], world: KubeBlocksWorld, reported: PatroniState['reported'], isStale: (name: string) => boolean): boolean {
  for (const key of podKeysChanged(oldPods, world.k8s.pods)) {
    const name = (world.k8s.pods.get(key) ?? oldPods.get(key))?.name;
    if (name !== undefined && name in reported && isStale(name)) return true;
  }
  return false;
}

/**
 * Names of the nodes whose object differs between two node records, or null when a node came or
 * went (the node index need not list pods under a node it does not know). Asked by the staleness
 * check and the role-probe list for the same pair: the last answer is kept.
 */
function changedNodeNames(old: KubeBlocksWorld['k8s']['nodes'], nodes: KubeBlocksWorld['k8s']['nodes']): readonly string[] | null {
  if (old === nodes) return [];
  const last = lastNodeChanges;
  if (last !== null && last.old === old && last.nodes === nodes) return last.names;
  // Node tables share their keys array (nodes are written, never added): then a compare by position.
  const sameNames = old.keys() === nodes.keys() || (old.size === nodes.size && nodes.keys().every((name) => old.has(name)));
  const names = sameNames ? tableKeysChanged(old, nodes) : null;
  lastNodeChanges = { old, nodes, names };
  return names;
}

let lastNodeChanges: { readonly old: KubeBlocksWorld['k8s']['nodes']; readonly nodes: KubeBlocksWorld['k8s']['nodes']; readonly names: readonly string[] | null } | null = null;

// Whether a reported pod bound to a node whose object differs from `oldNodes` is stale now (true when a node came or went).
function changedNodeStale(oldNodes: KubeBlocksWorld['k8s']['nodes'], world: KubeBlocksWorld, reported: PatroniState['reported'], isStale: (name: string) => boolean): boolean {
  const names = changedNodeNames(oldNodes, world.k8s.nodes);
  if (names === null) return true;
  for (const nodeName of names) {
    for (const key of world.k8s.index.podsByNode.get(nodeName) ?? []) {
      const name = world.k8s.pods.get(key)?.name;
      if (name !== undefined && name in reported && isStale(name)) return true;
    }
  }
  return false;
}

// Reports last found all fresh, with the pods and nodes they were checked against.
const cleanReports = new WeakMap<PatroniState['reported'], { readonly pods: KubeBlocksWorld['k8s']['pods']; readonly nodes: KubeBlocksWorld['k8s']['nodes'] }>();

// The leader-lock acquisitions last offered, with the objects they were computed from.
let lastAcquire: {
  readonly instanceSets: KubeBlocksWorld['kb']['instanceSets'];
  readonly pods: KubeBlocksWorld['k8s']['pods'];
  readonly index: KubeBlocksWorld['k8s']['index'];
  readonly nodes: KubeBlocksWorld['k8s']['nodes'];
  readonly engine: KubeBlocksWorld['engine'];
  readonly actions: readonly EngineAction[];
} | null = null;

/** Roles `primary` / `secondary` from Patroni's leader lock, reported by kbagent on change. */
export const minimalPatroni: EngineBehaviour = {
  name: 'patroni-minimal',
  roleInputs: (world) => [world.engine],
  roleOf(world, podName) {
    const pod = kubeblocksPod(world, podName);
    if (!memberAlive(world, pod)) return null;
    const itsName = pod.labels[instanceSetLabelKey] ?? '';
    if (!leaderHolds(world, itsName)) return null;
    return patroniState(world).leaders[itsName]?.pod === podName ? 'primary' : 'secondary';
  },
  actions(world) {
    // Asked on every step; a function of the InstanceSets, the pods (and their index), the nodes and the engine state.
    const last = lastAcquire;
    if (last !== null && last.instanceSets === world.kb.instanceSets && last.pods === world.k8s.pods && last.index === world.k8s.index && last.nodes === world.k8s.nodes && last.engine === world.engine) return last.actions;
    const out: EngineAction[] = [];
    for (const itsName of Object.keys(world.kb.instanceSets).sort()) {
      if (leaderHolds(world, itsName)) continue;
      for (const pod of instanceSetPods(world, itsName)) {
        if (memberAlive(world, pod)) out.push({ kind: 'controller', owner: 'engine', op: 'patroni.leader.acquire', pod: pod.name, role: 'primary', label: `patroni ${pod.name} acquires the leader lock` });
      }
    }
    lastAcquire = { instanceSets: world.kb.instanceSets, pods: world.k8s.pods, index: world.k8s.index, nodes: world.k8s.nodes, engine: world.engine, actions: out };
    return out;
  },
  // A member whose node is unreachable loses the DCS: Patroni demotes it, and kbagent's probe sees
  // no primary/secondary output. When it comes back, its output differs from that, so kbagent
  // reports again (it sends when the output changes, reference §2.8).
  afterApply(world) {
    const state = patroniState(world);
    // Staleness depends only on the reports, the pods and the nodes: skip the scan when none changed
    // since a scan that found nothing (most steps touch neither).
    const clean = cleanReports.get(state.reported);
    if (clean !== undefined && clean.pods === world.k8s.pods && clean.nodes === world.k8s.nodes) return world;
    const previous = lastCleanScan;
    const isStale = (name: string): boolean => {
      const pod = kubeblocksPod(world, name);
      return !memberAlive(world, pod) || podUid(pod) !== state.reported[name]?.uid;
    };
    // Since the last clean scan, a report can only have gone stale if it, its pod or its pod's node changed.
    if (clean === undefined && previous !== null && !changedNodeStale(previous.nodes, world, state.reported, isStale) && !changedStale(previous, world, state.reported)) {
      cleanReports.set(state.reported, { pods: world.k8s.pods, nodes: world.k8s.nodes });
      lastCleanScan = { reported: state.reported, pods: world.k8s.pods, nodes: world.k8s.nodes };
      return world;
    }
    // Same reports as a clean scan: a report can only have gone stale through its own pod or its
    // pod's node, so only the reported pods whose object or node changed since are checked (the
    // scan grows with the cluster, the changes of one step do not).
    if (clean !== undefined && !changedNodeStale(clean.nodes, world, state.reported, isStale) && !changedReportStale(clean.pods, world, state.reported, isStale)) {
      cleanReports.set(state.reported, { pods: world.k8s.pods, nodes: world.k8s.nodes });
      lastCleanScan = { reported: state.reported, pods: world.k8s.pods, nodes: world.k8s.nodes };
      return world;
    }
    const next = dropStaleReports(world);
    if (next === world) {
      cleanReports.set(state.reported, { pods: world.k8s.pods, nodes: world.k8s.nodes });
      lastCleanScan = { reported: state.reported, pods: world.k8s.pods, nodes: world.k8s.nodes };
    }
    return next;
  },
  apply(world, action) {
    const pod = kubeblocksPod(world, action.pod);
    if (pod === undefined) return world;
    const itsName = pod.labels[instanceSetLabelKey] ?? '';
    const state = patroniState(world);
    const leaders = { ...state.leaders, [itsName]: { pod: pod.name, uid: podUid(pod) } };
    return { ...world, engine: enginePatroniWith(world.engine, leaders, state.reported, state.reportsSent) };
  },
};

/** The probe output kbagent reports as a failure (`code: -1`): the probe command found no role. */
export const roleProbeFailed = '';

/**
 * kbagent role-probe reports: one enabled per running pod whose probe output changed since its
 * last report. A running member without a role (no leader yet) makes the probe command fail, and
 * kbagent reports `code: -1` once the failure threshold is hit (pkg/kbagent/service/probe.go).
 * With `resendOnRoleLabelChange` (PR #10201: the pod's role label mounted through the Downward
 * API at /etc/kubeblocks/pod-metadata, volume `kubeblocks-role-label`, and the roleProbe's
 * `reportOnFileChange` on it), kbagent also re-sends its latest output, with a new event time,
 * when the pod's role label is no longer the one it saw at its last report.
 */
export function roleProbeActions(world: KubeBlocksWorld, engine: EngineBehaviour, resendOnRoleLabelChange = false): readonly EngineAction[] {
  if (engine.roleInputs === undefined) return computeRoleProbeActions(world, engine, resendOnRoleLabelChange);
  const cached = roleProbeCache.get(engine);
  // Compared field by field (asked on every step): no input list is built unless something changed.
  if (
    cached !== undefined &&
    cached.resend === resendOnRoleLabelChange &&
    cached.pods === world.k8s.pods &&
    cached.nodes === world.k8s.nodes &&
    cached.index === world.k8s.index &&
    cached.instanceSets === world.kb.instanceSets &&
    cached.engineState === world.engine &&
    sameInputs(cached.roleInputs, engine.roleInputs(world))
  ) {
    return cached.actions;
  }
  const actions = engine === minimalPatroni ? minimalPatroniProbeActions(world, resendOnRoleLabelChange) : computeRoleProbeActions(world, engine, resendOnRoleLabelChange);
  roleProbeCache.set(engine, { resend: resendOnRoleLabelChange, pods: world.k8s.pods, nodes: world.k8s.nodes, index: world.k8s.index, instanceSets: world.kb.instanceSets, engineState: world.engine, roleInputs: engine.roleInputs(world), actions });
  return actions;
}

function sameInputs(left: readonly unknown[], right: readonly unknown[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

// The last role-probe actions computed per engine, with the objects they were computed from.
interface RoleProbeCacheEntry {
  readonly resend: boolean;
  readonly pods: KubeBlocksWorld['k8s']['pods'];
  readonly nodes: KubeBlocksWorld['k8s']['nodes'];
  readonly index: KubeBlocksWorld['k8s']['index'];
  readonly instanceSets: KubeBlocksWorld['kb']['instanceSets'];
  readonly engineState: KubeBlocksWorld['engine'];
  readonly roleInputs: readonly unknown[];
  readonly actions: readonly EngineAction[];
}
const roleProbeCache = new WeakMap<EngineBehaviour, RoleProbeCacheEntry>();

/** {@link roleProbeActions} computed afresh (what the cache must equal). */
export function computeRoleProbeActions(world: KubeBlocksWorld, engine: EngineBehaviour, resendOnRoleLabelChange: boolean): EngineAction[] {
  const out: EngineAction[] = [];
  const reported = patroniState(world).reported;
  for (const itsName of Object.keys(world.kb.instanceSets).sort()) {
    for (const pod of instanceSetPods(world, itsName)) {
      const action = probeActionOf(world, engine, pod, reported, resendOnRoleLabelChange);
      if (action !== null) out.push(action);
    }
  }
  return out;
}

// The report kbagent in `pod` would send now, or null.
function probeActionOf(world: KubeBlocksWorld, engine: EngineBehaviour, pod: Pod, reported: PatroniState['reported'], resendOnRoleLabelChange: boolean): EngineAction | null {
  if (!memberAlive(world, pod)) return null;
  const role = engine.roleOf(world, pod.name) ?? roleProbeFailed;
  const last = reported[pod.name];
  const labelUnchanged = !resendOnRoleLabelChange || last?.roleLabel === (pod.labels[roleLabelKey] ?? null);
  if (last !== undefined && last.uid === podUid(pod) && last.role === role && labelUnchanged) return null;
  const label = role === roleProbeFailed ? `kbagent ${pod.name} reports role probe failure` : `kbagent ${pod.name} reports role ${role}`;
  return { kind: 'controller', owner: 'engine', op: 'kbagent.roleProbe', pod: pod.name, role, label };
}

/**
 * What a minimal-Patroni pod's report depends on besides its own pod object, its node object and
 * its own last report: the leader records and each leader's pod and node objects (roleOf asks
 * whether the leader still holds the lock). One object per such combination, so that a pod's
 * report kept with it is valid exactly while the combination is the same.
 */
interface ProbeContext {
  readonly resend: boolean;
  readonly leaders: PatroniState['leaders'];
  /** Each leader's pod object and that pod's node object, in the leader records' order. */
  readonly leaderObjects: readonly unknown[];
}

let lastProbeContext: ProbeContext | null = null;

function nodeOf(world: KubeBlocksWorld, pod: Pod | undefined): Node | undefined {
  return pod === undefined || pod.spec.nodeName === null ? undefined : world.k8s.nodes.get(pod.spec.nodeName);
}

function probeContext(world: KubeBlocksWorld, resend: boolean): ProbeContext {
  const leaders = patroniState(world).leaders;
  const last = lastProbeContext;
  // Asked on most steps: the last context is checked in place, and a list is built only when it differs.
  if (last !== null && last.resend === resend && last.leaders === leaders && sameLeaderObjects(world, leaders, last.leaderObjects)) return last;
  const leaderObjects: unknown[] = [];
  for (const itsName in leaders) {
    const pod = kubeblocksPod(world, (leaders[itsName] as { readonly pod: string }).pod);
    leaderObjects.push(pod, nodeOf(world, pod));
  }
  lastProbeContext = { resend, leaders, leaderObjects };
  return lastProbeContext;
}

// Whether each leader's pod and node object in `world` are the ones in `objects` (the list probeContext builds), in order.
function sameLeaderObjects(world: KubeBlocksWorld, leaders: PatroniState['leaders'], objects: readonly unknown[]): boolean {
  let index = 0;
  for (const itsName in leaders) {
    const pod = kubeblocksPod(world, (leaders[itsName] as { readonly pod: string }).pod);
    if (index + 1 >= objects.length || objects[index] !== pod || objects[index + 1] !== nodeOf(world, pod)) return false;
    index += 2;
  }
  return index === objects.length;
}

const podProbes = new WeakMap<
  Pod,
  { readonly context: ProbeContext; readonly last: PatroniState['reported'][string] | undefined; readonly node: Node | undefined; readonly action: EngineAction | null }
>();

// A pod's report for the current context: kept with its pod object, its own last report and its node object.
function podProbeAction(world: KubeBlocksWorld, pod: Pod, context: ProbeContext, reported: PatroniState['reported']): EngineAction | null {
  let entry = podProbes.get(pod);
  const last = reported[pod.name];
  const node = nodeOf(world, pod);
  if (entry === undefined || entry.context !== context || entry.last !== last || entry.node !== node) {
    entry = { context, last, node, action: probeActionOf(world, minimalPatroni, pod, reported, context.resend) };
    podProbes.set(pod, entry);
  }
  return entry.action;
}

/**
 * The last list of role-probe reports, kept to update from: the objects it read, and the enabled
 * reports with their place in the walk (the InstanceSet's rank among the sorted names, then the
 * pod key: the index keeps each InstanceSet's keys sorted). Null after a walk that met a pod
 * outside the KubeBlocks namespace (asked afresh every time).
 */
interface ProbeWalk {
  readonly context: ProbeContext;
  readonly instanceSets: KubeBlocksWorld['kb']['instanceSets'];
  readonly itsNames: readonly string[];
  readonly ranks: ReadonlyMap<string, number>;
  readonly pods: KubeBlocksWorld['k8s']['pods'];
  readonly nodes: KubeBlocksWorld['k8s']['nodes'];
  readonly reported: PatroniState['reported'];
  readonly enabled: readonly ProbeEntry[];
  /** The actions of `enabled`, in its order: the list last handed out (the same list while `enabled` is). */
  readonly actions: readonly EngineAction[];
}

interface ProbeEntry {
  readonly rank: number;
  readonly key: string;
  readonly action: EngineAction;
}

let lastProbeWalk: ProbeWalk | null = null;

/** How many role-probe lists were updated from the previous one and how many walked every pod (tests check the update is taken). */
export const probeWalkCounts = { updated: 0, full: 0 };

/**
 * {@link computeRoleProbeActions} for {@link minimalPatroni}. A pod's report is a function of its
 * pod object, its node object, its own last report and the context; the walk visits the pods the
 * index lists under each InstanceSet's selector, in InstanceSet-name then key order. So with the
 * same context and InstanceSet names, only the pods whose object, last report or node changed
 * since the last list (a pod created, deleted or relabelled is a changed pod object) are asked
 * again, and their reports replace theirs in it: most steps change a few pods, and walking all of
 * them was what grew with the cluster. Anything else walks every pod.
 */
function minimalPatroniProbeActions(world: KubeBlocksWorld, resend: boolean): readonly EngineAction[] {
  const context = probeContext(world, resend);
  const reported = patroniState(world).reported;
  const previous = lastProbeWalk;
  const itsNames = previous !== null && previous.instanceSets === world.kb.instanceSets ? previous.itsNames : Object.keys(world.kb.instanceSets).sort();
  if (previous !== null && previous.context === context && (previous.itsNames === itsNames || sameStrings(previous.itsNames, itsNames))) {
    const enabled = updatedEntries(world, previous, context, reported);
    if (enabled !== null) {
      // The same entries give the same list: a caller sees an unchanged list as the same object.
      const actions = enabled === previous.enabled ? previous.actions : enabled.map((entry) => entry.action);
      lastProbeWalk = { ...previous, context, instanceSets: world.kb.instanceSets, pods: world.k8s.pods, nodes: world.k8s.nodes, reported, enabled, actions };
      probeWalkCounts.updated++;
      return actions;
    }
  }
  return fullProbeWalk(world, context, reported, itsNames);
}

function sameStrings(left: readonly string[], right: readonly string[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) if (left[index] !== right[index]) return false;
  return true;
}

// Report records made by applyRoleProbe: the record they copied and the one name they set.
const reportedFrom = new WeakMap<PatroniState['reported'], { readonly parent: PatroniState['reported']; readonly name: string }>();

// Names whose report differs between two report records (possibly more): the names set since
// `old` when `reported` descends from it through a few role reports, else every name compared.
function reportedChanges(old: PatroniState['reported'], reported: PatroniState['reported']): readonly string[] {
  const names: string[] = [];
  let record = reported;
  for (let depth = 0; depth < 8 && record !== old; depth++) {
    const link = reportedFrom.get(record);
    if (link === undefined) break;
    names.push(link.name);
    record = link.parent;
  }
  if (record === old) return names;
  names.length = 0;
  for (const name in reported) if (reported[name] !== old[name]) names.push(name);
  for (const name in old) if (!(name in reported)) names.push(name);
  return names;
}

// The keys of the pods whose report may differ from the previous walk's: pod object, own last report
// or node object changed; each once. Null when a node came or went (walk every pod).
function changedProbeKeys(world: KubeBlocksWorld, previous: ProbeWalk, reported: PatroniState['reported']): readonly string[] | null {
  const podKeys = podKeysChanged(previous.pods, world.k8s.pods);
  // Most steps change only pods: their keys (sorted, unique) serve as they are.
  if (reported === previous.reported && world.k8s.nodes === previous.nodes) return podKeys;
  const keys = new Set(podKeys);
  if (reported !== previous.reported) for (const name of reportedChanges(previous.reported, reported)) keys.add(objectKey(kubeblocksNamespace, name));
  // A node added or gone: walk every pod.
  const nodeNames = changedNodeNames(previous.nodes, world.k8s.nodes);
  if (nodeNames === null) return null;
  for (const name of nodeNames) for (const key of world.k8s.index.podsByNode.get(name) ?? []) keys.add(key);
  return [...keys];
}

// Changed pod keys up to this many are looked up by a scan rather than a set.
const changedKeysScanMax = 8;

// The previous list with the changed pods asked again, or null when a full walk is needed.
function updatedEntries(world: KubeBlocksWorld, previous: ProbeWalk, context: ProbeContext, reported: PatroniState['reported']): readonly ProbeEntry[] | null {
  const changed = changedProbeKeys(world, previous, reported);
  if (changed === null) return null;
  if (changed.length === 0) return previous.enabled;
  // A step changes a few pods; a set only when many changed (a node with many pods).
  const changedSet = changed.length > changedKeysScanMax ? new Set(changed) : null;
  const enabled = previous.enabled.filter((entry) => !(changedSet === null ? changed.includes(entry.key) : changedSet.has(entry.key)));
  let added = false;
  for (const key of changed) {
    const pod = world.k8s.pods.get(key);
    if (pod === undefined) continue; // deleted
    // In the walk exactly when the index lists it under an InstanceSet's selector, that is when its
    // InstanceSet label names one (the index is kept by the store, cluster.properties.test.ts).
    const itsName = pod.labels[instanceSetLabelKey];
    const rank = itsName === undefined ? undefined : previous.ranks.get(itsName);
    if (rank === undefined) continue;
    if (pod.namespace !== kubeblocksNamespace) return null;
    const action = podProbeAction(world, pod, context, reported);
    if (action !== null) {
      enabled.push({ rank, key, action });
      added = true;
    }
  }
  if (added) enabled.sort(compareEntries);
  return enabled;
}

function compareEntries(left: ProbeEntry, right: ProbeEntry): number {
  if (left.rank !== right.rank) return left.rank - right.rank;
  return left.key < right.key ? -1 : left.key > right.key ? 1 : 0;
}

function fullProbeWalk(world: KubeBlocksWorld, context: ProbeContext, reported: PatroniState['reported'], itsNames: readonly string[]): readonly EngineAction[] {
  probeWalkCounts.full++;
  const out: EngineAction[] = [];
  const enabled: ProbeEntry[] = [];
  const ranks = new Map<string, number>();
  let reusable = true;
  itsNames.forEach((itsName, rank) => {
    ranks.set(itsName, rank);
    for (const pod of instanceSetPods(world, itsName)) {
      // roleOf looks the pod up by name in the KubeBlocks namespace: a pod elsewhere is asked afresh.
      if (pod.namespace !== kubeblocksNamespace) {
        reusable = false;
        const action = probeActionOf(world, minimalPatroni, pod, reported, context.resend);
        if (action !== null) out.push(action);
        continue;
      }
      const action = podProbeAction(world, pod, context, reported);
      if (action !== null) {
        out.push(action);
        enabled.push({ rank, key: objectKey(pod.namespace, pod.name), action });
      }
    }
  });
  lastProbeWalk = reusable ? { context, instanceSets: world.kb.instanceSets, itsNames, ranks, pods: world.k8s.pods, nodes: world.k8s.nodes, reported, enabled, actions: out } : null;
  return out;
}

/** Applies a role report: the kbagent Event, the pending report, and a wake-up for the role handler. */
export function applyRoleProbe(world: KubeBlocksWorld, action: EngineAction): KubeBlocksWorld {
  const pod = kubeblocksPod(world, action.pod);
  if (pod === undefined) return world;
  const uid = podUid(pod);
  // pkg/kbagent/service/probe.go: reason roleProbe, JSON {instance, probe, code, output, message}.
  const code = action.role === roleProbeFailed ? -1 : 0;
  const message = JSON.stringify({ instance: pod.name, probe: 'roleProbe', code, output: action.role, message: code === 0 ? '' : 'exit code: 1' });
  const k8s = recordEvent(world.k8s, { type: 'Normal', reason: 'roleProbe', message, involvedObject: `Pod/${pod.name}`, source: 'kbagent' }, world.now);
  const state = patroniState(world);
  // util.SendEventWithMessage stamps eventTime with the sender's clock: one clock for all here.
  const version = state.reportsSent + 1;
  const sent = { uid, role: action.role, roleLabel: pod.labels[roleLabelKey] ?? null };
  const reported = { ...state.reported, [pod.name]: sent };
  reportedFrom.set(reported, { parent: state.reported, name: pod.name });
  const engine = enginePatroniWith(world.engine, state.leaders, reported, version);
  // The new Event enters the work queue behind every pending one (it replaces this pod's own).
  const queued = roleEventQueueTail(world.roleProbes) + 1;
  const next = { ...world, k8s, engine, roleProbes: { ...world.roleProbes, [pod.name]: { pod: pod.name, podUid: uid, code, output: action.role, version, queued } } };
  return enqueue(next, workItem('instanceset-role', pod.name));
}
