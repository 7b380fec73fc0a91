/**
 * The OpsRequest API object (operations.kubeblocks.io/v1alpha1), reduced to the fields the
 * lifecycle reads and writes. Plain JSON data.
 */
import type { MachineState } from '../../sim/machine-host.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { ComponentShape, HorizontalScaling } from './hscale.ts';
import type { OpsType } from './opsrequest.events.ts';
import type { OpsCondition, OpsPhase, OpsRequestContext } from './opsrequest.machine.ts';
import type { ProgressDetail } from './progress.ts';

export interface OpsRequestSpec {
  readonly clusterName: string;
  readonly type: OpsType;
  /** `spec.horizontalScaling[]` (only for HorizontalScaling). */
  readonly horizontalScaling: readonly HorizontalScaling[];
  /** `spec.cancel`: set by the user to cancel. */
  readonly cancel: boolean;
  readonly force: boolean;
  readonly enqueueOnForce: boolean;
  /** `spec.timeoutSeconds`; null or 0 means no timeout. */
  readonly timeoutSeconds: number | null;
}

/** `status.lastConfiguration.components[c]`, as a list (no keyed objects in worlds). */
export interface LastComponentConfiguration extends ComponentShape {
  readonly componentName: string;
}

/** `status.components[c]`. */
export interface OpsComponentStatus {
  readonly componentName: string;
  /** Mirrors the cluster's component phase. */
  readonly phase: string;
  readonly progressDetails: readonly ProgressDetail[];
}

/** What a component looked like at the moment its ops completed (recorded by the host, for properties). */
export interface ComponentAtCompletion {
  readonly componentName: string;
  /** The Cluster's `spec.componentSpecs[c]` replicas and offlineInstances at that moment. */
  readonly spec: ComponentShape;
  /** Pods that existed (not terminating), sorted by ordinal. */
  readonly pods: readonly string[];
}

export interface OpsRequestStatus {
  /** Mirrors the lifecycle machine's state. */
  readonly phase: OpsPhase;
  /** Saved at Pending → Creating; null before. */
  readonly lastConfiguration: readonly LastComponentConfiguration[] | null;
  /** `startTimestamp`, set at Pending → Creating. */
  readonly startTick: Tick | null;
  readonly completionTick: Tick | null;
  /** `status.progress`, e.g. `0/1`; `-` before the first count. */
  readonly progress: string;
  readonly components: readonly OpsComponentStatus[];
  readonly conditions: readonly OpsCondition[];
  /** Simulator bookkeeping, not an upstream field: the components when the ops turned terminal. */
  readonly atCompletion: readonly ComponentAtCompletion[] | null;
}

export interface OpsRequest {
  readonly name: string;
  /** Creation order; "earlier" ops are the ones with a smaller sequence. */
  readonly sequence: number;
  readonly createdTick: Tick;
  readonly spec: OpsRequestSpec;
  readonly status: OpsRequestStatus;
  readonly lifecycle: MachineState<OpsRequestContext>;
}

/** The last configuration of `componentName`, if saved. */
export function lastConfigurationOf(ops: OpsRequest, componentName: string): LastComponentConfiguration | undefined {
  return ops.status.lastConfiguration?.find((entry) => entry.componentName === componentName);
}
