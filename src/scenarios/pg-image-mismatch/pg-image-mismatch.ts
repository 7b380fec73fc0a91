/**
 * Scenario `pg-image-mismatch` (seed shared/seeds/000_905e083f2262794e.txt): a KubeBlocks
 * PostgreSQL cluster stays `Creating` forever although Patroni runs fine, because the InstanceSet
 * never counts a Ready pod whose spec and status images "do not match" (reference §2.7).
 *
 * A 2-replica cluster on 3 nodes. The environment's vocabulary, taken by the swarm in any order:
 * - faults: re-point the image tag in the registry (`image.repoint`), a node pulling the tag on
 *   its own (a pre-puller or another tenant's pod: warm and, after a re-point, stale caches),
 *   pod deletion (a restart), node down / up;
 * - user requests: pin the component image to the digest its tag currently resolves to (supply-
 *   chain hardening, as PR #10199's reporter did), or go back to the tag.
 * The runtime always reports registry-qualified names (`docker.io/apecloud/spilo:16`) and, for a
 * digest-pinned container, a tag the node holds for that digest (containerd, kubernetes#51017).
 *
 * `buggy` (kubeblocks@1.0.2) compares a pinned digest with `status.image`; `fixed`
 * (kubeblocks@1.0.3) with `status.imageID` (PR #10199).
 */
import { assert } from '../../sim/assert.ts';
import { OptionsError, type Model } from '../../sim/model.ts';
import { ratio, type Prng } from '../../sim/prng.ts';
import type { Scenario, ScenarioVariant } from '../../sim/scenario.ts';
import { clusterCreate, imageNormalize, nodePool, type ClusterTiming } from '../../sim/cluster/index.ts';
import { writeNode } from '../../sim/cluster/store.ts';
import { kubeblocks102, kubeblocks103, type KubeBlocksProfile } from '../../machines/kubeblocks/kubeblocks-profile.ts';
import { postgresqlClusterInput, postgresqlComponentDefinition } from '../../machines/kubeblocks/cluster-controller.ts';
import { kubeblocksPending, kubeblocksProperties } from '../../machines/kubeblocks/kubeblocks-properties.ts';
import {
  kubeblocksRuntime,
  kubeblocksWorldCreate,
  type ExtensionAction,
  type KubeBlocksAction,
  type KubeBlocksExtension,
} from '../../machines/kubeblocks/kubeblocks-runtime.ts';
import { applyWrite, type KubeBlocksWorld } from '../../machines/kubeblocks/kubeblocks-world.ts';

/** The image the addon's ComponentVersion names. */
export const spiloTag = 'apecloud/spilo:16';
/** A second tag that a cached rebuild can push with the very same digest (the seed's story). */
export const spiloAliasTag = 'apecloud/spilo:16.4';
const spiloRepository = 'apecloud/spilo';

/** Which environment moves a variant's swarm may take besides the substrate faults. */
export interface PgImageVocabulary {
  /**
   * `fault registry.tag.alias`: a rebuild served from the build cache pushes `16.4` with the same
   * digest as `16`, and the user may move the component to the new tag (seed 000_905e…: "the
   * cached build produced the same SHA, so the upgraded environment showed the old tag").
   */
  readonly tagAlias: boolean;
}

export interface PgImageMismatchOptions {
  readonly nodeCount: number;
  readonly replicas: number;
  /** How the cluster is created: with the tag, or already pinned to the tag's digest. */
  readonly initialImage: 'tag' | 'digest';
  readonly timing: Pick<ClusterTiming, 'pullDelayTicks' | 'startDelayTicks' | 'readyDelayTicks'>;
}

/**
 * Largest nodeCount and replicas accepted from a trace or script. Swarm runs draw 3 nodes and 2
 * replicas; the scale benchmark (bench/scale-bench.ts) runs 3, 30 and 300 of each.
 */
export const pgImageMismatchSizeMax = 300;

const defaults: PgImageMismatchOptions = { nodeCount: 3, replicas: 2, initialImage: 'tag', timing: { pullDelayTicks: 5, startDelayTicks: 2, readyDelayTicks: 3 } };

function parseOptions(raw: unknown): PgImageMismatchOptions {
  if (raw === undefined) return defaults;
  if (typeof raw !== 'object' || raw === null) throw new OptionsError('pg-image-mismatch options must be an object');
  const input = raw as Partial<PgImageMismatchOptions>;
  const nodeCount = input.nodeCount ?? defaults.nodeCount;
  const replicas = input.replicas ?? defaults.replicas;
  const initialImage = input.initialImage ?? defaults.initialImage;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > pgImageMismatchSizeMax) throw new OptionsError(`nodeCount ${String(nodeCount)} must be an integer in 1..${pgImageMismatchSizeMax}`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > pgImageMismatchSizeMax) throw new OptionsError(`replicas ${String(replicas)} must be an integer in 1..${pgImageMismatchSizeMax}`);
  if (initialImage !== 'tag' && initialImage !== 'digest') throw new OptionsError(`initialImage ${String(initialImage)} must be tag or digest`);
  const timing = { ...defaults.timing, ...(input.timing ?? {}) };
  for (const [name, value] of Object.entries(timing)) {
    if (!Number.isInteger(value) || value < 0 || value > 60) throw new OptionsError(`timing.${name} ${String(value)} must be an integer in 0..60`);
  }
  return { nodeCount, replicas, initialImage, timing };
}

