/**
 * InstanceSet status from its pods (reference §2.2–§2.5), pure:
 * pkg/controller/instanceset/reconciler_status.go (counts, conditions, membersStatus),
 * pkg/controllerutil/pod_utils.go `IsPodFailedAndTimedOut` (§2.4) and
 * apis/workloads/v1/instanceset_types.go `IsInstancesReady` / `IsInstanceSetReady` (§2.5).
 */
import { secondsToTicks, type Tick } from '../../sim/ticks.ts';
import { containerImageMatches } from './image-match.ts';
import { compareInstanceNames } from './instance-names.ts';
import { roleLabelKey, revisionLabelKey, type InstancePodView } from './instance-pod.ts';
import type { KubeBlocksProfile } from './kubeblocks-profile.ts';
import type { InstanceSet, InstanceSetCondition, InstanceSetStatus, MemberStatus } from './kubeblocks-objects.ts';

/** True when every container with a status entry shows its spec image (§2.7, by profile). */
export function podImageMatched(profile: KubeBlocksProfile, pod: InstancePodView): boolean {
  // Asked several times per pod on every InstanceSet reconcile, of views that are cached per pod
  // object (kubeblocks-view.ts) and never mutated: kept per view and match rule.
  const cached = imageMatchedCache.get(pod);
  if (cached !== undefined && cached.rule === profile.imageMatch) return cached.matched;
  const matched = computePodImageMatched(profile, pod);
  imageMatchedCache.set(pod, { rule: profile.imageMatch, matched });
  return matched;
}

const imageMatchedCache = new WeakMap<InstancePodView, { readonly rule: KubeBlocksProfile['imageMatch']; readonly matched: boolean }>();

/** {@link podImageMatched} computed afresh (what the cache must equal). */
export function computePodImageMatched(profile: KubeBlocksProfile, pod: InstancePodView): boolean {
  return pod.containers.every(
    (container) =>
      container.statusImage === null ||
      containerImageMatches(profile.imageMatch, {
        specImage: container.specImage,
        statusImage: container.statusImage,
        statusImageId: container.statusImageId ?? '',
      }),
  );
}

/** `pods` sorted by {@link compareInstanceNames} (a stable sort), computed afresh. */
export function sortPodsByInstanceName<P extends { readonly name: string }>(pods: readonly P[]): P[] {
  return pods.slice().sort((left, right) => compareInstanceNames(left.name, right.name));
}

// The order of the last list sorted per first pod name: consecutive reconciles of one InstanceSet
// see the same names in the same (index) order, so the permutation is reused after a check of
// every name; any other list is sorted afresh. Past the limit the cache is cleared.
const podOrders = new Map<string, { readonly names: readonly string[]; readonly order: readonly number[] }>();
export const podOrdersCachedMax = 1_000;

/** Exactly {@link sortPodsByInstanceName}, reusing the permutation of the last list of the same names. */
export function podsByInstanceName<P extends { readonly name: string }>(pods: readonly P[]): P[] {
  const first = pods[0];
  if (first === undefined) return [];
  const cached = podOrders.get(first.name);
  if (cached !== undefined && sameNames(cached.names, pods)) return cached.order.map((position) => pods[position] as P);
  const positions = pods.map((_, position) => position);
  positions.sort((left, right) => compareInstanceNames((pods[left] as P).name, (pods[right] as P).name));
  if (podOrders.size >= podOrdersCachedMax) podOrders.clear();
  podOrders.set(first.name, { names: pods.map((pod) => pod.name), order: positions });
  return positions.map((position) => pods[position] as P);
}

function sameNames(names: readonly string[], pods: readonly { readonly name: string }[]): boolean {
  if (names.length !== pods.length) return false;
  for (let position = 0; position < names.length; position++) if (names[position] !== (pods[position] as { readonly name: string }).name) return false;
  return true;
}

/** The first container whose status image does not match its spec, for explanations. */
export function podImageMismatch(profile: KubeBlocksProfile, pod: InstancePodView): { specImage: string; statusImage: string; statusImageId: string } | null {
  for (const container of pod.containers) {
    if (container.statusImage === null) continue;
    const observed = { specImage: container.specImage, statusImage: container.statusImage, statusImageId: container.statusImageId ?? '' };
    if (!containerImageMatches(profile.imageMatch, observed)) return observed;
  }
  return null;
}

