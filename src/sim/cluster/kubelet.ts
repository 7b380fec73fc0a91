/**
 * The kubelet of each node, as three delayed steps per pod:
 * 1. **sync**: admit a bound pod and resolve its images (pull on first use, honouring the pull
 *    policy and the node's cached digest), then set `kubelet.startDueTick`;
 * 2. **start**: at that tick the containers run (`Created`/`Started` Events), phase `Running`,
 *    and `kubelet.readyDueTick` is set;
 * 3. **ready**: at that tick the readiness probe passes and `Ready=True`.
 * A kubelet acts only while its node is Ready. Status reports the registry-qualified image and the
 * digest actually running (reference §6.2), so a re-pointed tag plus a warm cache shows up in `imageID`.
 */
import { assert } from '../assert.ts';
import type { Tick } from '../ticks.ts';
import { imageNormalize, imageRepository } from './match.ts';
import { withCondition } from './pods.ts';
import { podRef, recordEvent, writeNode, writePod } from './store.ts';
import type { Cluster, Condition, Container, ContainerStatus, Node, Pod } from './types.ts';

/** The node's `Ready` condition is `True`. */
export function nodeIsReady(node: Node): boolean {
  return node.conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

function podNode(cluster: Cluster, pod: Pod): Node | null {
  return pod.spec.nodeName === null ? null : (cluster.nodes.get(pod.spec.nodeName) ?? null);
}

/** Whether the kubelet would admit `pod` now: bound to a Ready node, not yet admitted, no failed pull waiting for the registry. */
export function kubeletCanSync(cluster: Cluster, pod: Pod): boolean {
  const node = podNode(cluster, pod);
  if (node === null || !nodeIsReady(node)) return false;
  if (pod.kubelet.startDueTick !== null || pod.status.containerStatuses.some((status) => status.started)) return false;
  const failed = pod.kubelet.pullFailedRegistryVersion;
  return failed === null || failed < cluster.registryVersion;
}

export function kubeletCanStart(cluster: Cluster, pod: Pod, now: Tick): boolean {
  const node = podNode(cluster, pod);
  return node !== null && nodeIsReady(node) && pod.kubelet.startDueTick !== null && pod.kubelet.startDueTick <= now;
}

export function kubeletCanReady(cluster: Cluster, pod: Pod, now: Tick): boolean {
  const node = podNode(cluster, pod);
  return node !== null && nodeIsReady(node) && pod.kubelet.readyDueTick !== null && pod.kubelet.readyDueTick <= now;
}

type Resolution =
  | { readonly ok: true; readonly ref: string; readonly digest: string; readonly pulled: boolean; readonly message: string }
  | { readonly ok: false; readonly reason: string; readonly message: string };

// pkg/kubelet/images/image_manager.go EnsureImageExists
function resolveImage(cluster: Cluster, node: Node, container: Container): Resolution {
  const ref = imageNormalize(container.image);
  const cached = node.imageCache[ref];
  const atDigest = ref.includes('@') ? ref.slice(ref.indexOf('@') + 1) : undefined;
  if (container.imagePullPolicy === 'Never' || (container.imagePullPolicy === 'IfNotPresent' && cached !== undefined)) {
    if (cached !== undefined) return { ok: true, ref, digest: cached, pulled: false, message: `Container image "${container.image}" already present on machine` };
    return { ok: false, reason: 'ErrImageNeverPull', message: `Container image "${container.image}" is not present with pull policy of Never` };
  }
  const digest = atDigest ?? cluster.registry[ref];
  if (digest === undefined) {
    return { ok: false, reason: 'ErrImagePull', message: `Failed to pull image "${container.image}": ${ref}: not found` };
  }
  const seconds = cached === digest ? 0 : cluster.timing.pullDelayTicks;
  return { ok: true, ref, digest, pulled: true, message: `Successfully pulled image "${container.image}" in ${seconds}s (${seconds}s including waiting)` };
}

/**
 * The image string the runtime reports in `status.containerStatuses[].image`. containerd's CRI
 * (ContainerStatus) reports the first repo tag the node holds for the running image, and the
 * requested reference only when the image has no tag on the node; so a digest-pinned spec shows a
 * tag when that digest is also cached under one, and of two tags on one digest the status can show
 * the other (reference §6.2, kubernetes#51017). Tags are taken in sorted order.
 */
export function runtimeStatusImage(imageCache: Readonly<Record<string, string>>, ref: string, digest: string): string {
  const tags = Object.keys(imageCache)
    .filter((cached) => !cached.includes('@') && imageCache[cached] === digest)
    .sort();
  return tags[0] ?? ref;
}

/** Step 1: admit pod `key` and resolve its images; on success its containers start after the pull and start delays. */
export function kubeletSync(cluster: Cluster, key: string, now: Tick): Cluster {
  const pod = cluster.pods.get(key);
  assert(pod !== undefined && kubeletCanSync(cluster, pod), `kubelet cannot sync pod ${key}`);
  const node = podNode(cluster, pod) as Node;
  const involvedObject = `Pod/${podRef(pod)}`;
  let next = cluster;
  let imageCache = node.imageCache;
  let delayTicks = cluster.timing.startDelayTicks;
  const statuses: ContainerStatus[] = [];
  for (const [position, container] of pod.spec.containers.entries()) {
    const status = pod.status.containerStatuses[position] as ContainerStatus;
    const resolution = resolveImage(next, { ...node, imageCache }, container);
    if (!resolution.ok) {
      // A failed pull leaves the pod Pending; the kubelet retries once the registry changes.
      next = recordEvent(next, { type: 'Warning', reason: resolution.reason === 'ErrImagePull' ? 'Failed' : resolution.reason, message: resolution.message, involvedObject, source: 'kubelet' }, now);
      const failedStatuses = pod.status.containerStatuses.map((entry, index) =>
        index === position ? { ...entry, state: { waiting: { reason: resolution.reason, message: resolution.message } } } : entry,
      );
      return writePod(next, key, { ...pod, status: { ...pod.status, containerStatuses: failedStatuses }, kubelet: { ...pod.kubelet, pullFailedRegistryVersion: next.registryVersion } });
    }
    if (resolution.pulled) {
      next = recordEvent(next, { type: 'Normal', reason: 'Pulling', message: `Pulling image "${container.image}"`, involvedObject, source: 'kubelet' }, now);
      if (imageCache[resolution.ref] !== resolution.digest) delayTicks = Math.max(delayTicks, cluster.timing.pullDelayTicks + cluster.timing.startDelayTicks);
      imageCache = { ...imageCache, [resolution.ref]: resolution.digest };
    }
    next = recordEvent(next, { type: 'Normal', reason: 'Pulled', message: resolution.message, involvedObject, source: 'kubelet' }, now);
    // The runtime reports the normalized reference and the repo digest it resolved (reference §6.2).
    const imageID = `${imageRepository(resolution.ref)}@${resolution.digest}`;
    statuses.push({ ...status, image: runtimeStatusImage(imageCache, resolution.ref, resolution.digest), imageID });
  }
  if (imageCache !== node.imageCache) next = writeNode(next, { ...(next.nodes.get(node.name) as Node), imageCache }, false);
  const admitted: Pod = {
    ...pod,
    status: { ...pod.status, containerStatuses: statuses },
    kubelet: { startDueTick: now + delayTicks, readyDueTick: null, pullFailedRegistryVersion: null },
  };
  return writePod(next, key, admitted);
}

function notReadyConditions(pod: Pod, now: Tick): readonly Condition[] {
  const names = pod.spec.containers.map((container) => container.name).join(' ');
  // pkg/kubelet/status/generate.go: ContainersNotReady, "containers with unready status: [...]"
  const message = `containers with unready status: [${names}]`;
  let conditions = withCondition(pod.status.conditions, { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message, lastTransitionTick: now });
  conditions = withCondition(conditions, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message, lastTransitionTick: now });
  return conditions;
}