function drawOptions(prng: Prng): PgImageMismatchOptions {
  return {
    nodeCount: 3,
    replicas: 2,
    initialImage: prng.chance(ratio(1, 4)) ? 'digest' : 'tag',
    timing: { pullDelayTicks: prng.int(2, 8), startDelayTicks: prng.int(1, 3), readyDelayTicks: prng.int(1, 5) },
  };
}

type World = KubeBlocksWorld<Record<string, never>>;

/** The digest the registry currently serves for the tag. */
function registryDigest(world: World): string {
  const digest = world.k8s.registry[imageNormalize(spiloTag)];
  assert(digest !== undefined, `registry has no ${spiloTag}`);
  return digest;
}

function componentImage(world: World): string {
  return world.kb.clusters['pg']?.spec.componentSpecs[0]?.image ?? spiloTag;
}

interface EnvironmentAction extends ExtensionAction {
  readonly op: 'node.image.pull' | 'registry.tag.alias' | 'cluster.image.set';
  /** Node name (pull), or image reference (alias: the new tag; set: the new image). */
  readonly target: string;
  /** The tag a node pulls. */
  readonly image: string;
}

const owner = 'pg-image-mismatch';

// The node pulls depend only on the nodes and the registry, which most steps leave untouched, and
// there is one per node: cached per nodes record (and vocabulary) for the last registry seen.
const pullCache = new WeakMap<World['k8s']['nodes'], { readonly tagAlias: boolean; readonly registry: World['k8s']['registry']; readonly nodeNames: readonly string[]; readonly pulls: readonly EnvironmentAction[] }>();

function nodePullActions(world: World, vocabulary: PgImageVocabulary): readonly EnvironmentAction[] {
  const { nodes, registry, nodeNames } = world.k8s;
  const cached = pullCache.get(nodes);
  if (cached !== undefined && cached.tagAlias === vocabulary.tagAlias && cached.registry === registry && cached.nodeNames === nodeNames) return cached.pulls;
  const pulls: EnvironmentAction[] = [];
  const tags = [spiloTag, ...(vocabulary.tagAlias ? [spiloAliasTag] : [])].filter((tag) => imageNormalize(tag) in registry);
  // A node pulls a tag on its own (an image pre-puller, another tenant's pod): warm caches, and
  // after a re-point, stale ones.
  for (const name of nodeNames) {
    for (const tag of tags) {
      const ref = imageNormalize(tag);
      if (nodes.get(name)?.imageCache[ref] !== registry[ref]) pulls.push({ kind: 'fault', owner, op: 'node.image.pull', target: name, image: tag, label: `fault node.image.pull ${name} ${tag}` });
    }
  }
  pullCache.set(nodes, { tagAlias: vocabulary.tagAlias, registry, nodeNames, pulls });
  return pulls;
}

function environmentActions(world: World, vocabulary: PgImageVocabulary): EnvironmentAction[] {
  const out: EnvironmentAction[] = [...nodePullActions(world, vocabulary)];
  const tags = [spiloTag, ...(vocabulary.tagAlias ? [spiloAliasTag] : [])].filter((tag) => imageNormalize(tag) in world.k8s.registry);
  if (vocabulary.tagAlias && !(imageNormalize(spiloAliasTag) in world.k8s.registry)) {
    out.push({ kind: 'fault', owner, op: 'registry.tag.alias', target: spiloAliasTag, image: spiloTag, label: `fault registry.tag.alias ${spiloAliasTag} = ${spiloTag}` });
  }
  const pinned = `${spiloRepository}@${registryDigest(world)}`;
  for (const image of [pinned, ...tags]) {
    if (componentImage(world) === image) continue;
    const verb = image === pinned ? 'pin' : 'set';
    out.push({ kind: 'user', owner, op: 'cluster.image.set', target: image, image, label: `user cluster.image.${verb} pg postgresql ${image}` });
  }
  return out;
}