/** `isCreated`: the API server has set a phase. */
export function podCreated(pod: InstancePodView): boolean {
  return pod.phase !== '';
}

/** Counted in `readyReplicas`: image matched, Ready, not terminating (§2.2). */
export function podCountsReady(profile: KubeBlocksProfile, pod: InstancePodView): boolean {
  return podImageMatched(profile, pod) && pod.ready && !pod.terminating;
}

/** Counted in `availableReplicas`: ready for at least `minReadySeconds`. */
export function podCountsAvailable(profile: KubeBlocksProfile, pod: InstancePodView, minReadySeconds: number, now: Tick): boolean {
  if (!podCountsReady(profile, pod)) return false;
  if (minReadySeconds === 0) return true;
  return pod.readySinceTick !== null && now - pod.readySinceTick >= secondsToTicks(minReadySeconds);
}

/**
 * `IsPodFailedAndTimedOut` (§2.4): phase Failed, or a container waiting with a message /
 * terminated non-zero for more than the timeout since the ContainersReady transition.
 * Returns the tick at which a still-young failure would time out, so the caller can requeue.
 */
export function podFailure(profile: KubeBlocksProfile, pod: InstancePodView, now: Tick): PodFailure {
  if (pod.phase === 'Failed') return failedNow;
  if (!containersBroken(pod) || pod.containersReadyTransitionTick === null) return notFailed;
  const timesOutAt = pod.containersReadyTransitionTick + secondsToTicks(profile.podContainerFailedTimeoutSeconds);
  return now > timesOutAt ? failedNow : { failed: false, recheckAt: timesOutAt + 1 };
}

/** What {@link podFailure} says of one pod. */
export interface PodFailure {
  readonly failed: boolean;
  readonly recheckAt: Tick | null;
}

// The answers without a recheck tick, one object each (asked per pod on every reconcile).
const failedNow: PodFailure = Object.freeze({ failed: true, recheckAt: null });
const notFailed: PodFailure = Object.freeze({ failed: false, recheckAt: null });

// A container waiting with a message or terminated non-zero (§2.4); a loop, not `some` with a closure.
function containersBroken(pod: InstancePodView): boolean {
  for (const container of pod.containers) if (container.waitingMessage !== null || (container.terminatedExitCode !== null && container.terminatedExitCode !== 0)) return true;
  return false;
}

/** The desired revision of each pod name (`status.updateRevisions`), computed by the caller. */
export type RevisionByPod = (podName: string) => string | undefined;

function condition(
  previous: readonly InstanceSetCondition[],
  type: InstanceSetCondition['type'],
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: Tick,
): InstanceSetCondition {
  let before: InstanceSetCondition | undefined;
  for (const existing of previous) {
    if (existing.type !== type) continue;
    before = existing;
    break;
  }
  // The stored condition again when it says the same: it was made here, so with the same fields in
  // the same order (InstanceSet conditions are made nowhere else); the status is then often the
  // stored one too, and the controller's equality check returns at once.
  if (before !== undefined && before.status === status && before.reason === reason && before.message === message) return before;
  const lastTransitionTick = before !== undefined && before.status === status ? before.lastTransitionTick : now;
  return { type, status, reason, message, lastTransitionTick };
}

/** The members among the created `pods`, which must be sorted by {@link compareInstanceNames}. */
function membersOf(its: InstanceSet, pods: readonly InstancePodView[]): MemberStatus[] | null {
  const roles = its.spec.roles;
  if (roles === null) return null;
  // Counted first, then made at their length (an array pushed from empty reserves 17 entries).
  let count = 0;
  for (const pod of pods) if (memberRole(roles, pod) !== undefined) count++;
  const members = new Array<MemberStatus>(count);
  let at = 0;
  for (const pod of pods) {
    const role = memberRole(roles, pod);
    if (role !== undefined) members[at++] = { podName: pod.name, role };
  }
  // `pods` come sorted by compareInstanceNames: a stable sort on priority alone gives the same order
  // as sorting on (priority, compareInstanceNames), without comparing names again.
  return stableByPriorityDescending(members, roles);
}

type Roles = NonNullable<InstanceSet['spec']['roles']>;

// The pod's role when it is a member (created, Ready, not terminating, with a role the spec names).
function memberRole(roles: Roles, pod: InstancePodView): string | undefined {
  const role = pod.labels[roleLabelKey];
  if (!podCreated(pod) || !pod.ready || pod.terminating || role === undefined) return undefined;
  return roleNamed(roles, role) === undefined ? undefined : role;
}

