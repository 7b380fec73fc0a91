/**
 * The world of the `pgo-replica-deleted` scenario: the cluster substrate (3 nodes, StatefulSets,
 * pods, PVCs), the Patroni members of scope `<cluster>-ha` with their DCS, the PostgresCluster
 * custom resource, PGO's controller state, and the timers (HA loops, PostgreSQL durations, PGO's
 * requeue, DCS partitions healing). Plain JSON data throughout.
 */
import type { EventObject } from 'xstate';
import type { Clock } from '../../sim/clock.ts';
import type { Cluster } from '../../sim/cluster/index.ts';
import type { ControllerError } from '../../sim/model.ts';
import type { Tick } from '../../sim/ticks.ts';
import type { PatroniCluster } from '../../machines/patroni-member/patroni-cluster.ts';
import type { PatroniConfig } from '../../machines/patroni-member/patroni-config.ts';
import type { ExecResult, PendingFailover } from '../../machines/patroni-member/rest-api.ts';
import type { PostgresCluster } from '../../machines/pgo-postgrescluster/postgrescluster.ts';
import type { SuspendedReconcile } from '../../machines/pgo-postgrescluster/reconcile.ts';

/** The switchover settings a cluster starts with (left over from earlier operations, or none). */
export type InitialSwitchover =
  /** No `spec.patroni.switchover`, no annotation. */
  | 'none'
  /** Enabled; an earlier switchover completed (status equals the annotation). */
  | 'enabled-completed'
  /** Disabled as the docs advise after a switchover, annotation left in place. */
  | 'disabled-annotation-left'
  /** Enabled, no annotation yet. */
  | 'enabled-idle';

export const initialSwitchoverKinds: readonly InitialSwitchover[] = ['none', 'enabled-completed', 'disabled-annotation-left', 'enabled-idle'];

export interface PgoScenarioOptions {
  readonly clusterName: string;
  readonly nodeCount: number;
  readonly replicas: number;
  readonly patroni: PatroniConfig;
  /** WAL the primary writes per tick, bytes. */
  readonly writeBytesPerTick: number;
  /** WAL a streaming replica receives per tick at most, bytes. */
  readonly catchUpBytesPerTick: number;
  readonly pgStartTicks: number;
  readonly pgStopTicks: number;
  readonly cloneTicks: number;
  readonly initdbTicks: number;
  /** How long a DCS partition of a node lasts before it heals by itself. */
  readonly partitionTicks: number;
  readonly initialSwitchover: InitialSwitchover;
  readonly rewindSucceeds: boolean;
}

/** What a data directory (a pgdata PVC) holds. */
export interface VolumeData {
  readonly hasData: boolean;
  readonly walLsn: number;
  readonly timeline: number;
}

export type TimerPayload =
  | { readonly kind: 'ha'; readonly member: string }
  | { readonly kind: 'pg'; readonly member: string; readonly event: EventObject }
  | { readonly kind: 'pgo.requeue' }
  | { readonly kind: 'pgo.exec.deadline' }
  | { readonly kind: 'dcs.heal'; readonly node: string };

/** An exec PGO is waiting on: finished, or `patronictl` polling the API for the outcome. */
export type ExecState = { readonly kind: 'done'; readonly result: ExecResult } | { readonly kind: 'polling'; readonly pending: PendingFailover; readonly candidate: string | null };

export interface PgoControllerState {
  /** A watch event is queued for the cluster. */
  readonly dirty: boolean;
  /** What PGO's watches last saw (cluster, owned StatefulSets, pods labelled primary). */
  readonly watchKey: string;
  /** Consecutive failed reconciles (controller-runtime's per-item backoff). */
  readonly failures: number;
  readonly inFlight: { readonly suspended: SuspendedReconcile; readonly exec: ExecState } | null;
  readonly errors: readonly ControllerError[];
  readonly reconciles: number;
}

export interface PgoStats {
  /** Switchovers PGO ran and saw succeed. */
  readonly switchoversCompleted: number;
  /** A member took the lock while the previous leader's node was down. */
  readonly failoverAfterNodeDown: boolean;
  /** Promotions that broke the rules in force (the eligibility audit), newest last. */
  readonly ineligiblePromotions: readonly string[];
  /** Ticks at which two members accepted writes, with their names. */
  readonly splitBrain: readonly string[];
}

/** Which user requests the swarm may make. */
export interface PgoVocabulary {
  /** Set or clear `spec.patroni.switchover.targetInstance` (off in `pgo-replica-deleted`, whose issue lists annotation and `enabled` only). */
  readonly targetInstance: boolean;
}

export interface PgoWorld {
  readonly options: PgoScenarioOptions;
  readonly profile: string;
  readonly vocabulary: PgoVocabulary;
  readonly now: Tick;
  readonly clock: Clock<TimerPayload>;
  readonly cluster: Cluster;
  readonly patroni: PatroniCluster;
  readonly postgres: PostgresCluster;
  /** Bumped on every write to the PostgresCluster (spec, annotation or status). */
  readonly postgresVersion: number;
  readonly pgo: PgoControllerState;
  /** pgdata PVC name → what its data directory holds. */
  readonly volumes: Readonly<Record<string, VolumeData>>;
  /** Nodes whose members cannot reach the DCS (the Kubernetes API). */
  readonly partitions: readonly string[];
  /** Pods whose StatefulSet was deleted and that garbage collection has yet to remove. */
  readonly orphans: readonly string[];
  readonly requestsMade: number;
  readonly stats: PgoStats;
}

export const clusterLabel = 'postgres-operator.crunchydata.com/cluster';
export const instanceSetLabel = 'postgres-operator.crunchydata.com/instance-set';
export const instanceLabel = 'postgres-operator.crunchydata.com/instance';
export const roleLabel = 'postgres-operator.crunchydata.com/role';
export const namespace = 'default';
export const pgoControllerName = 'postgrescluster-controller';
/** Kept findings per list in {@link PgoStats}. */
export const statsFindingsMax = 16;
