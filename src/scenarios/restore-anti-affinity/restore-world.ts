/**
 * The world shared by the restore scenarios: a KubeBlocks MySQL-like source cluster `my1` on a
 * small node pool, with the anti-affinity an addon chart renders (on the cluster's own
 * `app.kubernetes.io/instance` label, issue #8763), plus the environment's vocabulary the swarm
 * draws from: take a Backup, restore it into a new cluster with a Restore OpsRequest, delete or
 * scale the source, and node faults (down/up).
 */
import { assert, unreachable } from '../../sim/assert.ts';
import { OptionsError, type Model } from '../../sim/model.ts';
import { ratio, type Prng } from '../../sim/prng.ts';
import { clusterCreate, nodePool } from '../../sim/cluster/index.ts';
import type { ClusterComponentSpec, InstanceTemplate } from '../../machines/kubeblocks/kubeblocks-objects.ts';
import type { ComponentDefinition } from '../../machines/kubeblocks/cluster-controller.ts';
import type { EngineBehaviour } from '../../machines/kubeblocks/engine.ts';
import { kubeblocks103 } from '../../machines/kubeblocks/kubeblocks-profile.ts';
import { kubeblocksRuntime, kubeblocksWorldCreate, type ExtensionAction, type KubeBlocksAction, type KubeBlocksExtension } from '../../machines/kubeblocks/kubeblocks-runtime.ts';
import { applyWrite } from '../../machines/kubeblocks/kubeblocks-world.ts';
import { restoreCreateBackup, restoreCreateOps, restoreDeleteCluster, restoreExtension, restoreRuntimeControllers } from '../../machines/kubeblocks-restore/restore-extension.ts';
import { restoreStateCreate, type RestoreWorld } from '../../machines/kubeblocks-restore/restore-objects.ts';
import type { RestoreProfile } from '../../machines/kubeblocks-restore/restore-profile.ts';
import { restorePending, restoreProperties } from '../../machines/kubeblocks-restore/restore.properties.ts';
import type { PodAffinityTerm, SchedulingPolicy } from '../../machines/kubeblocks-restore/scheduling-types.ts';
import { labelAppInstance, labelComponentName } from '../../machines/kubeblocks-restore/scheduling-types.ts';

export const sourceClusterName = 'my1';
export const componentName = 'mysql';
export const mysqlImage = 'apecloud/mysql:8.0.30';
export const restoreImage = 'apecloud/xtrabackup:8.0';
const hostnameKey = 'kubernetes.io/hostname';
const zoneKey = 'topology.kubernetes.io/zone';

/** A role-less MySQL ComponentDefinition: its pods are Running when Ready (no role probe). */
export const mysqlComponentDefinition: ComponentDefinition = { name: 'mysql-8.0', roles: [] };

/** No database engine under the pods: no roles, no leader election. */
const noEngine: EngineBehaviour = { name: 'none', roleInputs: () => [], roleOf: () => null, actions: () => [], apply: (world) => world };

/** Which scheduling policy of the source cluster carries the addon's pod anti-affinity term. */
export type TermPlacement = 'cluster' | 'component' | 'template';

export interface RestoreAntiAffinityOptions {
  readonly nodeCount: number;
  readonly zoneCount: number;
  readonly sourceReplicas: number;
  /** Where the term lives; empty: nowhere (pods schedule anywhere). */
  readonly termAt: readonly TermPlacement[];
  readonly term: 'required' | 'preferred';
  readonly topologyKey: 'kubernetes.io/hostname' | 'topology.kubernetes.io/zone';
  /** Replicas of instance template `tpl` (0: no template); it has its own policy only with `termAt` `template`. */
  readonly templateReplicas: number;
  /** Add a topology spread constraint without a labelSelector (the PR #9413 crash in v1.0.0). */
  readonly spreadWithoutSelector: boolean;
  readonly timing: {
    readonly pullDelayTicks: number;
    readonly startDelayTicks: number;
    readonly readyDelayTicks: number;
    readonly backupJobTicks: number;
    readonly restoreJobTicks: number;
  };
}

