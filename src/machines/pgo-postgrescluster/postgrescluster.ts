/**
 * The Crunchy PGO v5 PostgresCluster as plain data: the parts of spec, annotations and status the
 * reconcile reads and writes (G:`pkg/apis/postgres-operator.crunchydata.com/v1beta1/patroni_types.go`,
 * `postgrescluster_types.go`), naming (G:`internal/naming/names.go`) and the objects PGO observes.
 */
import { hash32 } from '../../sim/prng.ts';

/** G:`internal/naming/annotations.go` `PatroniSwitchover`. */
export const triggerSwitchoverAnnotation = 'postgres-operator.crunchydata.com/trigger-switchover';

export type SwitchoverType = 'Switchover' | 'Failover';

export interface PatroniSwitchoverSpec {
  readonly enabled: boolean;
  /** An instance name (the StatefulSet name), not a pod name. */
  readonly targetInstance: string | null;
  readonly type: SwitchoverType;
}

export interface InstanceSetSpec {
  readonly name: string;
  readonly replicas: number;
}

export interface PostgresClusterSpec {
  readonly instances: readonly InstanceSetSpec[];
  readonly switchover: PatroniSwitchoverSpec | null;
}

export interface InstanceSetStatus {
  readonly name: string;
  readonly replicas: number;
  readonly readyReplicas: number;
}

export interface PatroniStatus {
  /** The trigger annotation value whose switchover completed. */
  readonly switchover: string | null;
  /** The timeline recorded when the pending request was first seen (PR #3235). */
  readonly switchoverTimeline: number | null;
  readonly systemIdentifier: string;
}

export interface PostgresClusterStatus {
  readonly patroni: PatroniStatus;
  readonly instances: readonly InstanceSetStatus[];
  readonly observedGeneration: number;
}

export interface PostgresCluster {
  readonly name: string;
  readonly generation: number;
  /** The value of {@link triggerSwitchoverAnnotation}, or null when the annotation is absent. */
  readonly triggerSwitchover: string | null;
  readonly spec: PostgresClusterSpec;
  readonly status: PostgresClusterStatus;
}

/** A StatefulSet PGO owns: one per instance, `replicas` 1 (G:`internal/controller/postgrescluster/instance.go`). */
export interface InstanceStatefulSet {
  readonly name: string;
  readonly instanceSet: string;
}

/** A pod with the cluster label and an `instance` label. */
export interface InstancePod {
  readonly name: string;
  readonly instance: string;
  readonly instanceSet: string;
  /** The `database` container is running. */
  readonly databaseRunning: boolean;
  readonly ready: boolean;
  /** `postgres-operator.crunchydata.com/role`: `master`, `replica`, or absent. */
  readonly roleLabel: 'master' | 'replica' | null;
  readonly terminating: boolean;
}

/** A pgdata PVC of an instance. */
export interface InstancePvc {
  readonly name: string;
  readonly instance: string;
  readonly instanceSet: string;
  readonly terminating: boolean;
}

/** A member row of `patronictl list --format json`. */
export interface PatronictlMember {
  readonly Member: string;
  readonly Role: string;
  readonly State: string;
  readonly TL: number;
}

/** What a reconcile reads: the cluster and the objects its informers hold. */
export interface PgoView {
  readonly now: number;
  readonly cluster: PostgresCluster;
  readonly statefulSets: readonly InstanceStatefulSet[];
  readonly pods: readonly InstancePod[];
  readonly pvcs: readonly InstancePvc[];
  /** The `initialize` annotation of `<cluster>-ha-config`, or null. */
  readonly dcsInitialize: string | null;
  /** Runs `patronictl list --format json` in `pod`'s database container. */
  patronictlList(pod: string): { readonly exitCode: number; readonly stderr: string; readonly members: readonly PatronictlMember[] };
}

/** A switchover is pending: enabled, annotation set, and not the completed one (Part D of the reference). */
export function switchoverPending(cluster: PostgresCluster): boolean {
  const spec = cluster.spec.switchover;
  return spec !== null && spec.enabled && cluster.triggerSwitchover !== null && cluster.triggerSwitchover !== '' && cluster.triggerSwitchover !== cluster.status.patroni.switchover;
}

/** G:`internal/naming/names.go`: the Patroni scope is `<cluster>-ha`. */
export function patroniScope(clusterName: string): string {
  return `${clusterName}-ha`;
}

/** The pod of an instance StatefulSet (`<sts>-0`); the Patroni member name is the pod name. */
export function instancePodName(instance: string): string {
  return `${instance}-0`;
}

export function instancePvcName(instance: string): string {
  return `${instance}-pgdata`;
}

// k8s.io/apimachinery/pkg/util/rand alphabet (no vowels, no confusable digits).
const suffixAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/**
 * `naming.GenerateInstance`: `<cluster>-<set>-<4 random chars>`. The simulator derives the chars
 * from a hash of the set and the names already taken, so the same world always picks the same name.
 */
export function generateInstanceName(clusterName: string, instanceSet: string, taken: readonly string[]): string {
  for (let attempt = 0; attempt < 64; attempt++) {
    let hash = hash32(`${clusterName}/${instanceSet}/${taken.length}/${attempt}`);
    let suffix = '';
    for (let index = 0; index < 4; index++) {
      suffix += suffixAlphabet[hash % suffixAlphabet.length];
      hash = Math.floor(hash / suffixAlphabet.length);
    }
    const name = `${clusterName}-${instanceSet}-${suffix}`;
    if (!taken.includes(name)) return name;
  }
  throw new Error(`no free instance name for ${clusterName}/${instanceSet}`);
}