// The first role of that name (Array.find), by a loop: no closure per call.
function roleNamed(roles: Roles, name: string): Roles[number] | undefined {
  for (const role of roles) if (role.name === name) return role;
  return undefined;
}

function rolePriority(roles: Roles, name: string): number {
  return roleNamed(roles, name)?.updatePriority ?? 0;
}

/**
 * `members` stably sorted by descending role priority, in place: an insertion sort, as a list of a
 * few members is (the sort builtin copies into a work array). Finite priorities compare
 * consistently, so every stable sort gives this one order; a NaN or infinite one makes the
 * builtin's order implementation-defined, so such a list goes to the builtin as before.
 */
function stableByPriorityDescending(members: MemberStatus[], roles: Roles): MemberStatus[] {
  for (const member of members) {
    if (Number.isFinite(rolePriority(roles, member.role))) continue;
    return members.sort((left, right) => rolePriority(roles, right.role) - rolePriority(roles, left.role));
  }
  for (let index = 1; index < members.length; index++) {
    const member = members[index] as MemberStatus;
    const priority = rolePriority(roles, member.role);
    let at = index;
    // Moved before entries of a strictly lower priority only: equal ones keep their order.
    while (at > 0 && rolePriority(roles, (members[at - 1] as MemberStatus).role) < priority) {
      members[at] = members[at - 1] as MemberStatus;
      at--;
    }
    members[at] = member;
  }
  return members;
}

/** The computed status and what the controller needs besides it. */
export interface InstanceSetStatusResult {
  readonly status: InstanceSetStatus;
  readonly failedPods: readonly string[];
  /** Earliest tick at which a pending failure timeout or minReadySeconds needs another look. */
  readonly recheckAt: Tick | null;
}

/**
 * The status reconciler of one InstanceSet over its pods (§2.2, §2.3), computed afresh: what
 * {@link computeInstanceSetStatus} must equal.
 */
export function computeInstanceSetStatusPlain(
  profile: KubeBlocksProfile,
  its: InstanceSet,
  pods: readonly InstancePodView[],
  updateRevision: string,
  revisionByPod: RevisionByPod,
  now: Tick,
): InstanceSetStatusResult {
  // One pass over the pods in name order (this runs on every InstanceSet reconcile, over every
  // pod): the same counts and name lists as filtering the created pods once per question.
  // The name lists are made on their first name (most calls have none): pushing onto an empty
  // array allocates room for 17 entries.
  const sorted = podsByInstanceName(pods);
  let notReady: string[] | null = null;
  let notAvailable: string[] | null = null;
  let failedPods: string[] | null = null;
  let created = 0;
  let live = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let recheckAt: Tick | null = null;
  for (const pod of sorted) {
    if (!podCreated(pod)) continue;
    created++;
    const isReady = podCountsReady(profile, pod);
    const isAvailable = podCountsAvailable(profile, pod, its.spec.minReadySeconds, now);
    if (isReady) ready++;
    else (notReady ??= []).push(pod.name);
    if (isAvailable) available++;
    else (notAvailable ??= []).push(pod.name);
    if (isReady && !isAvailable && pod.readySinceTick !== null) {
      const availableAt = pod.readySinceTick + secondsToTicks(its.spec.minReadySeconds);
      recheckAt = recheckAt === null ? availableAt : Math.min(recheckAt, availableAt);
    }
    if (pod.terminating) continue;
    live++;
    const revision = revisionByPod(pod.name);
    if (revision !== undefined && pod.labels[revisionLabelKey] === revision) updated++;
    const failure = podFailure(profile, pod, now);
    if (failure.failed) (failedPods ??= []).push(pod.name);
    if (failure.recheckAt !== null) recheckAt = recheckAt === null ? failure.recheckAt : Math.min(recheckAt, failure.recheckAt);
  }
  const counts = { created, live, ready, available, updated, notReady: notReady ?? noNames, notAvailable: notAvailable ?? noNames, failedPods: failedPods ?? noNames, recheckAt };
  return statusFromCounts(its, counts, updateRevision, membersOf(its, sorted), now);
}

// The empty name list (lists are read, never changed).
const noNames: readonly string[] = Object.freeze([]);

