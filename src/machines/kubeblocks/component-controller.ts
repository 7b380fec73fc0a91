/**
 * The Component controller (controllers/apps/component): it keeps one InstanceSet per Component
 * (spec pushed with the annotation `kubeblocks.io/generation` = component generation) and computes
 * the Component phase from the *running* InstanceSet
 * (transformer_component_status.go, reference §1.3) by stepping the Component machine.
 */
import { machineStep } from '../../sim/machine-host.ts';
import { jsonEqual, machineInitState } from './memo.ts';
import { componentMachine, componentPhaseOfState, type ComponentMachineEvent } from '../kubeblocks-component/component.machine.ts';
import { instanceSetMachine } from '../kubeblocks-instanceset/instanceset.machine.ts';
import { appInstanceLabelKey, componentNameLabelKey, managedByKubeBlocks, managedByLabelKey } from './instance-pod.ts';
import { instanceSetCondition, isInstanceSetReady } from './instanceset-status.ts';
import { roleProbeWindowElapsed } from './instanceset-controller.ts';
import type { KubeBlocksProfile } from './kubeblocks-profile.ts';
import type { ComponentPhaseInputs } from './kubeblocks-phases.ts';
import type { Component, InstanceSet, InstanceSetSpec, RunningEvidence } from './kubeblocks-objects.ts';
import { workItem, type KbWrite, type KubeBlocksWorld } from './kubeblocks-world.ts';
import type { KbController, ReconcileResult } from './kubeblocks-controller.ts';

/** The container name of the main container of the component's pods. */
export const mainContainerName = 'postgresql';

// A pure function of the component's (shared, immutable) spec, cluster and short name: built once per spec object.
const desiredSpecs = new WeakMap<Component['spec'], { readonly clusterName: string; readonly shortName: string; readonly spec: InstanceSetSpec }>();

/** The InstanceSet spec a component asks for. */
export function desiredInstanceSetSpec(component: Component): InstanceSetSpec {
  const cached = desiredSpecs.get(component.spec);
  if (cached !== undefined && cached.clusterName === component.clusterName && cached.shortName === component.shortName) return cached.spec;
  const spec = desiredInstanceSetSpecOf(component);
  desiredSpecs.set(component.spec, { clusterName: component.clusterName, shortName: component.shortName, spec });
  return spec;
}

function desiredInstanceSetSpecOf(component: Component): InstanceSetSpec {
  return {
    replicas: component.spec.replicas,
    minReadySeconds: 0,
    template: { containerName: mainContainerName, image: component.spec.image, schedulingPolicy: component.spec.schedulingPolicy },
    instances: component.spec.instances,
    offlineInstances: component.spec.offlineInstances,
    podManagementPolicy: 'OrderedReady',
    parallelConcurrency: 1,
    roles: component.spec.roles.length === 0 ? null : component.spec.roles,
    volumeClaimTemplates: component.spec.volumeClaimTemplates,
    podLabels: {
      [appInstanceLabelKey]: component.clusterName,
      [componentNameLabelKey]: component.shortName,
      [managedByLabelKey]: managedByKubeBlocks,
    },
  };
}

/** A fresh InstanceSet for `component` (status empty, readiness NotReady). */
export function newInstanceSet(profile: KubeBlocksProfile, component: Component): InstanceSet {
  return {
    name: component.name,
    clusterName: component.clusterName,
    componentName: component.name,
    generation: 1,
    componentGeneration: component.generation,
    deleting: false,
    spec: desiredInstanceSetSpec(component),
    status: {
      observedGeneration: 0,
      replicas: 0,
      readyReplicas: 0,
      availableReplicas: 0,
      updatedReplicas: 0,
      currentReplicas: 0,
      updateRevision: '',
      currentRevision: '',
      conditions: [],
      membersStatus: component.spec.roles.length === 0 ? null : [],
    },
    readiness: machineInitState(instanceSetMachine, { roleProbeTimeoutTicks: profile.roleProbeTimeoutSeconds }),
  };
}

/** `hasFailedPod` (§1.3): InstanceFailure, or the role probe window elapsed with roles missing. */
export function hasFailedPod(its: InstanceSet): { failed: boolean; message: Record<string, string> } {
  const failure = instanceSetCondition(its.status, 'InstanceFailure');
  if (failure?.status === 'True') return { failed: true, message: { [`InstanceSet/${its.name}`]: failure.message } };
  if (instanceSetCondition(its.status, 'InstanceReady')?.status !== 'True') return { failed: false, message: {} };
  if (its.spec.roles === null || (its.status.membersStatus?.length ?? 0) === its.status.replicas) return { failed: false, message: {} };
  if (!roleProbeWindowElapsed(its)) return { failed: false, message: {} };
  return { failed: true, message: { [`InstanceSet/${its.name}`]: 'Role probe timeout, check whether the application is available' } };
}

