/**
 * Reading the substrate's pods the way the InstanceSet controller does: the pods selected by the
 * InstanceSet's labels, turned into {@link InstancePodView}s for the pure status rules.
 */
import { objectKey, tableKeysChanged, type ContainerStatus, type Pod } from '../../sim/cluster/index.ts';
import { instanceSetLabelKey, type InstanceContainerView, type InstancePodView } from './instance-pod.ts';
import { kubeblocksNamespace, type KubeBlocksWorld } from './kubeblocks-world.ts';

/** Annotation the InstanceSet controller stamps on each pod it creates: the pod's incarnation (its UID). */
export const podUidAnnotation = 'opsim.io/uid';

function containerView(pod: Pod, position: number): InstanceContainerView {
  const container = pod.spec.containers[position];
  const status: ContainerStatus | undefined = pod.status.containerStatuses[position];
  const resolved = status !== undefined && status.imageID !== '';
  const state = status?.state;
  return {
    name: container?.name ?? '',
    specImage: container?.image ?? '',
    // Before the kubelet resolved the image, upstream has no status entry to compare with.
    statusImage: resolved ? status.image : null,
    statusImageId: resolved ? status.imageID : null,
    waitingMessage: state !== undefined && 'waiting' in state && state.waiting.message !== '' ? state.waiting.message : null,
    terminatedExitCode: state !== undefined && 'terminated' in state ? state.terminated.exitCode : null,
    running: state !== undefined && 'running' in state,
  };
}

// A view is a pure function of the pod object, and every InstanceSet reconcile views every pod:
// cached per pod identity (an untouched pod keeps its identity across steps).
const podViews = new WeakMap<Pod, InstancePodView>();

/** One substrate pod as the InstanceSet controller reads it. */
export function instancePodView(pod: Pod): InstancePodView {
  let view = podViews.get(pod);
  if (view === undefined) {
    view = computePodView(pod);
    podViews.set(pod, view);
  }
  return view;
}

function computePodView(pod: Pod): InstancePodView {
  const ready = pod.status.conditions.find((condition) => condition.type === 'Ready');
  const containersReady = pod.status.conditions.find((condition) => condition.type === 'ContainersReady');
  return {
    name: pod.name,
    uid: pod.annotations[podUidAnnotation] ?? pod.name,
    labels: pod.labels,
    nodeName: pod.spec.nodeName,
    phase: pod.status.phase,
    terminating: false,
    ready: ready?.status === 'True',
    readySinceTick: ready?.status === 'True' ? ready.lastTransitionTick : null,
    containersReadyTransitionTick: containersReady?.lastTransitionTick ?? null,
    containers: pod.spec.containers.map((_, position) => containerView(pod, position)),
  };
}

/** The substrate pods owned by InstanceSet `itsName`, sorted by key. */
export function instanceSetPods(world: KubeBlocksWorld, itsName: string): readonly Pod[] {
  return selection(world, itsName).selected;
}

/** {@link instancePodView} of each pod {@link instanceSetPods} returns, kept per returned list. */
export function instanceSetPodViews(world: KubeBlocksWorld, itsName: string): readonly InstancePodView[] {
  const entry = selection(world, itsName);
  if (entry.views === null) entry.views = entry.selected.map((pod) => instancePodView(pod));
  return entry.views;
}

// The pods an InstanceSet selects, and their views, for the index key list and pod map last read,
// one entry per InstanceSet updated in place: every step asks for them several times (controller,
// engine, role probes) of the same world, and WeakMaps keyed per list cost more to fill than the
// few lookups they spare when a step reads an older world (the explorer).
interface Selection {
  keys: readonly string[] | undefined;
  pods: KubeBlocksWorld['k8s']['pods'] | null;
  selected: readonly Pod[];
  views: readonly InstancePodView[] | null;
}

/** Selections remembered by InstanceSet name; past it the cache is cleared (same lists either way). */
export const selectionsCachedMax = 10_000;
const selections = new Map<string, Selection>();

function selection(world: KubeBlocksWorld, itsName: string): Selection {
  let entry = selections.get(itsName);
  if (entry === undefined) {
    if (selections.size >= selectionsCachedMax) selections.clear();
    entry = { keys: undefined, pods: null, selected: [], views: null };
    selections.set(itsName, entry);
  }
  const keys = world.k8s.index.podsByLabel.get(selectorOf(itsName));
  if (entry.pods === world.k8s.pods && entry.keys === keys) return entry;
  // The index keeps one (immutable) key list per selector, sorted.
  entry.keys = keys;
  entry.pods = world.k8s.pods;
  entry.selected = keys === undefined ? [] : keys.map((key) => world.k8s.pods.get(key)).filter((pod): pod is Pod => pod !== undefined);
  entry.views = null;
  return entry;
}

/** Selectors remembered by InstanceSet name; past it the cache is cleared (same strings either way). */
export const selectorsCachedMax = 10_000;
const selectors = new Map<string, string>();

function selectorOf(itsName: string): string {
  let selector = selectors.get(itsName);
  if (selector === undefined) {
    selector = `${instanceSetLabelKey}=${itsName}`;
    if (selectors.size >= selectorsCachedMax) selectors.clear();
    selectors.set(itsName, selector);
  }
  return selector;
}

// Pod name → `namespace/name`. The engine and the role probes look pods up by name for every pod on
// every step; reusing one key string spares building and hashing a fresh one each time.
const podKeys = new Map<string, string>();
const podKeysMax = 10_000;

/** The substrate pod `name` in the KubeBlocks namespace, if it exists. */
export function kubeblocksPod(world: KubeBlocksWorld, name: string): Pod | undefined {
  let key = podKeys.get(name);
  if (key === undefined) {
    if (podKeys.size >= podKeysMax) podKeys.clear();
    key = objectKey(kubeblocksNamespace, name);
    podKeys.set(name, key);
  }
  return world.k8s.pods.get(key);
}

/** Keys of the pods whose object differs between two pod records (by identity), sorted. */
export function podKeysChanged(old: KubeBlocksWorld['k8s']['pods'], pods: KubeBlocksWorld['k8s']['pods']): readonly string[] {
  if (old === pods) return [];
  // Asked several times per step for a few pairs (the pod watch for the step's two worlds; the
  // engine's staleness check and role-probe list against the worlds they last looked at).
  for (const entry of recentChanges) if (entry.old === old && entry.pods === pods) return entry.keys;
  // Runs after every step: one identity compare per pod (by position while the key set is the same).
  const keys = tableKeysChanged(old, pods);
  keys.sort();
  recentChanges.unshift({ old, pods, keys });
  if (recentChanges.length > recentChangesMax) recentChanges.pop();
  return keys;
}

const recentChangesMax = 4;
const recentChanges: { readonly old: KubeBlocksWorld['k8s']['pods']; readonly pods: KubeBlocksWorld['k8s']['pods']; readonly keys: readonly string[] }[] = [];