/** Step 2: the containers of pod `key` run; readiness follows after the ready delay. */
export function kubeletStart(cluster: Cluster, key: string, now: Tick): Cluster {
  const pod = cluster.pods.get(key);
  assert(pod !== undefined && kubeletCanStart(cluster, pod, now), `kubelet cannot start pod ${key}`);
  const involvedObject = `Pod/${podRef(pod)}`;
  let next = cluster;
  for (const container of pod.spec.containers) {
    // pkg/kubelet/kuberuntime/kuberuntime_container.go startContainer
    next = recordEvent(next, { type: 'Normal', reason: 'Created', message: `Created container ${container.name}`, involvedObject, source: 'kubelet' }, now);
    next = recordEvent(next, { type: 'Normal', reason: 'Started', message: `Started container ${container.name}`, involvedObject, source: 'kubelet' }, now);
  }
  const containerStatuses = pod.status.containerStatuses.map((status) => ({ ...status, started: true, ready: false, state: { running: { startedTick: now } } }));
  return writePod(next, key, {
    ...pod,
    status: { phase: 'Running', conditions: notReadyConditions(pod, now), containerStatuses },
    kubelet: { ...pod.kubelet, startDueTick: null, readyDueTick: now + cluster.timing.readyDelayTicks },
  });
}

