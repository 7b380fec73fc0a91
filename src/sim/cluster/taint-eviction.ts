/**
 * The taint eviction controller (pkg/controller/tainteviction, formerly NoExecuteTaintManager) for
 * unreachable nodes: every pod carries the DefaultTolerationSeconds toleration of 300 s for
 * `node.kubernetes.io/unreachable:NoExecute`, so 300 ticks after its node went down the pod is
 * deleted. Its node cannot confirm, so it stays Terminating (see `clusterDeletePod`), which is what
 * keeps a StatefulSet from recreating it until the node returns or is removed.
 */
import { assert } from '../assert.ts';
import type { Tick } from '../ticks.ts';
import { nodeIsReady } from './kubelet.ts';
import { clusterDeletePod } from './pods.ts';
import { podRef, recordEvent } from './store.ts';
import type { Cluster, Node, Pod, Toleration } from './types.ts';

/** plugin/pkg/admission/defaulttolerationseconds: 300 s for not-ready and unreachable. */
export const defaultTolerationSeconds = 300;

function unreachableToleration(tolerations: readonly Toleration[]): Toleration | undefined {
  return tolerations.find(
    (toleration) =>
      (toleration.effect === undefined || toleration.effect === 'NoExecute') &&
      ((toleration.operator === 'Exists' && (toleration.key === undefined || toleration.key === '')) || toleration.key === 'node.kubernetes.io/unreachable'),
  );
}

/** The tick at which the pod is evicted from its unreachable node, or null (node Ready, tolerated forever, already Terminating). */
export function taintEvictionDueTick(cluster: Cluster, pod: Pod): Tick | null {
  if (pod.spec.nodeName === null || pod.deletionTick !== null) return null;
  const node = cluster.nodes.get(pod.spec.nodeName) as Node | undefined;
  if (node === undefined || nodeIsReady(node)) return null;
  const toleration = unreachableToleration(pod.spec.tolerations);
  if (toleration !== undefined && toleration.tolerationSeconds === undefined) return null;
  const seconds = toleration?.tolerationSeconds ?? defaultTolerationSeconds;
  const downSince = node.conditions.find((condition) => condition.type === 'Ready')?.lastTransitionTick ?? 0;
  return downSince + Math.max(0, seconds);
}

/** Deletes pod `key` from its unreachable node (it becomes Terminating). */
export function taintEvict(cluster: Cluster, key: string, now: Tick): Cluster {
  const pod = cluster.pods.get(key);
  assert(pod !== undefined, `pod ${key} does not exist`);
  const due = taintEvictionDueTick(cluster, pod);
  assert(due !== null && due <= now, `pod ${key} is not due for taint eviction`);
  const next = recordEvent(cluster, { type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${pod.namespace}/${pod.name}`, involvedObject: `Pod/${podRef(pod)}`, source: 'taint-eviction-controller' }, now);
  return clusterDeletePod(next, pod.namespace, pod.name, now);
}
