/**
 * Scenario `pg-role-event-reorder` (a finding of the pg-image-mismatch scale bench, not a seed):
 * a KubeBlocks PostgreSQL Component whose Patroni leader is healthy ends `Failed` ("Role probe
 * timeout…"), its InstanceSet 3/3 ready with only 2 members, because the leader's pod lost its
 * `kubeblocks.io/role` label and its kbagent never reports again.
 *
 * The story the swarm finds: a member holds the leader lock and kbagent reports `primary`; before
 * that report is handled the member's node drops out, another member takes the lock and reports
 * `primary` too; the role handler applies the newer report, then the older one, and since
 * `primary` is exclusive it strips the label from the real leader. kbagent sends a roleProbe
 * Event only when the output changes (pkg/kbagent/service/probe.go; release-1.0 gives the
 * roleProbe no `reportPeriodSeconds`), so nothing puts the label back. Upstream: issue #10087
 * (stale events strip the exclusive label of the correct leader), issues #10186 and #10200
 * (1.0.3-beta.5: a member missing from membersStatus, the stable primary "may not emit a new
 * event because its role did not change").
 *
 * - `buggy` (kubeblocks@1.0.3-beta.1): exclusive roles of PR #10052, stripped with no version check.
 * - `1.0.3` (kubeblocks@1.0.3), a finding: PR #10086 / #10088 leaves a holder alone when the
 *   version it recorded is at least the event's, which blocks the story above; but it also stamps
 *   the pod it strips with the event's version. When that pod's own report (`secondary`, sent
 *   before the event but handled after it) then arrives, it is older than the stamp and dropped as
 *   stale: the pod keeps no label, and its kbagent, whose output did not change, never reports
 *   again. Same end state, another member.
 * - `fixed` (kubeblocks@1.0.3+pr10201): PR #10201 "recover role labels after exclusive role
 *   cleanup" (closes #10186) makes kbagent re-send its role when the pod's role label changes.
 *
 * The premise is a Running cluster of 3 replicas on 3 nodes (the shape the scale bench found it
 * in), created without faults. Role Events are handled first in, first out (role-event-queue.ts).
 * The vocabulary is node failures and returns (a node that drops out is what leaves a member's
 * report behind; a deleted pod's pending report belongs to another UID and is ignored) and the two
 * upstream moves that reorder Events: a pod update conflict in the handler, which requeues that
 * Event with backoff behind the others, and an operator restart, which re-lists pending Events in
 * no guaranteed order.
 */
import { assert } from '../../sim/assert.ts';
import { LimitError } from '../../sim/limits.ts';
import { OptionsError, type Model } from '../../sim/model.ts';
import { ratio, type Prng } from '../../sim/prng.ts';
import { sometimes } from '../../sim/property.ts';
import type { Scenario, ScenarioVariant } from '../../sim/scenario.ts';
import { clusterCreate, nodePool, type ClusterTiming } from '../../sim/cluster/index.ts';
import { kubeblocks103, kubeblocks103RoleLabelRecovery, kubeblocks103beta1, type KubeBlocksProfile } from '../../machines/kubeblocks/kubeblocks-profile.ts';
import { postgresqlClusterInput, postgresqlComponentDefinition } from '../../machines/kubeblocks/cluster-controller.ts';
import { kubeblocksPending, kubeblocksProperties } from '../../machines/kubeblocks/kubeblocks-properties.ts';
import { kubeblocksRuntime, kubeblocksWorldCreate, type KubeBlocksAction, type KubeBlocksRuntime } from '../../machines/kubeblocks/kubeblocks-runtime.ts';
import { roleEventQueueExtension } from '../../machines/kubeblocks/role-event-queue.ts';
import type { KubeBlocksWorld } from '../../machines/kubeblocks/kubeblocks-world.ts';

const spiloTag = 'apecloud/spilo:16';