export const restoreOptionsDefaults: RestoreAntiAffinityOptions = {
  nodeCount: 3,
  zoneCount: 1,
  sourceReplicas: 3,
  termAt: ['component'],
  term: 'required',
  topologyKey: hostnameKey,
  templateReplicas: 0,
  spreadWithoutSelector: false,
  timing: { pullDelayTicks: 5, startDelayTicks: 2, readyDelayTicks: 3, backupJobTicks: 20, restoreJobTicks: 15 },
};

function intIn(name: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) throw new OptionsError(`${name} ${String(value)} must be an integer in ${min}..${max}`);
  return value as number;
}

function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) throw new OptionsError(`${name} ${String(value)} must be one of ${allowed.join(', ')}`);
  return value as T;
}

/** Validates untrusted options (a trace file, a script); `templateTerms` says whether `template` placement is allowed. */
export function parseRestoreOptions(raw: unknown, templateTerms: boolean): RestoreAntiAffinityOptions {
  if (raw === undefined) return restoreOptionsDefaults;
  if (typeof raw !== 'object' || raw === null) throw new OptionsError('restore options must be an object');
  const input = { ...restoreOptionsDefaults, ...(raw as Partial<RestoreAntiAffinityOptions>) };
  const placements: readonly TermPlacement[] = templateTerms ? ['cluster', 'component', 'template'] : ['cluster', 'component'];
  if (!Array.isArray(input.termAt)) throw new OptionsError('termAt must be a list');
  const termAt = input.termAt.map((placement) => oneOf('termAt[]', placement, placements));
  const timing = { ...restoreOptionsDefaults.timing, ...(input.timing ?? {}) };
  for (const [name, value] of Object.entries(timing)) intIn(`timing.${name}`, value, 0, 120);
  if (typeof input.spreadWithoutSelector !== 'boolean') throw new OptionsError('spreadWithoutSelector must be a boolean');
  const options: RestoreAntiAffinityOptions = {
    nodeCount: intIn('nodeCount', input.nodeCount, 1, 8),
    zoneCount: intIn('zoneCount', input.zoneCount, 1, 3),
    sourceReplicas: intIn('sourceReplicas', input.sourceReplicas, 1, 8),
    termAt,
    term: oneOf('term', input.term, ['required', 'preferred'] as const),
    topologyKey: oneOf('topologyKey', input.topologyKey, [hostnameKey, zoneKey] as const),
    templateReplicas: intIn('templateReplicas', input.templateReplicas, 0, 3),
    spreadWithoutSelector: input.spreadWithoutSelector,
    timing,
  };
  if (options.templateReplicas > options.sourceReplicas) throw new OptionsError(`templateReplicas ${options.templateReplicas} exceeds sourceReplicas ${options.sourceReplicas}`);
  if (termAt.includes('template') && options.templateReplicas === 0) throw new OptionsError('termAt template needs templateReplicas ≥ 1');
  return options;
}

/** Draws one configuration: node pool, replicas, where the term is and whether it is required. */
export function drawRestoreOptions(prng: Prng, templateTerms: boolean): RestoreAntiAffinityOptions {
  const nodeCount = prng.int(2, 4);
  const sourceReplicas = prng.int(1, nodeCount + 1);
  const templateReplicas = templateTerms ? prng.int(1, Math.min(2, sourceReplicas)) : prng.chance(ratio(1, 3)) ? prng.int(1, Math.min(2, sourceReplicas)) : 0;
  const placements: readonly (readonly TermPlacement[])[] = templateTerms
    ? [['template'], ['template', 'component'], ['template', 'cluster']]
    : [['component'], ['cluster'], ['cluster', 'component'], []];
  const topologyKey = prng.chance(ratio(3, 4)) ? hostnameKey : zoneKey;
  return {
    nodeCount,
    zoneCount: prng.int(1, 2),
    sourceReplicas,
    termAt: prng.pick(placements),
    term: prng.chance(ratio(3, 4)) ? 'required' : 'preferred',
    topologyKey,
    templateReplicas,
    spreadWithoutSelector: prng.chance(ratio(1, 4)),
    timing: {
      pullDelayTicks: prng.int(2, 8),
      startDelayTicks: prng.int(1, 3),
      readyDelayTicks: prng.int(1, 5),
      backupJobTicks: prng.int(10, 30),
      restoreJobTicks: prng.int(5, 20),
    },
  };
}