/** What the status is made of: the counts and name lists of one pass over the pods in name order. */
interface StatusCounts {
  readonly created: number;
  readonly live: number;
  readonly ready: number;
  readonly available: number;
  readonly updated: number;
  readonly notReady: readonly string[];
  readonly notAvailable: readonly string[];
  readonly failedPods: readonly string[];
  readonly recheckAt: Tick | null;
}

/** The status and conditions from the counts (shared by the plain and the kept path). */
function statusFromCounts(its: InstanceSet, counts: StatusCounts, updateRevision: string, members: readonly MemberStatus[] | null, now: Tick): InstanceSetStatusResult {
  const { created, live, ready, available, updated, notReady, notAvailable, failedPods, recheckAt } = counts;
  const stored = its.status;
  const previous = stored.conditions;
  const readyCondition =
    ready >= created ? condition(previous, 'InstanceReady', 'True', 'Ready', '', now) : condition(previous, 'InstanceReady', 'False', 'NotReady', JSON.stringify(notReady), now);
  const availableCondition =
    available >= created
      ? condition(previous, 'InstanceAvailable', 'True', 'Available', '', now)
      : condition(previous, 'InstanceAvailable', 'False', 'NotAvailable', JSON.stringify(notAvailable), now);
  const failureCondition = failedPods.length > 0 ? condition(previous, 'InstanceFailure', 'True', 'InstanceFailure', JSON.stringify(failedPods), now) : null;
  const conditions = sameConditions(previous, readyCondition, availableCondition, failureCondition)
    ? previous
    : failureCondition === null
      ? [readyCondition, availableCondition]
      : [readyCondition, availableCondition, failureCondition];
  const membersStatus = members !== null && stored.membersStatus != null && sameMembers(stored.membersStatus, members) ? stored.membersStatus : members;
  const allUpdated = created === its.spec.replicas && updated === its.spec.replicas;
  const currentReplicas = allUpdated ? its.spec.replicas : live - updated;
  const currentRevision = allUpdated ? updateRevision : stored.currentRevision;
  // The stored status again when every field is the same value (its fields are in this order: shapes.ts).
  const unchanged =
    stored.observedGeneration === its.generation &&
    stored.replicas === created &&
    stored.readyReplicas === ready &&
    stored.availableReplicas === available &&
    stored.updatedReplicas === updated &&
    stored.currentReplicas === currentReplicas &&
    stored.updateRevision === updateRevision &&
    stored.currentRevision === currentRevision &&
    stored.conditions === conditions &&
    stored.membersStatus === membersStatus;
  const status: InstanceSetStatus = unchanged
    ? stored
    : {
        observedGeneration: its.generation,
        replicas: created,
        readyReplicas: ready,
        availableReplicas: available,
        updatedReplicas: updated,
        currentReplicas,
        updateRevision,
        currentRevision,
        conditions,
        membersStatus,
      };
  return { status, failedPods, recheckAt };
}

// Whether the stored conditions are exactly these objects, in this order.
function sameConditions(previous: readonly InstanceSetCondition[], ready: InstanceSetCondition, available: InstanceSetCondition, failure: InstanceSetCondition | null): boolean {
  if (previous.length !== (failure === null ? 2 : 3)) return false;
  return previous[0] === ready && previous[1] === available && (failure === null || previous[2] === failure);
}

/**
 * The status reconciler of one InstanceSet over its pods (§2.2, §2.3): exactly
 * {@link computeInstanceSetStatusPlain}, with the per-pod work kept between calls.
 *
 * Why: the controller runs this on every InstanceSet reconcile over every pod, and a reconcile
 * mostly follows a change to one pod, so at 300 pods the plain pass was ~15% of a swarm run.
 * What a pod contributes apart from `now`, the spec and the revisions ({@link PodFacts}) is a
 * function of its view and the profile: it is kept per view, and per InstanceSet the last pod list
 * in name order, so a call with the same views (compared by identity, position by position) redoes
 * only the views that changed, and a list with names added or removed keeps the last name order
 * for the names it held (a pod created or deleted costs a placement, not a sort). The counts, name lists,
 * conditions and members are then summed afresh from the kept facts; `revisionByPod` and `now`
 * are asked on every call as the plain pass asks them.
 */
