/**
 * The Longhorn volume: `status.state` (the attach/detach state machine) and `status.robustness`,
 * as two parallel regions of one XState machine.
 *
 * `state` follows controller/volume_controller.go, reconcileAttachDetachStateMachine, row by row
 * (reference §1.6). Each `volume.synced` event carries what one syncVolume pass saw: the desired
 * node (`spec.nodeID`, set by the VolumeAttachment controller), and whether the dependent resources
 * are closed (engine and every replica `stopped`) or opened (engine and ≥1 replica `running`).
 * The machine answers with named effects (`openResources`, `closeResources`) that the volume
 * controller performs, and keeps `status.currentNodeID` in its context.
 *
 * `robustness` follows ReconcileEngineReplicaState / ReconcileVolumeState (reference §1.7).
 */
import { and, assign, setup } from 'xstate';

export type VolumeState = 'creating' | 'attached' | 'detached' | 'attaching' | 'detaching' | 'deleting';
export const volumeStates: readonly VolumeState[] = ['creating', 'attached', 'detached', 'attaching', 'detaching', 'deleting'];
export type VolumeRobustness = 'healthy' | 'degraded' | 'faulted' | 'unknown';
export const volumeRobustnesses: readonly VolumeRobustness[] = ['healthy', 'degraded', 'faulted', 'unknown'];

export interface VolumeContext {
  readonly volumeName: string;
  /** `status.currentNodeID`. */
  readonly currentNodeID: string;
}

export type VolumeEvent =
  | {
      readonly type: 'volume.synced';
      readonly desiredNodeID: string;
      readonly resourcesClosed: boolean;
      readonly resourcesOpened: boolean;
      /** A migratable RWX volume with `currentMigrationNodeID` set stays attached on a node change. */
      readonly migrating: boolean;
    }
  | { readonly type: 'volume.deletionRequested' }
  /** The engine is `error` while the volume should be attached: "dead unexpectedly, reattach". */
  | { readonly type: 'volume.engineDied' }
  /**
   * All replicas failed (isAutoSalvageNeeded): upstream sets `status.currentNodeID = ""` so that the
   * volume detaches; auto-salvage runs once it is detached and then reattaches it.
   */
  | { readonly type: 'volume.salvageNeeded' }
  | { readonly type: 'robustness.engineUnknown' }
  /** closeVolumeDependentResources: robustness becomes unknown unless faulted. */
  | { readonly type: 'robustness.closing' }
  /** Healthy (RW, counted) replicas seen by this reconcile. */
  | { readonly type: 'robustness.counted'; readonly healthyCount: number; readonly numberOfReplicas: number }
  | { readonly type: 'robustness.salvageNeeded' }
  /** Faulted and detached: auto-salvaged, or salvage no longer needed (robustness back to unknown). */
  | { readonly type: 'robustness.recovered' };

export type VolumeEventType = VolumeEvent['type'];
export const volumeEventTypes: readonly VolumeEventType[] = [
  'volume.synced',
  'volume.deletionRequested',
  'volume.engineDied',
  'volume.salvageNeeded',
  'robustness.engineUnknown',
  'robustness.closing',
  'robustness.counted',
  'robustness.salvageNeeded',
  'robustness.recovered',
];

type Synced = Extract<VolumeEvent, { type: 'volume.synced' }>;
function synced(event: VolumeEvent): Synced | null {
  return event.type === 'volume.synced' ? event : null;
}

const stateEvents: readonly VolumeEventType[] = ['volume.synced', 'volume.deletionRequested', 'volume.engineDied', 'volume.salvageNeeded'];
const robustnessEvents: readonly VolumeEventType[] = ['robustness.engineUnknown', 'robustness.closing', 'robustness.counted', 'robustness.salvageNeeded', 'robustness.recovered'];

/** Events each state of each region leaves alone on purpose (the state × event walk checks this). */
export const volumeIgnored: Readonly<Record<string, readonly VolumeEventType[]>> = {
  'state.creating': [...robustnessEvents, 'volume.engineDied', 'volume.salvageNeeded'],
  'state.detached': [...robustnessEvents, 'volume.engineDied', 'volume.salvageNeeded'],
  'state.attaching': [...robustnessEvents, 'volume.engineDied'],
  'state.attached': [...robustnessEvents],
  'state.detaching': [...robustnessEvents, 'volume.engineDied', 'volume.salvageNeeded'],
  'state.deleting': [...robustnessEvents, ...stateEvents],
  'robustness.healthy': [...stateEvents.filter((type) => type !== 'volume.engineDied'), 'robustness.recovered'],
  'robustness.degraded': [...stateEvents.filter((type) => type !== 'volume.engineDied'), 'robustness.recovered'],
  'robustness.faulted': [...stateEvents, 'robustness.engineUnknown', 'robustness.closing', 'robustness.counted', 'robustness.salvageNeeded'],
  'robustness.unknown': [...stateEvents.filter((type) => type !== 'volume.engineDied'), 'robustness.recovered', 'robustness.engineUnknown', 'robustness.closing'],
};

const close = { type: 'closeResources' as const };
const open = { type: 'openResources' as const };