function applyEnvironment(world: World, action: EnvironmentAction): World {
  if (action.op === 'node.image.pull') {
    const node = world.k8s.nodes.get(action.target);
    assert(node !== undefined, `node ${action.target} does not exist`);
    const ref = imageNormalize(action.image);
    const imageCache = { ...node.imageCache, [ref]: world.k8s.registry[ref] as string };
    return { ...world, k8s: writeNode(world.k8s, { ...node, imageCache }, false) };
  }
  if (action.op === 'registry.tag.alias') {
    // Same content, same digest, a second tag: what a cache-hit rebuild pushes.
    const registry = { ...world.k8s.registry, [imageNormalize(action.target)]: registryDigest(world) };
    return { ...world, k8s: { ...world.k8s, registry, registryVersion: world.k8s.registryVersion + 1, resourceVersion: world.k8s.resourceVersion + 1 } };
  }
  const cluster = world.kb.clusters['pg'];
  assert(cluster !== undefined, 'cluster pg does not exist');
  const componentSpecs = cluster.spec.componentSpecs.map((spec) => ({ ...spec, image: action.target }));
  return applyWrite(world, { kind: 'cluster.put', cluster: { ...cluster, generation: cluster.generation + 1, spec: { ...cluster.spec, componentSpecs } } });
}

// The environment of this scenario: node pulls, tag aliases, and the user's image changes.
function environment(vocabulary: PgImageVocabulary): KubeBlocksExtension<World> {
  // The moves read only the nodes, the registry and the Cluster's spec: reused while those are unchanged.
  type Inputs = readonly [World['k8s']['nodeNames'], World['k8s']['nodes'], World['k8s']['registry'], World['kb']['clusters'][string]['spec'] | undefined];
  let last: { inputs: Inputs | null; actions: EnvironmentAction[] } = { inputs: null, actions: [] };
  const actions = (world: World): EnvironmentAction[] => {
    const inputs: Inputs = [world.k8s.nodeNames, world.k8s.nodes, world.k8s.registry, world.kb.clusters['pg']?.spec];
    if (last.inputs !== null && inputs.every((input, index) => input === last.inputs?.[index])) return last.actions;
    last = { inputs, actions: environmentActions(world, vocabulary) };
    return last.actions;
  };
  return {
    name: 'pg-image-mismatch',
    actions,
    environmentOnly: true,
    apply: (world, action) => applyEnvironment(world, action as EnvironmentAction),
  };
}

/** The model of one variant: `profile` under the environment `vocabulary`. */
export function pgImageMismatchModel(profile: KubeBlocksProfile, vocabulary: PgImageVocabulary = { tagAlias: false }): Model<World, KubeBlocksAction, PgImageMismatchOptions> {
  const runtime = kubeblocksRuntime<World>({
    profile,
    componentDefinitions: [postgresqlComponentDefinition],
    clusterFaults: ['image.repoint', 'pod.delete', 'node.down', 'node.up'],
    extensions: [environment(vocabulary)],
  });
  return {
    name: `pg-image-mismatch@${profile.name}${vocabulary.tagAlias ? '+tag-alias' : ''}`,
    options: { defaults, parse: parseOptions, draw: drawOptions },
    init(options) {
      const k8s = clusterCreate({ nodes: nodePool(options.nodeCount), images: [spiloTag], timing: options.timing });
      const digest = k8s.registry[imageNormalize(spiloTag)] as string;
      const image = options.initialImage === 'tag' ? spiloTag : `${spiloRepository}@${digest}`;
      return kubeblocksWorldCreate(k8s, [postgresqlClusterInput(options.replicas, image)], {});
    },
    actions: runtime.actions,
    systemActions: runtime.systemActions,
    environmentActions: runtime.environmentActions,
    apply: runtime.apply,
    settle: runtime.settle,
    now: (world) => world.now,
    properties: kubeblocksProperties<World>(profile),
    pending: (world) => kubeblocksPending(profile, world),
    observe: runtime.observe,
  };
}

const variants: readonly ScenarioVariant[] = [
  {
    name: 'buggy',
    profile: kubeblocks102.name,
    summary: 'isImageMatched reads a pinned digest from status.image, which shows a tag: the pod is never ready',
    model: pgImageMismatchModel(kubeblocks102),
    expect: 'stuck',
  },
  {
    name: 'fixed',
    profile: kubeblocks103.name,
    summary: 'MatchContainerImageInStatus compares a pinned digest with status.imageID (PR #10199)',
    model: pgImageMismatchModel(kubeblocks103),
    expect: 'clean',
  },
];

export const pgImageMismatchScenario: Scenario = {
  name: 'pg-image-mismatch',
  title: 'KubeBlocks PostgreSQL Cluster Creating forever: InstanceSet image mismatch (kubeblocks 1.0.2 vs 1.0.3)',
  seedDocument: 'shared/seeds/000_905e083f2262794e.txt',
  variants,
  swarm: {
    faultPhaseTicks: 120,
    convergenceTicksMax: 600,
    actionsPerRunMax: 20_000,
    faultChance: ratio(1, 20),
    requestChance: ratio(1, 20),
    faultsMax: 6,
    requestsMax: 2,
  },
  huntRunsDefault: 200,
  // One node, one replica created pinned to the digest, one fault (enough for the node to hold the tag as well).
  explore: { configurations: [{ nodeCount: 1, replicas: 1, initialImage: 'digest' }], faultsMax: 1, requestsMax: 0, statesMax: 10_000 },
};