export function computeInstanceSetStatus(
  profile: KubeBlocksProfile,
  its: InstanceSet,
  pods: readonly InstancePodView[],
  updateRevision: string,
  revisionByPod: RevisionByPod,
  now: Tick,
): InstanceSetStatusResult {
  // A few pods cost less to walk afresh than to look up and keep (measured at 3 pods).
  if (pods.length <= keptPodsMin) return computeInstanceSetStatusPlain(profile, its, pods, updateRevision, revisionByPod, now);
  return computeInstanceSetStatusKept(profile, its, pods, updateRevision, revisionByPod, now);
}

/** Pod lists this long or shorter are walked afresh by {@link computeInstanceSetStatus}. */
export const keptPodsMin = 8;

/** {@link computeInstanceSetStatus} from the facts kept between calls, whatever the list's length (exported for its test). */
export function computeInstanceSetStatusKept(
  profile: KubeBlocksProfile,
  its: InstanceSet,
  pods: readonly InstancePodView[],
  updateRevision: string,
  revisionByPod: RevisionByPod,
  now: Tick,
): InstanceSetStatusResult {
  const memo = sortedFactsFor(profile, its.name, pods);
  return statusFromFacts(profile, its, memo, updateRevision, revisionByPod, now);
}

/** What a pod contributes to the status, apart from `now`, the spec and the desired revisions. */
interface PodFacts {
  readonly name: string;
  readonly created: boolean;
  /** {@link podCountsReady}. */
  readonly countsReady: boolean;
  /** The raw Ready condition (membership reads it, not the image match). */
  readonly ready: boolean;
  readonly terminating: boolean;
  readonly readySinceTick: Tick | null;
  readonly phaseFailed: boolean;
  /** When a container is broken (§2.4), its ContainersReady transition tick plus the timeout; else null. */
  readonly failsAfterTick: Tick | null;
  readonly revisionLabel: string | undefined;
  readonly role: string | undefined;
  /** This pod's member entry, built once per view when it is a member. */
  member: MemberStatus | null;
}

const factsByView = new WeakMap<InstancePodView, { readonly profile: KubeBlocksProfile; readonly facts: PodFacts }>();

function podFacts(profile: KubeBlocksProfile, pod: InstancePodView): PodFacts {
  const cached = factsByView.get(pod);
  if (cached !== undefined && cached.profile === profile) return cached.facts;
  const broken = pod.containers.some((container) => container.waitingMessage !== null || (container.terminatedExitCode !== null && container.terminatedExitCode !== 0));
  const facts: PodFacts = {
    name: pod.name,
    created: podCreated(pod),
    countsReady: podCountsReady(profile, pod),
    ready: pod.ready,
    terminating: pod.terminating,
    readySinceTick: pod.readySinceTick,
    phaseFailed: pod.phase === 'Failed',
    failsAfterTick: broken && pod.containersReadyTransitionTick !== null ? pod.containersReadyTransitionTick + secondsToTicks(profile.podContainerFailedTimeoutSeconds) : null,
    revisionLabel: pod.labels[revisionLabelKey],
    role: pod.labels[roleLabelKey],
    member: null,
  };
  factsByView.set(pod, { profile, facts });
  return facts;
}

/** The last pod list of one InstanceSet: the views as given, and their facts in name order. */
interface SortedFacts {
  readonly profile: KubeBlocksProfile;
  readonly views: InstancePodView[];
  /** `rank[i]`: where `views[i]` stands in name order. */
  readonly rank: number[];
  readonly sorted: PodFacts[];
  /** Name → its place in `sorted`, built when the next list brings other names. */
  rankByName: Map<string, number> | null;
  /** The members array last returned, handed out again while the members are the same. */
  members: readonly MemberStatus[] | null;
  /** The roles `members` was made for, and whether a fact changed since (then it is made again). */
  membersRoles: InstanceSet['spec']['roles'];
  factsChanged: boolean;
}

/** InstanceSets whose last pod list is kept; past it the memo is cleared (same results either way). */
export const instanceSetStatusMemosMax = 1_000;
const sortedFactsByName = new Map<string, SortedFacts>();