/** The policy an addon chart renders for cluster `clusterName`: anti-affinity on its own instance label. */
export function addonSchedulingPolicy(options: RestoreAntiAffinityOptions, clusterName: string): SchedulingPolicy {
  const term: PodAffinityTerm = { labelSelector: { matchLabels: { [labelAppInstance]: clusterName, [labelComponentName]: componentName } }, topologyKey: options.topologyKey };
  const podAntiAffinity =
    options.term === 'required' ? { requiredDuringSchedulingIgnoredDuringExecution: [term] } : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
  return {
    affinity: { podAntiAffinity },
    ...(options.spreadWithoutSelector ? { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: hostnameKey, whenUnsatisfiable: 'ScheduleAnyway' as const }] } : {}),
  };
}

function sourceComponentSpec(options: RestoreAntiAffinityOptions): ClusterComponentSpec {
  const policy = addonSchedulingPolicy(options, sourceClusterName);
  const instances: InstanceTemplate[] =
    options.templateReplicas === 0 ? [] : [{ name: 'tpl', replicas: options.templateReplicas, ordinals: [], image: null, schedulingPolicy: options.termAt.includes('template') ? policy : null }];
  return {
    name: componentName,
    componentDef: mysqlComponentDefinition.name,
    replicas: options.sourceReplicas,
    offlineInstances: [],
    instances,
    image: mysqlImage,
    volumeClaimTemplates: [{ name: 'data', storageMiB: 20_480 }],
    stop: false,
    schedulingPolicy: options.termAt.includes('component') ? policy : null,
  };
}

const environmentName = 'restore-environment';

interface EnvironmentAction extends ExtensionAction {
  readonly request: 'backup.create' | 'restore.create' | 'cluster.delete' | 'cluster.scale';
  readonly target: string;
  readonly value: number;
}

function env(kind: 'user', request: EnvironmentAction['request'], label: string, target: string, value = 0): EnvironmentAction {
  return { kind, owner: environmentName, request, label, target, value };
}

const backupsWanted = 2;
const restoresWanted = 2;

/** Scale bounds of the source: 1 (or its template replicas) up to one more replica than nodes. */
function scaleBounds(world: RestoreWorld, templateReplicas: number): { readonly min: number; readonly max: number } {
  return { min: Math.max(1, templateReplicas), max: world.k8s.nodeNames.length + 1 };
}

// The moves read only the backups, the restore OpsRequests, whether the source Cluster exists and its
// spec, and the node names: reused while those are unchanged.
let lastEnvironment: { inputs: readonly unknown[]; actions: ExtensionAction[] } = { inputs: [], actions: [] };

function environmentActions(world: RestoreWorld): ExtensionAction[] {
  const source = world.kb.clusters[sourceClusterName];
  const inputs = [world.ext.restore.backups, world.ext.restore.opsRequests, source !== undefined, source?.spec, world.k8s.nodeNames];
  if (inputs.every((input, index) => input === lastEnvironment.inputs[index])) return lastEnvironment.actions;
  lastEnvironment = { inputs, actions: environmentActionsOf(world) };
  return lastEnvironment.actions;
}

function environmentActionsOf(world: RestoreWorld): ExtensionAction[] {
  const out: ExtensionAction[] = [];
  const state = world.ext.restore;
  const source = world.kb.clusters[sourceClusterName];
  const backups = Object.keys(state.backups).sort();
  if (source !== undefined && backups.length < backupsWanted) {
    const name = `backup-${backups.length + 1}`;
    out.push(env('user', 'backup.create', `user backup.create ${name} cluster=${sourceClusterName}`, name));
  }
  const restores = Object.keys(state.opsRequests).length;
  if (restores < restoresWanted) {
    for (const backup of backups) {
      for (const [policy, value] of [['Parallel', 0], ['Serial', 1]] as const) {
        out.push(env('user', 'restore.create', `user opsrequest.create restore-${restores + 1} type=Restore backup=${backup} cluster=restored-${restores + 1} volumeRestorePolicy=${policy}`, backup, value));
      }
    }
  }
  // Whether the source is still there when the restore schedules its pods is the question.
  if (source !== undefined && restores > 0) out.push(env('user', 'cluster.delete', `user cluster.delete ${sourceClusterName}`, sourceClusterName));
  if (source !== undefined) {
    const spec = source.spec.componentSpecs[0];
    const replicas = spec?.replicas ?? 0;
    const bounds = scaleBounds(world, spec?.instances.reduce((sum, template) => sum + template.replicas, 0) ?? 0);
    if (replicas < bounds.max) out.push(env('user', 'cluster.scale', `user cluster.scale ${sourceClusterName} replicas=${replicas + 1}`, sourceClusterName, replicas + 1));
    if (replicas > bounds.min) out.push(env('user', 'cluster.scale', `user cluster.scale ${sourceClusterName} replicas=${replicas - 1}`, sourceClusterName, replicas - 1));
  }
  return out;
}

