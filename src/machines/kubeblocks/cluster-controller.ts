/**
 * The Cluster controller (controllers/apps/cluster): one Component per `componentSpecs[]` entry,
 * named `<cluster>-<name>` and annotated with the cluster generation, and the Cluster phase
 * composed from the per-component entries (transformer_cluster_component_status.go and
 * transformer_cluster_status.go, reference §1.5) by stepping the Cluster machine.
 */
import { machineStep } from '../../sim/machine-host.ts';
import { jsonEqual, machineInitState } from './memo.ts';
import { clusterMachine, clusterPhaseOfState, type ClusterMachineEvent } from '../kubeblocks-cluster/cluster.machine.ts';
import { newComponentLifecycle } from './component-controller.ts';
import type { KubeBlocksProfile } from './kubeblocks-profile.ts';
import type { Cluster, ClusterComponentSpec, ClusterComponentStatus, Component, ReplicaRole } from './kubeblocks-objects.ts';
import type { KbWrite, KubeBlocksWorld } from './kubeblocks-world.ts';
import type { KbController, ReconcileResult } from './kubeblocks-controller.ts';

/** The parts of a ComponentDefinition the model reads. */
export interface ComponentDefinition {
  readonly name: string;
  readonly roles: readonly ReplicaRole[];
}

/** PostgreSQL (apecloud addon `postgresql`): Patroni-managed, roles `primary` (exclusive) and `secondary`. */
export const postgresqlComponentDefinition: ComponentDefinition = {
  name: 'postgresql-16',
  roles: [
    { name: 'primary', updatePriority: 2, isExclusive: true },
    { name: 'secondary', updatePriority: 1, isExclusive: false },
  ],
};

function componentShapeOf(cluster: Cluster, spec: ClusterComponentSpec, definition: ComponentDefinition | undefined): Component['spec'] {
  return {
    replicas: spec.replicas,
    offlineInstances: spec.offlineInstances,
    instances: spec.instances,
    image: spec.image,
    volumeClaimTemplates: spec.volumeClaimTemplates,
    stop: spec.stop,
    // scheduling_utils.go BuildSchedulingPolicy: the component's policy, else the cluster's (no merge).
    schedulingPolicy: spec.schedulingPolicy ?? cluster.spec.schedulingPolicy,
    roles: definition?.roles ?? [],
  };
}

function componentWrites(profile: KubeBlocksProfile, definitions: readonly ComponentDefinition[], view: KubeBlocksWorld, cluster: Cluster): KbWrite[] {
  const writes: KbWrite[] = [];
  for (const spec of cluster.spec.componentSpecs) {
    const name = `${cluster.name}-${spec.name}`;
    const shape = componentShapeOf(cluster, spec, definitions.find((definition) => definition.name === spec.componentDef));
    const existing = view.kb.components[name];
    if (existing === undefined) {
      writes.push({
        kind: 'component.put',
        component: {
          name,
          clusterName: cluster.name,
          shortName: spec.name,
          componentDef: spec.componentDef,
          generation: 1,
          clusterGeneration: cluster.generation,
          deleting: false,
          spec: shape,
          status: { phase: '', observedGeneration: 0, message: {} },
          runningEvidence: null,
          lifecycle: newComponentLifecycle(profile),
        },
      });
    } else if (!jsonEqual(existing.spec, shape)) {
      writes.push({ kind: 'component.put', component: { ...existing, spec: shape, generation: existing.generation + 1, clusterGeneration: cluster.generation } });
    }
  }
  return writes;
}

/** `cluster.status.components` rebuilt from the Component objects (§1.5 per-component entry). */
export function clusterComponentEntries(view: KubeBlocksWorld, cluster: Cluster): ClusterComponentStatus[] {
  return cluster.spec.componentSpecs.map((spec) => {
    const component = view.kb.components[`${cluster.name}-${spec.name}`];
    if (component === undefined) return { name: spec.name, phase: '', message: 'reason: the component to be created' };
    return { name: spec.name, phase: component.status.phase, message: Object.entries(component.status.message).map(([key, value]) => `${key}: ${value}`).join('; ') };
  });
}