function sortedFactsFor(profile: KubeBlocksProfile, itsName: string, pods: readonly InstancePodView[]): SortedFacts {
  const memo = sortedFactsByName.get(itsName);
  if (memo !== undefined && memo.profile === profile && memo.views.length === pods.length && refreshInPlace(profile, memo, pods)) return memo;
  const order = (memo !== undefined && orderAfter(memo, pods)) || sortedPositions(pods);
  const rank: number[] = new Array<number>(pods.length);
  order.forEach((position, at) => (rank[position] = at));
  const fresh: SortedFacts = { profile, views: pods.slice(), rank, sorted: order.map((position) => podFacts(profile, pods[position] as InstancePodView)), rankByName: null, members: null, membersRoles: null, factsChanged: true };
  if (sortedFactsByName.size >= instanceSetStatusMemosMax) sortedFactsByName.clear();
  sortedFactsByName.set(itsName, fresh);
  return fresh;
}

/** Takes in the views that changed at their positions; false when a name changed (the order may have). */
function refreshInPlace(profile: KubeBlocksProfile, memo: SortedFacts, pods: readonly InstancePodView[]): boolean {
  for (let position = 0; position < pods.length; position++) {
    const pod = pods[position] as InstancePodView;
    const before = memo.views[position] as InstancePodView;
    if (pod === before) continue;
    if (pod.name !== before.name) return false;
    memo.views[position] = pod;
    memo.sorted[memo.rank[position] as number] = podFacts(profile, pod);
    memo.factsChanged = true;
  }
  return true;
}

/** A stable sort of positions by name: the order sortPodsByInstanceName gives the pods. */
function sortedPositions(pods: readonly InstancePodView[]): number[] {
  const order = pods.map((_, position) => position);
  return order.sort((left, right) => compareInstanceNames((pods[left] as InstancePodView).name, (pods[right] as InstancePodView).name));
}

/** New names a list may bring for {@link orderAfter} to place them one by one; past it the list is sorted afresh. */
const namesPlacedMax = 8;

/**
 * The name order of `pods` from the last list's (a pod was created or deleted): names it held keep
 * their order, new ones are placed by binary search. Distinct names have one name order
 * (compareInstanceNames is 0 only for equal names), so this is the stable sort's; null when a name
 * repeats (ties keep list order there) or too many are new.
 */
function orderAfter(memo: SortedFacts, pods: readonly InstancePodView[]): number[] | null {
  memo.rankByName ??= new Map(memo.sorted.map((facts, at) => [facts.name, at]));
  const slots: (number | undefined)[] = new Array<number | undefined>(memo.sorted.length);
  const placed: number[] = [];
  for (let position = 0; position < pods.length; position++) {
    const at = memo.rankByName.get((pods[position] as InstancePodView).name);
    if (at === undefined) {
      if (placed.length === namesPlacedMax) return null;
      placed.push(position);
    } else if (slots[at] !== undefined) return null;
    else slots[at] = position;
  }
  const order: number[] = [];
  for (const position of slots) if (position !== undefined) order.push(position);
  for (const position of placed) {
    const name = (pods[position] as InstancePodView).name;
    let low = 0;
    let high = order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const versus = compareInstanceNames((pods[order[middle] as number] as InstancePodView).name, name);
      if (versus === 0) return null;
      if (versus < 0) low = middle + 1;
      else high = middle;
    }
    order.splice(low, 0, position);
  }
  return order;
}

/** The loop of {@link computeInstanceSetStatusPlain} over kept facts. */
function statusFromFacts(profile: KubeBlocksProfile, its: InstanceSet, memo: SortedFacts, updateRevision: string, revisionByPod: RevisionByPod, now: Tick): InstanceSetStatusResult {
  const minReadyTicks = secondsToTicks(its.spec.minReadySeconds);
  const notReady: string[] = [];
  const notAvailable: string[] = [];
  const failedPods: string[] = [];
  let created = 0;
  let live = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let recheckAt: Tick | null = null;
  for (const pod of memo.sorted) {
    if (!pod.created) continue;
    created++;
    const isReady = pod.countsReady;
    const isAvailable = isReady && (its.spec.minReadySeconds === 0 || (pod.readySinceTick !== null && now - pod.readySinceTick >= minReadyTicks));
    if (isReady) ready++;
    else notReady.push(pod.name);
    if (isAvailable) available++;
    else notAvailable.push(pod.name);
    if (isReady && !isAvailable && pod.readySinceTick !== null) {
      const availableAt = pod.readySinceTick + minReadyTicks;
      recheckAt = recheckAt === null ? availableAt : Math.min(recheckAt, availableAt);
    }
    if (pod.terminating) continue;
    live++;
    const revision = revisionByPod(pod.name);
    if (revision !== undefined && pod.revisionLabel === revision) updated++;
    // podFailure: Failed, or broken for longer than the timeout (else a recheck just after it).
    if (pod.phaseFailed || (pod.failsAfterTick !== null && now > pod.failsAfterTick)) failedPods.push(pod.name);
    else if (pod.failsAfterTick !== null) recheckAt = recheckAt === null ? pod.failsAfterTick + 1 : Math.min(recheckAt, pod.failsAfterTick + 1);
  }
  const counts = { created, live, ready, available, updated, notReady, notAvailable, failedPods, recheckAt };
  return statusFromCounts(its, counts, updateRevision, membersFromFacts(its, memo), now);
}

