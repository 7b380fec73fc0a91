// Proves each fast path of the PGO/Patroni step equal to the plain computation it replaces, over the worlds swarm runs reach.
import { describe, expect, it } from 'vitest';
import { dcsLeader, dcsRenew, dcsSameRecord, dcsWithMembers, type Dcs } from '../../machines/patroni-dcs/dcs.ts';
import { hasDiverged } from '../../machines/patroni-member/ha-loop.ts';
import { acceptsWrites, memberRecord, patroniMemberCreate, pgState, recordMatches, type PatroniCluster, type PatroniMember } from '../../machines/patroni-member/patroni-cluster.ts';
import { patroniAdvanceWal } from '../../machines/patroni-member/wal.ts';
import { dcsTouchMember } from '../../machines/patroni-dcs/dcs.ts';
import { runSwarm } from '../../sim/swarm.ts';
import { pgoSwitchoverTargetLeader } from '../pgo-switchover-target-leader/index.ts';
import { pgoReplicaDeleted } from './index.ts';
import { leaseHolderCount, leaseHolders, NameMemo, withEntry, without, writerCount, writers } from './processes.ts';
import { shapedWorld } from './shapes.ts';
import { execResult, notePgoWatch, pgoView, pgoWatchKey, pgoWatchKeyPlain, watchedPgo, watchedPgoPlain } from './pgo-host.ts';
import { runningInstances, runningInstancesPlain } from './properties.ts';
import { drawPgoOptions, emptyWorld, parsePgoOptions, pgoInit, pgoScenarioDefaults } from './model.ts';
import { pgoExploreConfiguration } from './explore-defaults.ts';
import { Prng } from '../../sim/prng.ts';
import { pgo57, pgoProfiles } from '../../machines/pgo-postgrescluster/profiles.ts';
import { clockCreate, clockDue } from '../../sim/clock.ts';
import { pgoSystemActions } from './actions.ts';
import { Table } from '../../sim/cluster/table.ts';
import { dcsCreate } from '../../machines/patroni-dcs/dcs.ts';
import type { PgoWorld } from './world.ts';

const seedsPerVariant = 3;

/** Every world of a few swarm runs of every PGO variant (each run's worlds, as the run loop sees them). */
function reachedWorlds(): PgoWorld[] {
  const out: PgoWorld[] = [];
  for (const scenario of [pgoReplicaDeleted, pgoSwitchoverTargetLeader]) {
    for (const variant of scenario.variants) {
      const model = variant.model;
      const spy = { ...model, apply: (world: PgoWorld, action: Parameters<typeof model.apply>[1]) => (out.push(world), model.apply(world, action)) };
      for (let seed = 1; seed <= seedsPerVariant; seed++) runSwarm(spy, { scenario: scenario.name, variant: variant.name, profile: variant.profile, seed, swarm: scenario.swarm }, false);
    }
  }
  return out;
}

const worlds = reachedWorlds();

// The plain computation `patroniAdvanceWal` had before its one-pass form, kept as the reference.
function plainRefreshRecords(cluster: PatroniCluster): PatroniCluster {
  let dcs: Dcs = { ...cluster.dcs, members: cluster.dcs.members.filter((record) => cluster.members.some((member) => member.name === record.name)) };
  for (const member of cluster.members) dcs = dcsTouchMember(dcs, memberRecord(member));
  return dcs.members.length === cluster.dcs.members.length && dcs.members.every((record, index) => record === cluster.dcs.members[index]) ? cluster : { ...cluster, dcs };
}

function plainStream(dcs: Dcs, member: PatroniMember, primary: PatroniMember | undefined, elapsedTicks: number, catchUpBytesPerTick: number): PatroniMember {
  const canStream = primary !== undefined && primary.name !== member.name && member.alive && member.restReachable && primary.restReachable && pgState(member) === 'running' && member.pg.context.role !== 'primary' && !member.rewindFailed && !hasDiverged(dcs, member.timeline, member.walLsn);
  if (!canStream) return member.streaming ? { ...member, streaming: false } : member;
  const walLsn = Math.min(primary.walLsn, member.walLsn + catchUpBytesPerTick * elapsedTicks);
  if (member.streaming && walLsn === member.walLsn && member.timeline === primary.timeline) return member;
  return { ...member, streaming: true, walLsn, timeline: primary.timeline };
}