function environmentApply(world: RestoreWorld, action: ExtensionAction): RestoreWorld {
  const request = action as EnvironmentAction;
  switch (request.request) {
    case 'backup.create':
      return restoreCreateBackup(world, request.target, sourceClusterName, 'xtrabackup');
    case 'restore.create': {
      const index = Object.keys(world.ext.restore.opsRequests).length + 1;
      const volumeRestorePolicy = request.value === 1 ? 'Serial' : 'Parallel';
      return restoreCreateOps(world, { name: `restore-${index}`, backupName: request.target, clusterName: `restored-${index}`, volumeRestorePolicy, timeoutSeconds: null });
    }
    case 'cluster.delete':
      return restoreDeleteCluster(world, request.target);
    case 'cluster.scale': {
      const cluster = world.kb.clusters[request.target];
      assert(cluster !== undefined, `cluster ${request.target} does not exist`);
      const componentSpecs = cluster.spec.componentSpecs.map((spec) => ({ ...spec, replicas: request.value }));
      return applyWrite(world, { kind: 'cluster.put', cluster: { ...cluster, generation: cluster.generation + 1, spec: { ...cluster.spec, componentSpecs } } });
    }
    default:
      return unreachable(request.request, 'restore environment request');
  }
}

/** The user's moves: back up the source, restore a backup into a new cluster, delete or scale the source. */
const environment: KubeBlocksExtension<RestoreWorld> = { name: environmentName, actions: environmentActions, environmentOnly: true, apply: environmentApply };

/** The model of one restore scenario variant. */
export function restoreModel(name: string, profile: RestoreProfile, templateTerms: boolean): Model<RestoreWorld, KubeBlocksAction, RestoreAntiAffinityOptions> {
  // The KubeBlocks world runs its 1.0.3 rules: tag images only, so image matching never differs.
  const kubeblocksProfile = { ...kubeblocks103, name: profile.name };
  const runtime = kubeblocksRuntime<RestoreWorld>({
    profile: kubeblocksProfile,
    componentDefinitions: [mysqlComponentDefinition],
    engine: noEngine,
    clusterFaults: ['node.down', 'node.up'],
    extensions: [restoreExtension({ profile, restoreImage }), environment],
    controllers: restoreRuntimeControllers(kubeblocksProfile),
    // Short idle steps: the user's requests spread over the quiet part of the fault phase too.
    idleTicks: 4,
  });
  return {
    name: `${name}@${profile.name}`,
    options: { defaults: restoreOptionsDefaults, parse: (raw) => parseRestoreOptions(raw, templateTerms), draw: (prng) => drawRestoreOptions(prng, templateTerms) },
    init(options) {
      const zones = Array.from({ length: options.zoneCount }, (_, index) => `zone-${String.fromCharCode(97 + index)}`);
      const k8s = clusterCreate({ nodes: nodePool(options.nodeCount, zones), images: [mysqlImage, restoreImage], timing: options.timing });
      const cluster = { name: sourceClusterName, componentSpecs: [sourceComponentSpec(options)], schedulingPolicy: options.termAt.includes('cluster') ? addonSchedulingPolicy(options, sourceClusterName) : null };
      return kubeblocksWorldCreate(k8s, [cluster], { restore: restoreStateCreate({ backupJobTicks: options.timing.backupJobTicks, restoreJobTicks: options.timing.restoreJobTicks }) });
    },
    actions: runtime.actions,
    systemActions: runtime.systemActions,
    environmentActions: runtime.environmentActions,
    apply: runtime.apply,
    settle: runtime.settle,
    now: (world) => world.now,
    properties: restoreProperties(),
    pending: restorePending,
    observe: runtime.observe,
  };
}