export const longhornVolumeMachine = setup({
  types: { context: {} as VolumeContext, events: {} as VolumeEvent, input: {} as { volumeName: string } },
  guards: {
    // The guards read the table's two columns: spec.nodeID and status.currentNodeID.
    noDesiredNoCurrent: ({ context, event }) => synced(event)?.desiredNodeID === '' && context.currentNodeID === '',
    noDesired: ({ event }) => synced(event)?.desiredNodeID === '',
    desiredNoCurrent: ({ context, event }) => (synced(event)?.desiredNodeID ?? '') !== '' && context.currentNodeID === '',
    desiredIsCurrent: ({ context, event }) => (synced(event)?.desiredNodeID ?? '') !== '' && synced(event)?.desiredNodeID === context.currentNodeID,
    desiredElsewhereMigrating: ({ context, event }) => {
      const seen = synced(event);
      return seen !== null && seen.desiredNodeID !== '' && context.currentNodeID !== '' && seen.desiredNodeID !== context.currentNodeID && seen.migrating;
    },
    hasDesired: ({ event }) => (synced(event)?.desiredNodeID ?? '') !== '',
    isOpened: ({ event }) => synced(event)?.resourcesOpened === true,
    isClosed: ({ event }) => synced(event)?.resourcesClosed === true,
    isHealthyCountEnough: ({ event }) => event.type === 'robustness.counted' && event.healthyCount > 0 && event.healthyCount >= event.numberOfReplicas,
    isHealthyCountShort: ({ event }) => event.type === 'robustness.counted' && event.healthyCount > 0 && event.healthyCount < event.numberOfReplicas,
  },
  actions: {
    assignCurrentNode: assign({ currentNodeID: ({ event }) => synced(event)?.desiredNodeID ?? '' }),
    clearCurrentNode: assign({ currentNodeID: '' }),
    // Effects the volume controller performs (openVolumeDependentResources / closeVolumeDependentResources).
    openResources: () => {},
    closeResources: () => {},
    // Kubernetes Events: "volume <n> has been attached to <X>" / "volume <n> has been detached".
    recordAttached: () => {},
    recordDetached: () => {},
    recordHealthy: () => {},
    // Sets status.lastDegradedAt and records "volume <n> became degraded".
    recordDegraded: () => {},
    recordUnknown: () => {},
    recordFaulted: () => {},
    // Engine of volume <v> dead unexpectedly, reattach the volume.
    recordEngineDied: () => {},
  },
}).createMachine({
  id: 'longhorn-volume',
  type: 'parallel',
  context: ({ input }) => ({ volumeName: input.volumeName, currentNodeID: '' }),
  on: {},
  states: {
    state: {
      initial: 'creating',
      states: {
        creating: {
          on: {
            'volume.synced': [{ guard: 'noDesiredNoCurrent', target: 'detaching', actions: [close] }],
            'volume.deletionRequested': { target: 'deleting' },
          },
        },
        detached: {
          on: {
            'volume.synced': [
              { guard: 'noDesiredNoCurrent', actions: [close] },
              { guard: 'desiredNoCurrent', target: 'attaching', actions: [open] },
              { target: 'detaching', actions: [close] },
            ],
            'volume.deletionRequested': { target: 'deleting' },
          },
        },
        attaching: {
          on: {
            'volume.salvageNeeded': { target: 'detaching', actions: [close] },
            'volume.synced': [
              { guard: 'noDesired', target: 'detaching', actions: [close] },
              { guard: and(['desiredNoCurrent', 'isOpened']), target: 'attached', actions: [open, 'assignCurrentNode', 'recordAttached'] },
              { guard: 'desiredNoCurrent', actions: [open] },
              { target: 'detaching', actions: [close] },
            ],
            'volume.deletionRequested': { target: 'deleting' },
          },
        },
        attached: {
          on: {
            'volume.synced': [
              { guard: 'desiredIsCurrent', actions: [open] },
              { guard: 'desiredElsewhereMigrating' },
              { target: 'detaching', actions: [close] },
            ],
            'volume.engineDied': { target: 'detaching', actions: ['recordEngineDied', close] },
            'volume.salvageNeeded': { target: 'detaching', actions: [close] },
            'volume.deletionRequested': { target: 'deleting' },
          },
        },
        detaching: {
          on: {
            'volume.synced': [
              { guard: 'isClosed', target: 'detached', actions: ['clearCurrentNode', 'recordDetached'] },
              { actions: [close] },
            ],
            'volume.deletionRequested': { target: 'deleting' },
          },
        },
        deleting: { type: 'final' },
      },
    },
    robustness: {
      initial: 'unknown',
      states: {
        healthy: {
          entry: ['recordHealthy'],
          on: {
            'robustness.closing': { target: 'unknown' },
            'robustness.counted': { guard: 'isHealthyCountShort', target: 'degraded' },
            'robustness.engineUnknown': { target: 'unknown' },
            'robustness.salvageNeeded': { target: 'faulted' },
            'volume.engineDied': { target: 'faulted' },
          },
        },
        degraded: {
          entry: ['recordDegraded'],
          on: {
            'robustness.closing': { target: 'unknown' },
            'robustness.counted': { guard: 'isHealthyCountEnough', target: 'healthy' },
            'robustness.engineUnknown': { target: 'unknown' },
            'robustness.salvageNeeded': { target: 'faulted' },
            'volume.engineDied': { target: 'faulted' },
          },
        },
        faulted: {
          entry: ['recordFaulted'],
          on: { 'robustness.recovered': { target: 'unknown' } },
        },
        unknown: {
          entry: ['recordUnknown'],
          on: {
            'robustness.counted': [
              { guard: 'isHealthyCountEnough', target: 'healthy' },
              { guard: 'isHealthyCountShort', target: 'degraded' },
            ],
            'robustness.salvageNeeded': { target: 'faulted' },
            'volume.engineDied': { target: 'faulted' },
          },
        },
      },
    },
  },
});

export type LonghornVolumeMachine = typeof longhornVolumeMachine;