export interface PgRoleEventReorderOptions {
  readonly nodeCount: number;
  readonly replicas: number;
  readonly timing: Pick<ClusterTiming, 'pullDelayTicks' | 'startDelayTicks' | 'readyDelayTicks'>;
}

/** Largest nodeCount and replicas accepted from a trace or script. */
export const pgRoleEventReorderSizeMax = 30;
/** Steps the creation of the cluster may take at most before the run starts. */
export const creationStepsMax = 20_000;

const defaults: PgRoleEventReorderOptions = { nodeCount: 3, replicas: 3, timing: { pullDelayTicks: 5, startDelayTicks: 2, readyDelayTicks: 3 } };

function parseOptions(raw: unknown): PgRoleEventReorderOptions {
  if (raw === undefined) return defaults;
  if (typeof raw !== 'object' || raw === null) throw new OptionsError('pg-role-event-reorder options must be an object');
  const input = raw as Partial<PgRoleEventReorderOptions>;
  const nodeCount = input.nodeCount ?? defaults.nodeCount;
  const replicas = input.replicas ?? defaults.replicas;
  if (!Number.isInteger(nodeCount) || nodeCount < 1 || nodeCount > pgRoleEventReorderSizeMax) throw new OptionsError(`nodeCount ${String(nodeCount)} must be an integer in 1..${pgRoleEventReorderSizeMax}`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > pgRoleEventReorderSizeMax) throw new OptionsError(`replicas ${String(replicas)} must be an integer in 1..${pgRoleEventReorderSizeMax}`);
  const timing = { ...defaults.timing, ...(input.timing ?? {}) };
  for (const [name, value] of Object.entries(timing)) {
    if (!Number.isInteger(value) || value < 0 || value > 60) throw new OptionsError(`timing.${name} ${String(value)} must be an integer in 0..60`);
  }
  return { nodeCount, replicas, timing };
}

function drawOptions(prng: Prng): PgRoleEventReorderOptions {
  return { nodeCount: 3, replicas: 3, timing: { pullDelayTicks: prng.int(2, 8), startDelayTicks: prng.int(1, 3), readyDelayTicks: prng.int(1, 5) } };
}

type World = KubeBlocksWorld<Record<string, never>>;

/**
 * The premise, a Running cluster: creation driven without faults, taking the first enabled
 * controller step each time (time moves on when there is none).
 */
function untilRunning(runtime: KubeBlocksRuntime<World>, created: World): World {
  let world = created;
  for (let step = 0; step < creationStepsMax; step++) {
    // The system moves are the entries of `actions` that are not faults or user requests, in its
    // order (kubeblocks-action-split.test.ts): the same step, without listing the faults.
    const actions = runtime.systemActions(world);
    const next = actions.find((action) => action.kind !== 'time') ?? actions.find((action) => action.kind === 'time' && !(action as { readonly idle: boolean }).idle);
    if (next === undefined) {
      const phase = world.kb.components['pg-postgresql']?.status.phase;
      assert(phase === 'Running', `the cluster is ${phase ?? 'absent'} after creation`);
      return world;
    }
    world = runtime.apply(world, next);
  }
  throw new LimitError('creationStepsMax', creationStepsMax, 'creating the cluster');
}

/** The member that leads once the cluster is created (creation takes the first enabled step). */
export const firstLeader = 'pg-postgresql-0';

/** The pod holding Patroni's leader lock, read from the engine's state. */
export function patroniLeader(world: World): string | null {
  const patroni = world.engine['patroni'] as { readonly leaders?: Readonly<Record<string, { readonly pod: string }>> } | undefined;
  return patroni?.leaders?.['pg-postgresql']?.pod ?? null;
}

/** Running worlds kept per model and options; past it the cache is cleared (same worlds either way). */
export const initialWorldsCachedMax = 256;

/**
 * The model of one variant: a Running PostgreSQL cluster under `profile`, with node faults.
 * Speed (issue 11): creating the cluster takes about a hundred steps, more than many runs, and is a
 * pure function of the options; worlds are never mutated, so each run of the same options starts
 * from one shared Running world. `memoInit: false` builds it afresh every time (the test compares).
 */