function statusWrites(view: KubeBlocksWorld, cluster: Cluster): KbWrite[] {
  const entries = clusterComponentEntries(view, cluster);
  const event: ClusterMachineEvent = { type: 'components.observed', entries: entries.map((entry) => entry.phase) };
  const step = machineStep(clusterMachine, cluster.lifecycle, event);
  const phase = clusterPhaseOfState(String(step.state.value));
  const failed = entries.filter((entry) => entry.phase === 'Failed').map((entry) => entry.name);
  const generations = cluster.spec.componentSpecs.map((spec) => view.kb.components[`${cluster.name}-${spec.name}`]?.clusterGeneration ?? 0);
  const next: Cluster = {
    ...cluster,
    lifecycle: step.state,
    status: {
      phase,
      observedGeneration: generations.length === 0 ? cluster.status.observedGeneration : Math.min(...generations),
      components: entries,
      // transformer_cluster_status.go newClusterReadyCondition / newClusterNotReadyCondition.
      readyCondition:
        phase === 'Running'
          ? { status: 'True', reason: 'ClusterReady', message: `cluster ${cluster.name} is ready` }
          : { status: 'False', reason: 'ComponentsNotReady', message: `cluster ${cluster.name} is NOT ready, ${failed.length === 0 ? '' : `unavailable components: ${failed.join(',')}`}` },
    },
  };
  if (jsonEqual(next, cluster)) return [];
  const writes: KbWrite[] = [{ kind: 'cluster.put', cluster: next }];
  for (const entry of entries) {
    const before = cluster.status.components.find((old) => old.name === entry.name);
    if (entry.phase !== '' && before?.phase !== entry.phase) {
      // transformer_cluster_component_status.go (release-1.0, clusterCompPhaseTransition): "cluster component X is <phase>".
      writes.push({ kind: 'event', event: { type: 'Normal', reason: 'ClusterComponentPhaseTransition', message: `cluster component ${entry.name} is ${entry.phase}`, involvedObject: `Cluster/${cluster.name}`, source: 'cluster-controller' } });
    }
  }
  return writes;
}

/** The Cluster controller under `profile`, resolving component definitions from `definitions`. */
export function clusterController(profile: KubeBlocksProfile, definitions: readonly ComponentDefinition[]): KbController {
  return {
    name: 'cluster',
    objectKind: 'Cluster',
    reconcile(view: KubeBlocksWorld, key: string): ReconcileResult {
      const cluster = view.kb.clusters[key];
      if (cluster === undefined) return { writes: [] };
      const missing = cluster.spec.componentSpecs.filter((spec) => !definitions.some((definition) => definition.name === spec.componentDef));
      if (missing.length > 0) return { writes: [], error: `ComponentDefinition ${missing.map((spec) => spec.componentDef).join(', ')} not found` };
      // concat, not spreads: one copy (evaluated in the same order).
      return { writes: componentWrites(profile, definitions, view, cluster).concat(statusWrites(view, cluster)) };
    },
  };
}

/** A fresh Cluster machine state. */
export function newClusterLifecycle(): Cluster['lifecycle'] {
  return machineInitState(clusterMachine);
}

/** What a user writes to create a Cluster (`kubectl apply`): name and component specs. */
export interface ClusterCreateInput {
  readonly name: string;
  readonly componentSpecs: readonly ClusterComponentSpec[];
  readonly terminationPolicy?: Cluster['spec']['terminationPolicy'];
  readonly schedulingPolicy?: Cluster['spec']['schedulingPolicy'];
}

/** Cluster `pg`: one `postgresql` component of `replicas` on `image`, 20 GiB data volumes, no scheduling policy. */
export function postgresqlClusterInput(replicas: number, image: string): ClusterCreateInput {
  return {
    name: 'pg',
    componentSpecs: [{
      name: 'postgresql',
      componentDef: postgresqlComponentDefinition.name,
      replicas,
      offlineInstances: [],
      instances: [],
      image,
      volumeClaimTemplates: [{ name: 'data', storageMiB: 20_480 }],
      stop: false,
      schedulingPolicy: null,
    }],
  };
}

/** A new Cluster object (generation 1, phase ""), as the API server stores it. */
export function newCluster(input: ClusterCreateInput): Cluster {
  return {
    name: input.name,
    generation: 1,
    deleting: false,
    spec: { componentSpecs: input.componentSpecs, terminationPolicy: input.terminationPolicy ?? 'Delete', schedulingPolicy: input.schedulingPolicy ?? null },
    status: { phase: '', observedGeneration: 0, components: [], readyCondition: null },
    lifecycle: newClusterLifecycle(),
  };
}