/** The §1.3 inputs read from the running InstanceSet. */
export function componentPhaseInputs(component: Component, its: InstanceSet): ComponentPhaseInputs {
  const failure = hasFailedPod(its);
  return {
    isDeleting: its.deleting,
    stopped: component.spec.stop,
    hasRunningPods: its.status.replicas > 0,
    postProvisionDone: true,
    isITSUpdatedNRunning: its.componentGeneration === component.generation && isInstanceSetReady(its),
    hasRunningScaleOut: false,
    hasRunningVolumeExpansion: false,
    hasFailure: failure.failed,
  };
}

/** The status transformer's writes; `shortcut` false skips the unchanged-fields return (exported for its test). */
export function componentStatusWrites(view: KubeBlocksWorld, component: Component, its: InstanceSet, shortcut = true): KbWrite[] {
  // transformer_component_status.go: recompute only if the ITS carries this or a newer generation.
  if (its.componentGeneration < component.status.observedGeneration) return [];
  const inputs = componentPhaseInputs(component, its);
  const event: ComponentMachineEvent = { type: 'status.computed', inputs };
  const step = machineStep(componentMachine, component.lifecycle, event);
  const phase = componentPhaseOfState(String(step.state.value));
  const failure = hasFailedPod(its);
  const changed = phase !== component.status.phase;
  const message = changed ? { ...component.status.message, ...failure.message } : component.status.message;
  const evidence: RunningEvidence | null =
    phase !== 'Running' ? null : changed || component.runningEvidence === null
      ? { tick: view.now, specReplicas: its.spec.replicas, replicas: its.status.replicas, readyReplicas: its.status.readyReplicas, updatedReplicas: its.status.updatedReplicas }
      : component.runningEvidence;
  // Every field `next` sets is the stored value itself: `next` would write the component's own JSON
  // (stored Components keep their status keys in this order, shapes.ts), so no copy and no compare.
  if (shortcut && !changed && its.componentGeneration === component.status.observedGeneration && evidence === component.runningEvidence && step.state === component.lifecycle) return [];
  const next: Component = {
    ...component,
    status: { phase, observedGeneration: its.componentGeneration, message },
    runningEvidence: evidence,
    lifecycle: step.state,
  };
  if (jsonEqual(next, component)) return [];
  const writes: KbWrite[] = [{ kind: 'component.put', component: next }];
  // transformer_component_status.go setComponentStatusPhase: "component is <Phase>".
  if (changed) writes.push({ kind: 'event', event: { type: 'Normal', reason: 'ComponentPhaseTransition', message: `component is ${phase}`, involvedObject: `Component/${component.name}`, source: 'component-controller' } });
  return writes;
}

/** The Component controller under `profile`. */
export function componentController(profile: KubeBlocksProfile): KbController {
  return {
    name: 'component',
    objectKind: 'Component',
    reconcile(view: KubeBlocksWorld, key: string): ReconcileResult {
      const component = view.kb.components[key];
      if (component === undefined) return { writes: [] };
      const its = view.kb.instanceSets[key];
      // No running workload yet: create it; the status is not recomputed this round.
      if (its === undefined) return { writes: [{ kind: 'instanceset.put', instanceSet: newInstanceSet(profile, component) }] };
      const writes: KbWrite[] = [];
      const spec = desiredInstanceSetSpec(component);
      if (!jsonEqual(spec, its.spec) || its.componentGeneration !== component.generation) {
        writes.push({ kind: 'instanceset.put', instanceSet: { ...its, spec, generation: its.generation + 1, componentGeneration: component.generation } });
      }
      // The status transformer reads the running ITS as it was at the start of this reconcile.
      writes.push(...componentStatusWrites(view, component, its));
      return { writes };
    },
  };
}

/** The work item of the component controller for `name`. */
export function componentItem(name: string): string {
  return workItem('component', name);
}

/** A fresh Component machine state. */
export function newComponentLifecycle(profile: KubeBlocksProfile): Component['lifecycle'] {
  return machineInitState(componentMachine, { stoppingWaitsForPostProvision: profile.stoppingWaitsForPostProvision });
}