function plainAdvanceWal(cluster: PatroniCluster, elapsedTicks: number, writeBytesPerTick: number, catchUpBytesPerTick: number, now: number): PatroniCluster {
  if (elapsedTicks <= 0) return cluster;
  const leaderName = dcsLeader(cluster.dcs, now);
  const members = cluster.members.map((member) => (acceptsWrites(member) ? { ...member, walLsn: member.walLsn + writeBytesPerTick * elapsedTicks } : member));
  const primary = members.find((member) => member.name === leaderName && acceptsWrites(member));
  const streamed = members.map((member) => plainStream(cluster.dcs, member, primary, elapsedTicks, catchUpBytesPerTick));
  const changed = streamed.some((member, index) => member !== cluster.members[index]);
  return changed ? plainRefreshRecords({ ...cluster, members: streamed }) : cluster;
}

describe('PGO step fast paths', () => {
  it('reaches enough worlds to mean something', () => {
    expect(worlds.length).toBeGreaterThan(10_000);
    expect(worlds.some((world) => world.patroni.members.some((member) => member.streaming))).toBe(true);
  });

  it('recordMatches(record, member) equals dcsSameRecord(record, memberRecord(member)), matching and not', () => {
    let matches = 0;
    let mismatches = 0;
    for (const world of worlds) {
      for (const record of world.patroni.dcs.members) {
        for (const member of world.patroni.members) {
          const plain = dcsSameRecord(record, memberRecord(member));
          expect(recordMatches(record, member)).toBe(plain);
          if (plain) matches++;
          else mismatches++;
        }
      }
    }
    expect(matches).toBeGreaterThan(1_000);
    expect(mismatches).toBeGreaterThan(1_000);
  });

  it('patroniAdvanceWal (one pass, records refreshed in place) equals the plain map-then-stream computation', () => {
    let changed = 0;
    for (const [index, world] of worlds.entries()) {
      const elapsed = 1 + (index % 12);
      const options = world.options;
      const fast = patroniAdvanceWal(world.patroni, elapsed, options.writeBytesPerTick, options.catchUpBytesPerTick, world.now);
      const plain = plainAdvanceWal(world.patroni, elapsed, options.writeBytesPerTick, options.catchUpBytesPerTick, world.now);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(plain));
      expect(fast === world.patroni).toBe(plain === world.patroni);
      if (plain !== world.patroni) changed++;
    }
    expect(changed).toBeGreaterThan(1_000);
  });

  it('writerCount and leaseHolderCount count what writers and leaseHolders list', () => {
    for (const world of worlds) {
      expect(writerCount(world)).toBe(writers(world).length);
      expect(leaseHolderCount(world)).toBe(leaseHolders(world).length);
    }
    expect(worlds.some((world) => leaseHolderCount(world) === 1)).toBe(true);
  });

  it('runningInstances (known instances kept per PVC map, no problem text) equals the plain count', () => {
    const counts = new Set<number>();
    for (const world of worlds) {
      const plain = runningInstancesPlain(world);
      expect(runningInstances(world)).toBe(plain);
      counts.add(plain);
      // The same PVC map read for another cluster name: none of its PVCs are that cluster's.
      const renamed = { ...world, options: { ...world.options, clusterName: 'other' } };
      expect(runningInstances(renamed)).toBe(runningInstancesPlain(renamed));
      // Every node not Ready while its pods still read Running.
      const nodes = Table.fromRecord(Object.fromEntries([...world.cluster.nodes].map(([name, node]) => [name, { ...node, conditions: node.conditions.map((condition) => ({ ...condition, status: 'False' as const })) }])));
      const down = { ...world, cluster: { ...world.cluster, nodes } };
      expect(runningInstances(down)).toBe(runningInstancesPlain(down));
    }
    expect([...counts].sort()).toEqual([0, 1, 2]);
  });

  it('without equals a copy with the key deleted, keys in the same order', () => {
    for (const world of worlds.slice(0, 2_000)) {
      for (const pod of world.cluster.pods.values()) {
        for (const key of [...Object.keys(pod.labels), 'absent']) {
          const deleted = { ...pod.labels };
          delete deleted[key];
          expect(JSON.stringify(without(pod.labels, key))).toBe(JSON.stringify(deleted));
        }
      }
    }
  });

  it('dcsRenew and dcsWithMembers (written out) equal the spreads they replace, key order included', () => {
    let renewed = 0;
    for (const world of worlds) {
      const dcs = world.patroni.dcs;
      expect(JSON.stringify(dcsWithMembers(dcs, dcs.members.slice(1)))).toBe(JSON.stringify({ ...dcs, members: dcs.members.slice(1) }));
      if (dcs.leader === null) continue;
      const lsn = dcs.leaderLsn + 7;
      expect(JSON.stringify(dcsRenew(dcs, dcs.leader.holder, world.now + 1, lsn))).toBe(JSON.stringify({ ...dcs, leader: { ...dcs.leader, renewedTick: world.now + 1 }, leaderLsn: lsn }));
      expect(dcsRenew(dcs, `not-${dcs.leader.holder}`, world.now, lsn)).toBeNull();
      renewed++;
    }
    expect(renewed).toBeGreaterThan(1_000);
  });

  it('pgoWatchKey (parts kept per StatefulSets and pods record, keys interned, last inputs) equals the plain key, in run order and shuffled', () => {
    for (const world of worlds) expect(pgoWatchKey(world)).toBe(pgoWatchKeyPlain(world));
    let primaries = 0;
    for (let index = 0; index < worlds.length; index += 7) {
      const world = worlds[(index * 7919) % worlds.length] as PgoWorld;
      expect(pgoWatchKey(world)).toBe(pgoWatchKeyPlain(world));
      if (!pgoWatchKeyPlain(world).endsWith('|')) primaries++;
      // The same cluster object with another PostgresCluster version.
      const bumped = { ...world, postgresVersion: world.postgresVersion + 1 };
      expect(pgoWatchKey(bumped)).toBe(pgoWatchKeyPlain(bumped));
      // The same cluster object under another cluster name (its pods are not that cluster's).
      const renamed = { ...world, options: { ...world.options, clusterName: 'other' } };
      expect(pgoWatchKey(renamed)).toBe(pgoWatchKeyPlain(renamed));
    }
    // Worlds with a pod labelled primary and worlds without one are both compared.
    expect(primaries).toBeGreaterThan(100);
    expect(worlds.length / 7 - primaries).toBeGreaterThan(10);
  });

  it('watchedPgo (from the kept watch key) equals the plain one, in run order, shuffled and with one input changed', () => {
    const same = (world: PgoWorld) => {
      const fast = watchedPgo(world);
      const plain = watchedPgoPlain(world);
      // The same object when the key did not change, an equal new state when it did.
      if (plain === world.pgo) expect(fast).toBe(world.pgo);
      else expect(fast).toStrictEqual(plain);
      return plain !== world.pgo;
    };
    let changed = 0;
    for (const world of worlds) if (same(world)) changed++;
    for (let index = 0; index < worlds.length; index += 7) {
      const world = worlds[(index * 7919) % worlds.length] as PgoWorld;
      same(world);
      // The same controller state with one watched input replaced.
      const { pods, statefulSets } = world.cluster;
      for (const variant of [
        { ...world, postgresVersion: world.postgresVersion + 1 },
        { ...world, options: { ...world.options, clusterName: 'other' } },
        { ...world, cluster: { ...world.cluster, statefulSets: without(statefulSets, Object.keys(statefulSets)[0] ?? '') } },
        { ...world, cluster: { ...world.cluster, pods: pods.without(pods.keys()[0] ?? '') } },
      ]) {
        same(world);
        if (same(variant)) changed++;
      }
    }
    expect(changed).toBeGreaterThan(1_000);
  });

  it('pgoView (lists kept per pods, StatefulSets and PVCs record) equals the plain view, in run order and shuffled', () => {
    const lists = (world: PgoWorld, cached: boolean) => {
      const view = pgoView(world, cached);
      return JSON.stringify([view.now, view.cluster, view.statefulSets, view.pods, view.pvcs, view.dcsInitialize]);
    };
    for (const world of worlds) expect(lists(world, true)).toBe(lists(world, false));
    let withPods = 0;
    for (let index = 0; index < worlds.length; index += 7) {
      const world = worlds[(index * 7919) % worlds.length] as PgoWorld;
      expect(lists(world, true)).toBe(lists(world, false));
      if (pgoView(world).pods.length > 0) withPods++;
      // The same records under another cluster name (their objects are not that cluster's).
      const renamed = { ...world, options: { ...world.options, clusterName: 'other' } };
      expect(lists(renamed, true)).toBe(lists(renamed, false));
      // One record replaced (its first entry gone), the others the same objects: only that list changes.
      const { pods, statefulSets, pvcs } = world.cluster;
      for (const cluster of [{ ...world.cluster, pods: pods.without(pods.keys()[0] ?? '') }, { ...world.cluster, statefulSets: without(statefulSets, Object.keys(statefulSets)[0] ?? '') }, { ...world.cluster, pvcs: pvcs.without(pvcs.keys()[0] ?? '') }]) {
        const changed = { ...world, cluster };
        expect(lists(changed, true)).toBe(lists(changed, false));
      }
    }
    expect(withPods).toBeGreaterThan(100);
  });

  it('PGO\'s own steps listed (fire actions kept per timer, controller actions per cluster name) are the plain ones: due timers in firing order, then reconcile, resume, garbage collection', () => {
    let fired = 0;
    for (const world of worlds) {
      const listed = pgoSystemActions(world).filter((action) => action.kind === 'timer' || (action.kind === 'controller' && !('substrate' in action)));
      const name = world.options.clusterName;
      const plain = [
        ...clockDue(world.clock).map((timer) => ({ kind: 'timer', op: 'timer.fire', id: timer.id, label: `timer ${timer.id}` })),
        ...(world.pgo.inFlight === null && world.pgo.dirty ? [{ kind: 'controller', op: 'pgo.reconcile', label: `reconcile PostgresCluster ${name}` }] : []),
        ...(world.pgo.inFlight !== null && execResult(world) !== null ? [{ kind: 'controller', op: 'pgo.resume', label: `reconcile PostgresCluster ${name} (exec returned)` }] : []),
        ...world.orphans.map((pod) => ({ kind: 'controller', op: 'gc.delete', pod, label: `garbage-collect Pod ${pod}` })),
      ];
      expect(listed).toStrictEqual(plain);
      fired += plain.length;
    }
    expect(fired).toBeGreaterThan(1_000);
  });

  it('withEntry equals a spread with the computed key, keys in the same order', () => {
    for (const world of worlds.slice(0, 2_000)) {
      const names = Object.keys(world.volumes);
      for (const key of [...names, 'new-pgdata']) {
        const value = { hasData: true, walLsn: world.now, timeline: 2 };
        expect(JSON.stringify(withEntry(world.volumes, key, value))).toBe(JSON.stringify({ ...world.volumes, [key]: value }));
      }
    }
  });

  it('shapedWorld rebuilds a step result with the same data, in the key order of the objects as first created, and keeps untouched parts', () => {
    // Key orders as the constructors make them (not from reached worlds, which shapedWorld itself made).
    const fresh = emptyWorld(pgoScenarioDefaults, pgo57);
    const member = patroniMemberCreate('m', { startTicks: 1, stopTicks: 1, cloneTicks: 1, initdbTicks: 1 }, { hasData: false, walLsn: 0, timeline: 1 }, true);
    const order = { world: Object.keys(fresh), pgo: Object.keys(fresh.pgo), clock: Object.keys(clockCreate()), patroni: Object.keys(fresh.patroni), dcs: Object.keys(dcsCreate('s')), member: Object.keys(member) };
    let dirtied = 0;
    for (let index = 1; index < worlds.length; index += 3) {
      const before = worlds[index - 1] as PgoWorld;
      const world = worlds[index] as PgoWorld;
      // Every part replaced by fresh objects with changed values (as a step makes them), then shaped against `before`.
      const changed: PgoWorld = {
        ...world,
        now: world.now + 1,
        clock: { ...world.clock, sequence: world.clock.sequence + 1 },
        pgo: { ...world.pgo, reconciles: world.pgo.reconciles + 1 },
        patroni: {
          ...world.patroni,
          dcs: { ...world.patroni.dcs, transitions: world.patroni.dcs.transitions + 1, members: world.patroni.dcs.members.concat(world.patroni.dcs.members) },
          members: world.patroni.members.map((one) => ({ ...one, walLsn: one.walLsn + 1 })),
        },
      };
      const shaped = shapedWorld(before, changed);
      expect(shaped).toStrictEqual(changed);
      expect(Object.keys(shaped)).toEqual(order.world);
      expect(Object.keys(shaped.pgo)).toEqual(order.pgo);
      expect(Object.keys(shaped.clock)).toEqual(order.clock);
      expect(Object.keys(shaped.patroni)).toEqual(order.patroni);
      expect(Object.keys(shaped.patroni.dcs)).toEqual(order.dcs);
      for (const one of shaped.patroni.members) expect(Object.keys(one)).toEqual(order.member);
      // Against itself nothing is replaced: every part keeps its identity.
      const same = shapedWorld(world, world);
      for (const key of Object.keys(world) as (keyof PgoWorld)[]) expect(same[key]).toBe(world[key]);
      // A step that replaced one member keeps the others and the DCS.
      const stepped = shapedWorld(world, { ...world, patroni: { ...world.patroni, members: world.patroni.members.map((one, at) => (at === 0 ? { ...one } : one)) } });
      stepped.patroni.members.forEach((one, at) => (at === 0 ? expect(one).not.toBe(world.patroni.members[at]) : expect(one).toBe(world.patroni.members[at])));
      expect(stepped.patroni.dcs).toBe(world.patroni.dcs);
      // The controller state after the watches looked, given apart: the same world as shaping the noted world.
      const noted = shapedWorld(before, changed, watchedPgo(changed));
      expect(noted).toStrictEqual(shapedWorld(before, notePgoWatch(changed)));
      expect(Object.keys(noted.pgo)).toEqual(order.pgo);
      expect(shapedWorld(world, world, watchedPgo(world))).toStrictEqual(shapedWorld(world, notePgoWatch(world)));
      if (watchedPgo(changed) !== changed.pgo) dirtied++;
    }
    // The watches saw a change in some of these worlds (the pgo part was then replaced).
    expect(dirtied).toBeGreaterThan(10);
  });

  it('a bootstrap continued from the cached prefix equals the plain bootstrap, for drawn, parsed and pinned options', () => {
    const options = [pgoScenarioDefaults, parsePgoOptions(pgoExploreConfiguration), parsePgoOptions({ clusterName: 'other', nodeCount: 2, replicas: 3 })];
    for (let seed = 1; seed <= 40; seed++) options.push(drawPgoOptions(Prng.fromSeed(seed).fork('options')));
    for (const profile of pgoProfiles) {
      for (const vocabulary of [{ targetInstance: false }, { targetInstance: true }]) {
        for (const drawn of options) {
          const pinned = { ...drawn, patroni: { ...drawn.patroni, synchronousMode: profile === pgo57 ? ('on' as const) : drawn.patroni.synchronousMode } };
          expect(JSON.stringify(pgoInit(pinned, profile, vocabulary, true))).toBe(JSON.stringify(pgoInit(pinned, profile, vocabulary, false)));
        }
      }
    }
  });

  it('a NameMemo answers what its derivation answers, also past its size limit', () => {
    const memo = new NameMemo((name) => `default/${name}`, 4);
    for (let round = 0; round < 3; round++) {
      for (let index = 0; index < 10; index++) expect(memo.get(`pod-${index}`)).toBe(`default/pod-${index}`);
    }
  });
});
