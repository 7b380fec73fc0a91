import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../sim/model.ts';
import { hunt, runSwarm, traceSwarm } from '../../sim/swarm.ts';
import { pgo57, pgo57InstancesBeforeSwitchover, pgo57SwitchoverErrorDeferred } from '../../machines/pgo-postgrescluster/profiles.ts';
import type { PgoProfile } from '../../machines/pgo-postgrescluster/reconcile.ts';
import { pgoActions, pgoApply, type PgoAction } from './actions.ts';
import { pgoReplicaDeleted } from './index.ts';
import { parsePgoOptions, pgoInit, pgoScenarioDefaults } from './model.ts';
import { runningInstances } from './properties.ts';
import { applyPgEffects, runHaCycle } from './processes.ts';
import { memberByName, patroniSend, promotionAudit } from '../../machines/patroni-member/patroni-cluster.ts';
import type { PgoWorld } from './world.ts';

function variant(name: string) {
  const found = pgoReplicaDeleted.variants.find((candidate) => candidate.name === name);
  if (found === undefined) throw new Error(`no variant ${name}`);
  return found;
}

/** Takes the action labelled `label` (must be enabled). */
function take(world: PgoWorld, label: string, profile: PgoProfile): PgoWorld {
  const action = pgoActions(world).find((candidate) => candidate.label === label);
  if (action === undefined) throw new Error(`${label} is not enabled; enabled: ${pgoActions(world).map((a) => a.label).join(' | ')}`);
  return pgoApply(world, action, profile);
}