export function pgRoleEventReorderModel(profile: KubeBlocksProfile, { memoInit = true }: { readonly memoInit?: boolean } = {}): Model<World, KubeBlocksAction, PgRoleEventReorderOptions> {
  const runtime = kubeblocksRuntime<World>({
    profile,
    componentDefinitions: [postgresqlComponentDefinition],
    clusterFaults: ['node.down', 'node.up'],
    extensions: [roleEventQueueExtension<World>(['pod.update-conflict', 'operator.restart'])],
  });
  const create = (options: PgRoleEventReorderOptions): World => {
    const k8s = clusterCreate({ nodes: nodePool(options.nodeCount), images: [spiloTag], timing: options.timing });
    return untilRunning(runtime, kubeblocksWorldCreate(k8s, [postgresqlClusterInput(options.replicas, spiloTag)], {}));
  };
  const initialWorlds = new Map<string, World>();
  return {
    name: `pg-role-event-reorder@${profile.name}`,
    options: { defaults, parse: parseOptions, draw: drawOptions },
    init(options) {
      if (!memoInit) return create(options);
      // The options' JSON text is the key: init reads nothing else.
      const key = JSON.stringify(options);
      let world = initialWorlds.get(key);
      if (world === undefined) {
        world = create(options);
        if (initialWorlds.size >= initialWorldsCachedMax) initialWorlds.clear();
        initialWorlds.set(key, world);
      }
      return world;
    },
    actions: runtime.actions,
    systemActions: runtime.systemActions,
    environmentActions: runtime.environmentActions,
    apply: runtime.apply,
    settle: runtime.settle,
    now: (world) => world.now,
    properties: [
      // Creation is the fault-free premise here, so "a pod restarts during creation" cannot happen.
      ...kubeblocksProperties<World>(profile).filter((property) => property.name !== 'a pod restarts during creation'),
      sometimes<World>('the leader lock moves off the first leader', (world) => patroniLeader(world) !== null && patroniLeader(world) !== firstLeader),
    ],
    pending: (world) => kubeblocksPending(profile, world),
    observe: runtime.observe,
  };
}

const variants: readonly ScenarioVariant[] = [
  {
    name: 'buggy',
    profile: kubeblocks103beta1.name,
    summary: 'an older primary report handled after a newer one strips the real leader\'s exclusive label (issue #10087)',
    model: pgRoleEventReorderModel(kubeblocks103beta1),
    expect: 'stuck',
  },
  {
    name: '1.0.3',
    profile: kubeblocks103.name,
    summary: 'finding: PR #10086 stamps the stripped pod with the event\'s version, so that pod\'s own older report is dropped as stale and it stays unlabelled',
    model: pgRoleEventReorderModel(kubeblocks103),
    expect: 'stuck',
  },
  {
    name: 'fixed',
    profile: kubeblocks103RoleLabelRecovery.name,
    summary: 'PR #10201: kbagent re-sends its role when the pod\'s role label changes, so a stripped label comes back',
    model: pgRoleEventReorderModel(kubeblocks103RoleLabelRecovery),
    expect: 'clean',
  },
];

export const pgRoleEventReorderScenario: Scenario = {
  name: 'pg-role-event-reorder',
  title: 'KubeBlocks PostgreSQL Component Failed: role reports handled out of order leave a member unlabelled (1.0.3-beta.1, 1.0.3, PR #10201)',
  variants,
  // Faults come thick (one step in two while the budget lasts): the story needs a node to drop out
  // between a report and its handling, a few steps apart, and a conflict or restart to reorder.
  swarm: {
    faultPhaseTicks: 600,
    convergenceTicksMax: 600,
    actionsPerRunMax: 20_000,
    faultChance: ratio(1, 2),
    requestChance: ratio(0, 1),
    faultsMax: 12,
    requestsMax: 0,
  },
  huntRunsDefault: 1000,
};
