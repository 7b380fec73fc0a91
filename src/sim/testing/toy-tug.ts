/**
 * A second toy model for the kernel's tests: two controllers that keep undoing each other, the
 * classic Argo CD + HorizontalPodAutoscaler fight. The HPA sets `spec.replicas` of Deployment `web`
 * to what the load needs on every sync (every 15 s); Argo CD with `selfHeal` sees the live object
 * drift from git and, after its self-heal timeout, syncs it back. The Deployment controller follows
 * each change. Variants:
 * - `livelock`: Argo CD compares `spec.replicas` too, so the two flip it forever. The Deployment is
 *   rolled out whenever the world is quiet, so a run checked at its end looks healthy: only the
 *   explorer's cycle analysis sees that it never stays rolled out.
 * - `fixed`: the Application ignores `/spec/replicas` (Argo CD's documented advice for HPA-managed
 *   workloads: `ignoreDifferences` with `jsonPointers: [/spec/replicas]`); the HPA wins once.
 * Plain reducers, no XState: this model only exercises drivers.
 */
import { assert, unreachable } from '../assert.ts';
import { clockAdvance, clockCreate, clockFire, clockFirstDue, clockHas, clockNextDueTick, clockSchedule, type Clock } from '../clock.ts';
import { eventsRecord, type KubeEvent } from '../events.ts';
import { OptionsError, timeAction, type Model, type TimeAction } from '../model.ts';
import { always, eventually, sometimes } from '../property.ts';

export type TugVariant = 'livelock' | 'fixed';

export interface TugOptions {
  /** Replicas the HPA computes from the load. */
  readonly hpaReplicas: number;
  /** Replicas written in git. */
  readonly gitReplicas: number;
}

type TugTimer = { readonly controller: 'hpa' | 'argocd' };

export interface TugWorld {
  readonly options: TugOptions;
  readonly clock: Clock<TugTimer>;
  /** Deployment web: `spec.replicas` and the replicas its ReplicaSet runs. */
  readonly specReplicas: number;
  readonly runningReplicas: number;
  readonly deploymentDirty: boolean;
  readonly applicationDirty: boolean;
  readonly syncStatus: 'Synced' | 'OutOfSync';
  readonly events: readonly KubeEvent[];
}

export type TugAction =
  | TimeAction
  | { readonly kind: 'controller'; readonly label: string; readonly controller: 'deployment' | 'argocd' }
  | { readonly kind: 'timer'; readonly label: string; readonly id: string };

// pkg/controller/podautoscaler (--horizontal-pod-autoscaler-sync-period=15s).
export const hpaSyncTicks = 15;
// argo-cd controller/appcontroller.go: self-heal waits selfHealTimeout (5 s by default) before syncing.
export const selfHealTicks = 5;

function drifted(variant: TugVariant, world: TugWorld): boolean {
  return variant === 'livelock' && world.specReplicas !== world.options.gitReplicas;
}

function record(world: TugWorld, object: string, source: string, reason: string, message: string): TugWorld {
  return { ...world, events: eventsRecord(world.events, { type: 'Normal', reason, message, involvedObject: object, source }, world.clock.now) };
}

function setReplicas(world: TugWorld, replicas: number): TugWorld {
  return { ...world, specReplicas: replicas, deploymentDirty: true, applicationDirty: true };
}

function fireTimer(variant: TugVariant, world: TugWorld, id: string): TugWorld {
  const fired = clockFire(world.clock, id);
  const next = { ...world, clock: fired.clock };
  switch (fired.timer.payload.controller) {
    case 'hpa': {
      const rearmed = { ...next, clock: clockSchedule(next.clock, 'hpa.sync', hpaSyncTicks, { controller: 'hpa' as const }) };
      if (rearmed.specReplicas === rearmed.options.hpaReplicas) return rearmed;
      // pkg/controller/podautoscaler/horizontal.go: Eventf(hpa, Normal, "SuccessfulRescale", "New size: %d; reason: %s", …)
      const scaled = setReplicas(rearmed, rearmed.options.hpaReplicas);
      return record(scaled, 'HorizontalPodAutoscaler/web', 'horizontal-pod-autoscaler', 'SuccessfulRescale', `New size: ${scaled.specReplicas}; reason: cpu resource utilization (percentage of request) above target`);
    }
    case 'argocd': {
      if (!drifted(variant, next)) return next;
      // controller/appcontroller.go autoSync: "Initiated automated sync to '<revision>'" (reason OperationStarted).
      const synced = setReplicas({ ...next, syncStatus: 'Synced' }, next.options.gitReplicas);
      return record(synced, 'Application/web', 'argocd-application-controller', 'OperationStarted', "Initiated automated sync to 'HEAD'");
    }
    default:
      return unreachable(fired.timer.payload.controller, 'tug timer');
  }
}

