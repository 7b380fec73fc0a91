/**
 * Reading the substrate's pods the way the InstanceSet controller does: the pods selected by the
 * InstanceSet's labels, turned into {@link InstancePodView}s for the pure status rules.
 */
import { objectKey, type ContainerStatus, type Pod } from '../../sim/cluster/index.ts';
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

/** Selectors remembered by InstanceSet name; past it the cache is cleared (same strings either way). */
export const selectorsCachedMax = 10_000;
const selectors = new Map<string, string>();

/** The substrate pods owned by InstanceSet `itsName`, sorted by key. */
export function instanceSetPods(world: KubeBlocksWorld, itsName: string): readonly Pod[] {
  let selector = selectors.get(itsName);
  if (selector === undefined) {
    selector = `${instanceSetLabelKey}=${itsName}`;
    if (selectors.size >= selectorsCachedMax) selectors.clear();
    selectors.set(itsName, selector);
  }
  const keys = world.k8s.index.podsByLabel[selector];
  if (keys === undefined) return [];
  // The index keeps one (immutable) key list per selector: the pods are looked up once per list and pod map.
  const cached = podsByKeys.get(keys);
  if (cached !== undefined && cached.pods === world.k8s.pods) return cached.selected;
  const selected = keys.map((key) => world.k8s.pods[key]).filter((pod): pod is Pod => pod !== undefined);
  podsByKeys.set(keys, { pods: world.k8s.pods, selected });
  return selected;
}

const podsByKeys = new WeakMap<readonly string[], { readonly pods: KubeBlocksWorld['k8s']['pods']; readonly selected: readonly Pod[] }>();
const viewsByPods = new WeakMap<readonly Pod[], readonly InstancePodView[]>();

/** {@link instancePodView} of each pod {@link instanceSetPods} returns, kept per returned list. */
export function instanceSetPodViews(world: KubeBlocksWorld, itsName: string): readonly InstancePodView[] {
  const pods = instanceSetPods(world, itsName);
  let views = viewsByPods.get(pods);
  if (views === undefined) {
    views = pods.map((pod) => instancePodView(pod));
    viewsByPods.set(pods, views);
  }
  return views;
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
  return world.k8s.pods[key];
}