/** {@link membersOf} over kept facts; the last array again when it holds the same members. */
function membersFromFacts(its: InstanceSet, memo: SortedFacts): readonly MemberStatus[] | null {
  const roles = its.spec.roles;
  if (roles === null) return null;
  // Members read the facts and the roles only: the same facts and roles give the same members.
  if (!memo.factsChanged && memo.members !== null && memo.membersRoles === roles) return memo.members;
  memo.factsChanged = false;
  memo.membersRoles = roles;
  const members: MemberStatus[] = [];
  const priorities: number[] = [];
  for (const pod of memo.sorted) {
    if (!pod.created || !pod.ready || pod.terminating || pod.role === undefined) continue;
    const role = roles.find((candidate) => candidate.name === pod.role);
    if (role === undefined) continue;
    pod.member ??= { podName: pod.name, role: pod.role };
    members.push(pod.member);
    priorities.push(role.updatePriority ?? 0);
  }
  const ordered = byPriorityDescending(members, priorities);
  const last = memo.members;
  if (last !== null && sameMembers(last, ordered)) return last;
  memo.members = ordered;
  return ordered;
}

// A stable sort on priority alone (membersOf): the members of each distinct priority, highest
// first, in name order. NaN would make that sort's order implementation-defined: sorted as it is.
function byPriorityDescending(members: MemberStatus[], priorities: readonly number[]): MemberStatus[] {
  const distinct = [...new Set(priorities)];
  if (distinct.length <= 1) return members;
  if (distinct.some((priority) => Number.isNaN(priority))) {
    const priorityOf = new Map(members.map((member, index) => [member, priorities[index] as number]));
    return members.sort((left, right) => (priorityOf.get(right) as number) - (priorityOf.get(left) as number));
  }
  distinct.sort((left, right) => right - left);
  const ordered: MemberStatus[] = [];
  for (const priority of distinct) for (let index = 0; index < members.length; index++) if (priorities[index] === priority) ordered.push(members[index] as MemberStatus);
  return ordered;
}

function sameMembers(left: readonly MemberStatus[], right: readonly MemberStatus[]): boolean {
  if (left.length !== right.length) return false;
  for (let index = 0; index < left.length; index++) {
    const l = left[index] as MemberStatus;
    const r = right[index] as MemberStatus;
    if (l.podName !== r.podName || l.role !== r.role) return false;
  }
  return true;
}

/** The condition of `type`, if present. */
export function instanceSetCondition(status: InstanceSetStatus, type: InstanceSetCondition['type']): InstanceSetCondition | undefined {
  return status.conditions.find((existing) => existing.type === type);
}

/**
 * `IsInstancesReady` (§2.5): observedGeneration aligned and
 * `status.replicas == readyReplicas == updatedReplicas == spec.replicas` (and available when
 * minReadySeconds > 0). `initReplicas` are not maintained on release-1.0, so that check passes.
 */
export function isInstancesReady(its: InstanceSet): boolean {
  const { status, spec } = its;
  if (status.observedGeneration !== its.generation) return false;
  if (status.replicas !== spec.replicas || status.readyReplicas !== spec.replicas || status.updatedReplicas !== spec.replicas) return false;
  return spec.minReadySeconds === 0 || status.availableReplicas === spec.replicas;
}

/** `IsInstanceSetReady` (§2.5): ready, and every pod carries a valid role when roles exist. */
export function isInstanceSetReady(its: InstanceSet): boolean {
  if (!isInstancesReady(its)) return false;
  return its.spec.roles === null || (its.status.membersStatus?.length ?? 0) === its.spec.replicas;
}