function reconcileDeployment(world: TugWorld): TugWorld {
  const next = { ...world, deploymentDirty: false };
  if (next.runningReplicas === next.specReplicas) return next;
  const direction = next.specReplicas > next.runningReplicas ? 'up' : 'down';
  // pkg/controller/deployment/sync.go: "Scaled %s replica set %s from %d to %d".
  const scaled = { ...next, runningReplicas: next.specReplicas };
  return record(scaled, 'Deployment/web', 'deployment-controller', 'ScalingReplicaSet', `Scaled ${direction} replica set web-6f7d9c from ${next.runningReplicas} to ${next.specReplicas}`);
}

function refreshApplication(variant: TugVariant, world: TugWorld): TugWorld {
  const next = { ...world, applicationDirty: false };
  if (!drifted(variant, next)) return { ...next, syncStatus: 'Synced' };
  if (clockHas(next.clock, 'argocd.selfheal')) return { ...next, syncStatus: 'OutOfSync' };
  return { ...next, syncStatus: 'OutOfSync', clock: clockSchedule(next.clock, 'argocd.selfheal', selfHealTicks, { controller: 'argocd' }) };
}

function actionsTug(world: TugWorld): TugAction[] {
  const actions: TugAction[] = [];
  if (world.deploymentDirty) actions.push({ kind: 'controller', label: 'reconcile Deployment web', controller: 'deployment' });
  if (world.applicationDirty) actions.push({ kind: 'controller', label: 'refresh Application web', controller: 'argocd' });
  const due = clockFirstDue(world.clock);
  if (due) actions.push({ kind: 'timer', label: `timer ${due.id}`, id: due.id });
  actions.push(timeAction(world.clock.now, clockNextDueTick(world.clock), 1));
  return actions;
}

function applyTug(variant: TugVariant, world: TugWorld, action: TugAction): TugWorld {
  switch (action.kind) {
    case 'time':
      return { ...world, clock: clockAdvance(world.clock, action.to) };
    case 'timer':
      return fireTimer(variant, world, action.id);
    case 'controller':
      return action.controller === 'deployment' ? reconcileDeployment(world) : refreshApplication(variant, world);
    default:
      return unreachable(action, 'tug action');
  }
}

function parseTugOptions(raw: unknown): TugOptions {
  const record = (raw ?? {}) as { hpaReplicas?: unknown; gitReplicas?: unknown };
  for (const field of ['hpaReplicas', 'gitReplicas'] as const) {
    const value = record[field];
    if (!Number.isSafeInteger(value) || (value as number) < 1 || (value as number) > 9) throw new OptionsError(`${field} must be an integer in 1..9, got ${JSON.stringify(value)}`);
  }
  return { hpaReplicas: record.hpaReplicas as number, gitReplicas: record.gitReplicas as number };
}

const rolledOut = (world: TugWorld): boolean => world.runningReplicas === world.specReplicas;

/** The HPA-versus-GitOps toy in one of its variants. */
export function toyTugModel(variant: TugVariant): Model<TugWorld, TugAction, TugOptions> {
  return {
    name: `toy-tug/${variant}`,
    options: { defaults: { hpaReplicas: 3, gitReplicas: 2 }, parse: parseTugOptions, draw: (prng) => ({ hpaReplicas: prng.int(2, 4), gitReplicas: prng.int(1, 3) }) },
    init(options) {
      const clock = clockSchedule<TugTimer>(clockCreate(), 'hpa.sync', 0, { controller: 'hpa' });
      return { options, clock, specReplicas: options.gitReplicas, runningReplicas: options.gitReplicas, deploymentDirty: false, applicationDirty: false, syncStatus: 'Synced', events: [] };
    },
    actions: actionsTug,
    apply: (world, action) => applyTug(variant, world, action),
    settle: (world) => world,
    now: (world) => world.clock.now,
    pending(world) {
      if (!rolledOut(world)) return `Deployment web runs ${world.runningReplicas} of ${world.specReplicas} replicas`;
      if (world.syncStatus === 'OutOfSync') return `Application web OutOfSync: spec.replicas ${world.specReplicas} live, ${world.options.gitReplicas} in git`;
      return null;
    },
    observe: (world) => ({
      objects: [
        { kind: 'Deployment', name: 'web', phase: rolledOut(world) ? 'Available' : 'Progressing' },
        { kind: 'Application', name: 'web', phase: world.syncStatus },
      ],
      events: world.events,
      errors: [],
    }),
    properties: [
      always<TugWorld>('replicas stay within what git and the HPA ask for', (world) => {
        const low = Math.min(world.options.gitReplicas, world.options.hpaReplicas);
        const high = Math.max(world.options.gitReplicas, world.options.hpaReplicas);
        return world.specReplicas >= low && world.specReplicas <= high;
      }),
      eventually<TugWorld>('Deployment web is rolled out and stays so', rolledOut, (world) => {
        assert(!rolledOut(world), 'explain called while rolled out');
        return { subject: { kind: 'Deployment', name: 'web', phase: 'Progressing' }, reason: `runs ${world.runningReplicas} of ${world.specReplicas} replicas` };
      }),
      sometimes<TugWorld>('the Deployment runs what the HPA asked for', (world) => world.runningReplicas === world.options.hpaReplicas),
    ],
  };
}