/** Runs the system's own steps (first enabled, else time) for `ticks` ticks. */
function run(world: PgoWorld, ticks: number, profile: PgoProfile): PgoWorld {
  const until = world.now + ticks;
  let next = world;
  for (let step = 0; step < 20_000 && next.now < until; step++) {
    const actions = pgoActions(next);
    const own = actions.find((action) => action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user');
    next = pgoApply(next, own ?? (actions.find((action) => action.kind === 'time') as PgoAction), profile);
  }
  return next;
}

function replicaInstance(world: PgoWorld): string {
  const leader = world.patroni.dcs.leader?.holder ?? '';
  const replica = world.patroni.members.find((member) => member.name !== leader);
  if (replica === undefined) throw new Error('no replica');
  return replica.name.replace(/-0$/, '');
}

/** The seed story, directed: a switchover is requested, the replica's StatefulSet is deleted and its pod collected before PGO looks. */
function deleteReplicaWhilePending(profile: PgoProfile): PgoWorld {
  let world = run(pgoInit({ ...pgoScenarioDefaults, initialSwitchover: 'enabled-completed' }, profile), 5, profile);
  const replica = replicaInstance(world);
  world = take(world, 'user switchover.request annotate sw-1', profile);
  world = take(world, `fault statefulset.delete ${replica}`, profile);
  world = take(world, `garbage-collect Pod ${replica}-0`, profile);
  return run(world, 600, profile);
}

describe('pgo-replica-deleted, directed', () => {
  // Proves the upstream order never re-creates the deleted replica while the switchover is pending, and both proposals do.
  it('re-creates the replica only in the proposals', () => {
    const buggy = deleteReplicaWhilePending(pgo57);
    expect(runningInstances(buggy)).toBe(1);
    expect(buggy.pgo.errors.map((error) => error.message)).toContain('Need more than one instance to switchover');
    for (const profile of [pgo57InstancesBeforeSwitchover, pgo57SwitchoverErrorDeferred]) {
      const fixed = deleteReplicaWhilePending(profile);
      expect(runningInstances(fixed), profile.name).toBe(2);
      expect(fixed.postgres.status.patroni.switchover, profile.name).toBe('sw-1');
    }
  });
});

describe('pgo-replica-deleted, the promotion audit', () => {
  // Proves the eligibility audit runs when the lock is won (a failover key present: manual, no lag check), not when a still-starting PostgreSQL finishes promoting after the key is gone.
  it('audits at the leader race, not at the later promotion', () => {
    const profile = pgo57InstancesBeforeSwitchover;
    let world = run(pgoInit(pgoScenarioDefaults, profile), 5, profile);
    const leader = world.patroni.dcs.leader?.holder ?? '';
    const replica = replicaInstance(world) + '-0';
    const lag = 13_107_200;
    // The leader's process is gone and its lock long expired; the replica restarts PostgreSQL, 13 MB behind; a failover to it is requested.
    const stopped = patroniSend(world.patroni, replica, { type: 'pg.stop' });
    let patroni = stopped.cluster;
    for (const { member, effect } of stopped.effects) if (effect.kind === 'timer.schedule') patroni = patroniSend(patroni, member, effect.event).cluster;
    const starting = patroniSend(patroni, replica, { type: 'pg.start', role: 'replica' });
    const members = starting.cluster.members.map((member) => (member.name === leader ? { ...member, alive: false, restReachable: false } : member));
    const lock = starting.cluster.dcs.leader;
    if (lock === null) throw new Error('no lock');
    const dcs = { ...starting.cluster.dcs, leader: { ...lock, renewedTick: world.now - 100 }, leaderLsn: memberByName(starting.cluster, replica).walLsn + lag, failover: { leader: null, candidate: replica, scheduledAtTick: null, action: 'failover' as const } };
    world = applyPgEffects({ ...world, patroni: { ...starting.cluster, members, dcs } }, starting.effects);
    world = runHaCycle(world, replica);
    expect(world.patroni.dcs.leader?.holder).toBe(replica);
    expect(world.patroni.dcs.failover).toBeNull();
    expect(memberByName(world.patroni, replica).pg.value).toBe('starting');
    // PostgreSQL finishes starting; the next HA loop promotes without a failover key, which the automatic rules would refuse.
    for (const { member, effect } of starting.effects) if (effect.kind === 'timer.schedule') world = { ...world, patroni: patroniSend(world.patroni, member, effect.event).cluster };
    expect(promotionAudit(world.patroni, replica)).toContain('bytes behind the leader');
    world = runHaCycle(world, replica);
    expect(memberByName(world.patroni, replica).pg.context.role).toBe('primary');
    expect(world.stats.ineligiblePromotions).toEqual([]);
  });
});

describe('pgo-replica-deleted, hunted', () => {
  // Proves the swarm discovers the stuck state from generated actions and explains it with the instance, the error and the pending switchover.
  it('finds the buggy variant stuck with the seed explanation', () => {
    const result = hunt(pgoReplicaDeleted, variant('buggy'), { runs: 100, seed: 1 });
    expect(result.found).toBe(true);
    const violation = result.violation;
    expect(violation?.kind).toBe('stuck');
    expect(violation?.explanation).toContain('Need more than one instance to switchover');
    expect(violation?.explanation).toMatch(/StatefulSet hippo-instance1-\w{4} is missing/);
    expect(violation?.explanation).toContain('switchover pending');
  });

  // Proves the failing seed of the buggy variant runs clean under the proposal, with the leader-safety properties holding.
  it('runs the failing seed clean under the fixed profile', () => {
    const found = hunt(pgoReplicaDeleted, variant('buggy'), { runs: 100, seed: 1 });
    expect(found.failingSeed).not.toBeNull();
    const spec = { scenario: pgoReplicaDeleted.name, variant: 'fixed', profile: pgo57InstancesBeforeSwitchover.name, seed: found.failingSeed as number, swarm: pgoReplicaDeleted.swarm };
    expect(runSwarm(variant('fixed').model, spec, false).outcome.violation).toBeNull();
  });

  // Proves a run is deterministic: the same seed gives byte-identical traces.
  it('replays a seed byte for byte', () => {
    const spec = { scenario: pgoReplicaDeleted.name, variant: 'buggy', profile: pgo57.name, seed: 7, swarm: pgoReplicaDeleted.swarm };
    expect(JSON.stringify(traceSwarm(variant('buggy').model, spec))).toBe(JSON.stringify(traceSwarm(variant('buggy').model, spec)));
  });
});

describe('pgo-replica-deleted options', () => {
  // Proves malformed options are refused with a message naming the field.
  it('validates options', () => {
    expect(parsePgoOptions(undefined)).toEqual(pgoScenarioDefaults);
    expect(() => parsePgoOptions({ nodeCount: 0 })).toThrow(OptionsError);
    expect(() => parsePgoOptions({ initialSwitchover: 'sometimes' })).toThrow(/initialSwitchover/);
    expect(() => parsePgoOptions({ patroni: { ttl: -1 } })).toThrow(/patroni/);
  });
});
