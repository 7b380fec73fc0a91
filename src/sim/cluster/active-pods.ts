/**
 * The pods the substrate's step functions must look at: every pod but the quiet ones. A quiet pod
 * is bound to a Ready node, not Terminating, has no kubelet step pending and all its containers
 * started: it offers no scheduler, kubelet or taint-eviction step and no due tick, whatever the
 * time. In a settled cluster almost every pod is quiet, so listing the others is what keeps a step
 * from growing with the cluster (issue 11).
 *
 * The list is derived per pods record and follows writes: `writePod` notes which key it changed
 * (`podsWrittenFrom`), so the list of a new record is the list of the record it came from with
 * that key looked at again. Quietness also reads each pod's node, but only its readiness: a
 * readiness token per nodes record, passed on by writes that change no node's readiness, says
 * when an older list still holds. Anything else (a record built elsewhere, a long chain of
 * writes, a node going down or up) falls back to a walk over every pod. The order is the pods
 * record's own (insertion) order, so a walk over the list meets pods in the order a `for…in`
 * over the record does.
 */
import { nodeIsReady } from './kubelet.ts';
import { nodesWrittenFrom, podsWrittenFrom } from './store.ts';
import type { Cluster, Node, Pod } from './types.ts';

/** True when the pod offers no substrate step and no due tick at any time (see the file comment). */
export function podIsQuiet(cluster: Cluster, pod: Pod): boolean {
  if (pod.spec.nodeName === null || pod.deletionTick !== null) return false;
  if (pod.kubelet.startDueTick !== null || pod.kubelet.readyDueTick !== null) return false;
  const node = cluster.nodes.get(pod.spec.nodeName);
  return node !== undefined && nodeIsReady(node) && pod.status.containerStatuses.every((status) => status.started);
}

// Writes followed back at most this far before a full walk is cheaper.
const chainMax = 16;

// ---- node readiness tokens ------------------------------------------------------------------

type Token = object;
const readinessTokens = new WeakMap<Cluster['nodes'], Token>();

/** A token equal for two nodes records exactly when followed writes changed no node's readiness. */
function readinessToken(nodes: Cluster['nodes']): Token {
  const known = readinessTokens.get(nodes);
  if (known !== undefined) return known;
  const chain: { readonly to: Cluster['nodes']; readonly from: Cluster['nodes']; readonly key: string }[] = [];
  let record = nodes;
  let base: Token | undefined;
  while (chain.length < chainMax) {
    const written = nodesWrittenFrom.get(record);
    if (written === undefined) break;
    chain.push({ to: record, from: written.from, key: written.key });
    record = written.from;
    base = readinessTokens.get(record);
    if (base !== undefined) break;
  }
  let token: Token = base ?? {};
  for (let index = chain.length - 1; index >= 0; index--) {
    const link = chain[index] as (typeof chain)[number];
    if (base === undefined || !sameReadiness(link.from.get(link.key), link.to.get(link.key))) token = {};
    readinessTokens.set(link.to, token);
    nodesWrittenFrom.delete(link.to);
  }
  readinessTokens.set(nodes, token);
  return token;
}

function sameReadiness(before: Node | undefined, after: Node | undefined): boolean {
  return before !== undefined && after !== undefined && nodeIsReady(before) === nodeIsReady(after);
}

// ---- the list per pods record ---------------------------------------------------------------

interface ActivePods {
  readonly token: Token;
  /** The insertion rank of every key the record holds (and maybe of some it no longer holds). */
  readonly ranks: ReadonlyMap<string, number>;
  readonly nextRank: number;
  /** Keys of the pods that are not quiet, by rank. */
  readonly keys: readonly string[];
}

const activeCache = new WeakMap<Cluster['pods'], ActivePods>();

/** The keys of the pods that are not quiet, in the pods record's order. */
export function activePodKeys(cluster: Cluster): readonly string[] {
  const token = readinessToken(cluster.nodes);
  const cached = activeCache.get(cluster.pods);
  if (cached !== undefined && cached.token === token) return cached.keys;
  const active = cached === undefined ? followWrites(cluster, token) : null;
  const result = active ?? walkAll(cluster, token, cached);
  activeCache.set(cluster.pods, result);
  podsWrittenFrom.delete(cluster.pods);
  return result.keys;
}

// Every pod looked at; ranks kept from an older list of the same record when there is one.
function walkAll(cluster: Cluster, token: Token, same: ActivePods | undefined): ActivePods {
  const keys: string[] = [];
  let ranks = same?.ranks;
  let nextRank = same?.nextRank ?? 0;
  const fresh = ranks === undefined ? new Map<string, number>() : null;
  const podKeys = cluster.pods.keys();
  const pods = cluster.pods.values();
  for (let position = 0; position < podKeys.length; position++) {
    const key = podKeys[position] as string;
    if (fresh !== null) fresh.set(key, nextRank++);
    if (!podIsQuiet(cluster, pods[position] as Pod)) keys.push(key);
  }
  ranks ??= fresh as Map<string, number>;
  return { token, ranks, nextRank, keys };
}

// The list of an older record with the same readiness, and the keys written since, looked at again.
function followWrites(cluster: Cluster, token: Token): ActivePods | null {
  const chain: WrittenLink[] = [];
  let record = cluster.pods;
  let base: ActivePods | undefined;
  while (chain.length < chainMax) {
    const written = podsWrittenFrom.get(record);
    if (written === undefined) break;
    chain.push({ to: record, from: written.from, key: written.key });
    record = written.from;
    base = activeCache.get(record);
    if (base !== undefined) break;
  }
  // Used once: the links would otherwise keep every older record alive.
  for (const link of chain) podsWrittenFrom.delete(link.to);
  if (base === undefined || base.token !== token) return null;
  return applyWrites(cluster, base, chain.reverse());
}

interface WrittenLink {
  readonly to: Cluster['pods'];
  readonly from: Cluster['pods'];
  readonly key: string;
}

function applyWrites(cluster: Cluster, base: ActivePods, links: readonly WrittenLink[]): ActivePods {
  let ranks = base.ranks;
  let nextRank = base.nextRank;
  // A few keys at most (chainMax): an array beats a Set here.
  const touched: string[] = [];
  for (const link of links) {
    if (!touched.includes(link.key)) touched.push(link.key);
    // A created key goes last in the record's order (also when it was deleted before).
    if (!link.from.has(link.key) && link.to.has(link.key)) {
      if (ranks === base.ranks) ranks = new Map(ranks);
      (ranks as Map<string, number>).set(link.key, nextRank++);
    }
  }
  let keys = base.keys.filter((key) => !touched.includes(key));
  for (const key of touched) {
    const pod = cluster.pods.get(key);
    if (pod !== undefined && !podIsQuiet(cluster, pod)) keys = insertByRank(keys, key, ranks);
  }
  return { token: base.token, ranks, nextRank, keys };
}

function insertByRank(keys: string[], key: string, ranks: ReadonlyMap<string, number>): string[] {
  const rank = ranks.get(key) as number;
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((ranks.get(keys[middle] as string) as number) < rank) low = middle + 1;
    else high = middle;
  }
  keys.splice(low, 0, key);
  return keys;
}
