import { describe, expect, it } from 'vitest';
import { pgo57 } from '../../machines/pgo-postgrescluster/profiles.ts';
import { pgoActions, pgoApply, type PgoAction } from './actions.ts';
import { pgoExploreConfiguration } from './explore-defaults.ts';
import { failuresCap, pgoFingerprint, walAbstractionExact } from './fingerprint.ts';
import { parsePgoOptions, pgoInit } from './model.ts';
import type { PgoWorld } from './world.ts';

/** Runs the system's own steps (first enabled, else time) for `steps` steps. */
function run(world: PgoWorld, steps: number): PgoWorld {
  let next = world;
  for (let step = 0; step < steps; step++) {
    const actions = pgoActions(next);
    const own = actions.find((action) => action.kind !== 'time' && action.kind !== 'fault' && action.kind !== 'user');
    next = pgoApply(next, own ?? (actions.find((action) => action.kind === 'time') as PgoAction), pgo57);
  }
  return next;
}

const options = parsePgoOptions(pgoExploreConfiguration);
const steady = run(pgoInit(options, pgo57), 40);

/** Every WAL position of the world moved by `delta` bytes. */
function shiftWal(world: PgoWorld, delta: number): PgoWorld {
  const dcs = world.patroni.dcs;
  return {
    ...world,
    patroni: {
      ...world.patroni,
      members: world.patroni.members.map((member) => ({ ...member, walLsn: member.walLsn + delta })),
      dcs: {
        ...dcs,
        leaderLsn: dcs.leaderLsn + delta,
        members: dcs.members.map((record) => ({ ...record, walLsn: record.walLsn + delta })),
        history: dcs.history.map((entry) => ({ ...entry, switchLsn: entry.switchLsn + delta })),
      },
    },
    volumes: Object.fromEntries(Object.entries(world.volumes).map(([name, volume]) => [name, { ...volume, walLsn: volume.walLsn + delta }])),
  };
}

function withMemberWal(world: PgoWorld, name: string, walLsn: number): PgoWorld {
  return { ...world, patroni: { ...world.patroni, members: world.patroni.members.map((member) => (member.name === name ? { ...member, walLsn } : member)) } };
}

function replicaOf(world: PgoWorld): string {
  const replica = world.patroni.members.find((member) => member.pg.context.role !== 'primary');
  if (replica === undefined) throw new Error('no replica');
  return replica.name;
}

describe('pgoFingerprint', () => {
  it('equates worlds that differ only by a shifted WAL base', () => {
    // Proves: absolute LSNs are out of the key; only positions relative to the leader's count.
    expect(steady.patroni.dcs.leaderLsn).toBeGreaterThan(0);
    expect(pgoFingerprint(shiftWal(steady, 7 * 65_536))).toBe(pgoFingerprint(steady));
    expect(pgoFingerprint(shiftWal(steady, 123))).toBe(pgoFingerprint(steady));
  });

  it('closes the steady HA loop: the same state one loop_wait later has the same key', () => {
    // Proves: time, WAL growth and aging stamps no longer make every round a new state.
    let later = steady;
    const loopWait = steady.patroni.config.loopWait;
    for (let step = 0; step < 200 && later.now < steady.now + loopWait; step++) later = run(later, 1);
    expect(later.now).toBe(steady.now + loopWait);
    expect(later.patroni.dcs.leaderLsn).not.toBe(steady.patroni.dcs.leaderLsn);
    expect(pgoFingerprint(later)).toBe(pgoFingerprint(steady));
  });

  it('keeps a replica lag that maximum_lag_on_failover separates, and the order of far positions', () => {
    // Proves: what isLagging and the healthiest-member race read stays in the key.
    const replica = replicaOf(steady);
    const base = steady.patroni.dcs.leaderLsn;
    const lag = steady.patroni.config.maximumLagOnFailover;
    const within = withMemberWal(steady, replica, base - lag);
    const beyond = withMemberWal(steady, replica, base - lag - 1);
    expect(pgoFingerprint(within)).not.toBe(pgoFingerprint(beyond));
    // Two far positions merge (both lagging) unless their order against another far position differs.
    const farA = withMemberWal(steady, replica, base - 3 * lag);
    const farB = withMemberWal(steady, replica, base - 5 * lag);
    expect(pgoFingerprint(farA)).toBe(pgoFingerprint(farB));
    const withHistory = (world: PgoWorld): PgoWorld => ({ ...world, patroni: { ...world.patroni, dcs: { ...world.patroni.dcs, history: [{ timeline: 1, switchLsn: base - 4 * lag }] } } });
    expect(pgoFingerprint(withHistory(farA))).not.toBe(pgoFingerprint(withHistory(farB)));
  });

  it('keeps what guards read: a live lease, the backoff step, a pending timer', () => {
    // Proves: the abstraction does not merge worlds a transition tells apart.
    const leader = steady.patroni.members.find((member) => member.leaseUntilTick !== null);
    expect(leader).toBeDefined();
    const leased = (until: number | null): PgoWorld => ({ ...steady, patroni: { ...steady.patroni, members: steady.patroni.members.map((member) => (member === leader ? { ...member, leaseUntilTick: until } : member)) } });
    expect(pgoFingerprint(leased(steady.now + 1))).not.toBe(pgoFingerprint(leased(steady.now)));
    expect(pgoFingerprint(leased(steady.now))).toBe(pgoFingerprint(leased(steady.now - 50)));
    const failing = (failures: number): PgoWorld => ({ ...steady, pgo: { ...steady.pgo, failures } });
    expect(pgoFingerprint(failing(0))).not.toBe(pgoFingerprint(failing(1)));
    expect(pgoFingerprint(failing(failuresCap - 1))).not.toBe(pgoFingerprint(failing(failuresCap)));
    expect(pgoFingerprint(failing(failuresCap))).toBe(pgoFingerprint(failing(failuresCap + 5)));
    expect(pgoFingerprint(run(steady, 1))).not.toBe(pgoFingerprint(steady));
  });

  it('says when its WAL abstraction would not be exact', () => {
    // Proves: walAbstractionExact flags a far member that slow streaming would not close in one step.
    const replica = replicaOf(steady);
    const far = withMemberWal(steady, replica, steady.patroni.dcs.leaderLsn - 10 * steady.patroni.config.maximumLagOnFailover);
    expect(walAbstractionExact(steady)).toBe(true);
    expect(walAbstractionExact(far)).toBe(true);
    expect(walAbstractionExact({ ...far, options: { ...far.options, catchUpBytesPerTick: 524_288 } })).toBe(false);
  });
});