/** Step 3: the readiness probe of pod `key` passes. */
export function kubeletReady(cluster: Cluster, key: string, now: Tick): Cluster {
  const pod = cluster.pods.get(key);
  assert(pod !== undefined && kubeletCanReady(cluster, pod, now), `kubelet cannot mark pod ${key} ready`);
  let conditions = withCondition(pod.status.conditions, { type: 'ContainersReady', status: 'True', reason: '', message: '', lastTransitionTick: now });
  conditions = withCondition(conditions, { type: 'Ready', status: 'True', reason: '', message: '', lastTransitionTick: now });
  const containerStatuses = pod.status.containerStatuses.map((status) => ({ ...status, ready: true }));
  return writePod(cluster, key, { ...pod, status: { ...pod.status, conditions, containerStatuses }, kubelet: { ...pod.kubelet, readyDueTick: null } });
}

/**
 * The node lifecycle controller marks the pods of an unreachable node not ready
 * (pkg/controller/util/node/controller_utils.go MarkPodsNotReady): `Ready=False` and a `NodeNotReady`
 * Warning; the last container statuses the kubelet posted stay as they were.
 */
export function markPodsNotReady(cluster: Cluster, nodeName: string, now: Tick): Cluster {
  let next = cluster;
  for (const key of cluster.index.podsByNode.get(nodeName) ?? []) {
    const pod = next.pods.get(key) as Pod;
    const ready = pod.status.conditions.find((condition) => condition.type === 'Ready');
    const pendingReady = pod.kubelet.readyDueTick !== null;
    if ((ready === undefined || ready.status !== 'True') && !pendingReady) continue;
    const conditions = ready === undefined ? pod.status.conditions : withCondition(pod.status.conditions, { ...ready, status: 'False', lastTransitionTick: now });
    next = writePod(next, key, { ...pod, status: { ...pod.status, conditions }, kubelet: { ...pod.kubelet, readyDueTick: null } });
    next = recordEvent(next, { type: 'Warning', reason: 'NodeNotReady', message: 'Node is not ready', involvedObject: `Pod/${podRef(pod)}`, source: 'node-controller' }, now);
  }
  return next;
}

/** A kubelet that posts status again re-probes the containers it runs: readiness returns after the ready delay. */
export function reprobePods(cluster: Cluster, nodeName: string, now: Tick): Cluster {
  let next = cluster;
  for (const key of cluster.index.podsByNode.get(nodeName) ?? []) {
    const pod = next.pods.get(key) as Pod;
    if (!pod.status.containerStatuses.some((status) => status.started) || pod.kubelet.readyDueTick !== null) continue;
    next = writePod(next, key, { ...pod, kubelet: { ...pod.kubelet, readyDueTick: now + cluster.timing.readyDelayTicks } });
  }
  return next;
}

/** Whether the containers of `pod` can be restarted (the `pod.restart` fault): running on a Ready node. */
export function kubeletCanRestart(cluster: Cluster, pod: Pod): boolean {
  const node = podNode(cluster, pod);
  return node !== null && nodeIsReady(node) && pod.deletionTick === null && pod.status.containerStatuses.some((status) => status.started);
}

/** The containers of pod `key` crash and are restarted in place: restartCount+1, not ready until re-probed. */
export function kubeletRestart(cluster: Cluster, key: string, now: Tick): Cluster {
  const pod = cluster.pods.get(key);
  assert(pod !== undefined && kubeletCanRestart(cluster, pod), `kubelet cannot restart pod ${key}`);
  const involvedObject = `Pod/${podRef(pod)}`;
  let next = cluster;
  for (const container of pod.spec.containers) {
    next = recordEvent(next, { type: 'Normal', reason: 'Created', message: `Created container ${container.name}`, involvedObject, source: 'kubelet' }, now);
    next = recordEvent(next, { type: 'Normal', reason: 'Started', message: `Started container ${container.name}`, involvedObject, source: 'kubelet' }, now);
  }
  const containerStatuses = pod.status.containerStatuses.map((status) => ({ ...status, ready: false, restartCount: status.restartCount + 1, state: { running: { startedTick: now } } }));
  return writePod(next, key, {
    ...pod,
    status: { phase: 'Running', conditions: notReadyConditions(pod, now), containerStatuses },
    kubelet: { ...pod.kubelet, startDueTick: null, readyDueTick: now + cluster.timing.readyDelayTicks },
  });
}
