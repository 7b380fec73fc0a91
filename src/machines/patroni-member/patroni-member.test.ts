import { describe, expect, it } from 'vitest';
import { machineInit, machineStep, type MachineState } from '../../sim/machine-host.ts';
import { dcsLeader } from '../patroni-dcs/dcs.ts';
import { patroniDefaults, satisfiesTimingRule } from './patroni-config.ts';
import { acceptsWrites, memberByName, patroniClusterCreate, patroniMemberCreate, patroniSend, patroniUpsertMember, type PatroniCluster, type PatroniStep } from './patroni-cluster.ts';
import { patroniHaCycle } from './ha-perform.ts';
import { patroniMemberEventTypes, patroniMemberIgnored, patroniMemberMachine, postgresqlStates, type PatroniMemberContext } from './patroni-member.machine.ts';
import type { PatroniMemberEvent } from './patroni-member.events.ts';

const durations = { startTicks: 2, stopTicks: 1, cloneTicks: 5, initdbTicks: 3 };

function eventOf(type: (typeof patroniMemberEventTypes)[number]): PatroniMemberEvent {
  return type === 'pg.start' ? { type, role: 'replica' } : ({ type } as PatroniMemberEvent);
}

function stateFor(value: string, role: PatroniMemberContext['role']): MachineState<PatroniMemberContext> {
  const start = machineInit<PatroniMemberContext>(patroniMemberMachine, { ...durations, hasData: true }).state;
  return { value, context: { ...start.context, role } };
}

describe('Patroni member machine', () => {
  // Proves every state handles or explicitly ignores every event (an ignored event leaves the state unchanged).
  it('walks every state × event', () => {
    for (const state of postgresqlStates) {
      for (const type of patroniMemberEventTypes) {
        const ignored = patroniMemberIgnored[state].includes(type);
        for (const role of ['primary', 'replica'] as const) {
          const step = machineStep(patroniMemberMachine, stateFor(state, role), eventOf(type));
          if (ignored) expect(step.changed, `${state} should ignore ${type}`).toBe(false);
        }
        if (!ignored) {
          const changedForSomeRole = (['primary', 'replica'] as const).some((role) => machineStep(patroniMemberMachine, stateFor(state, role), eventOf(type)).changed);
          expect(changedForSomeRole, `${state} should handle ${type}`).toBe(true);
        }
      }
    }
  });

  // Proves durations are delayed transitions the host turns into timers (ticks), e.g. starting → running.
  it('schedules the end of a start as a timer', () => {
    const step = machineStep(patroniMemberMachine, stateFor('stopped', 'replica'), eventOf('pg.start'));
    expect(step.state.value).toBe('starting');
    const timer = step.effects.find((effect) => effect.kind === 'timer.schedule');
    expect(timer?.kind === 'timer.schedule' && timer.delayTicks).toBe(2);
  });
});

/** Runs timers of a step immediately (test helper: no clock, just fire what the machine scheduled). */
function settle(step: PatroniStep): PatroniCluster {
  let cluster = step.cluster;
  for (const { member, effect } of step.effects) {
    if (effect.kind === 'timer.schedule') cluster = settle(patroniSend(cluster, member, effect.event));
  }
  return cluster;
}

function twoMemberCluster(config = patroniDefaults): PatroniCluster {
  let cluster = patroniClusterCreate('hippo-ha', config, true);
  cluster = patroniUpsertMember(cluster, patroniMemberCreate('a', durations, { hasData: false, walLsn: 0, timeline: 1 }, true));
  cluster = settle(patroniHaCycle(cluster, 'a', 0));
  cluster = patroniUpsertMember(cluster, patroniMemberCreate('b', durations, { hasData: false, walLsn: 0, timeline: 1 }, true));
  cluster = settle(patroniHaCycle(cluster, 'b', 1));
  cluster = settle(patroniHaCycle(cluster, 'b', 2));
  return cluster;
}

describe('Patroni cluster host', () => {
  // Proves bootstrap end to end: a initdbs and leads, b clones and starts as a replica.
  it('bootstraps a leader and a replica', () => {
    const cluster = twoMemberCluster();
    expect(dcsLeader(cluster.dcs, 2)).toBe('a');
    expect(acceptsWrites(memberByName(cluster, 'a'))).toBe(true);
    expect(memberByName(cluster, 'b').pg).toMatchObject({ value: 'running', context: { role: 'replica' } });
  });

  // Proves the timing rule at work: a primary cut off from the DCS (and its peers) stops accepting writes before its lock expires.
  it('demotes a partitioned primary before its lock expires', () => {
    let cluster = twoMemberCluster();
    cluster = settle(patroniHaCycle(cluster, 'a', 10));
    const cut = { ...cluster, members: cluster.members.map((member) => (member.name === 'a' ? { ...member, dcsReachable: false } : member)) };
    const retry = patroniHaCycle(cut, 'a', 20);
    expect(retry.nextCycleTicks).toBe(patroniDefaults.retryTimeout);
    const demoted = patroniHaCycle(retry.cluster, 'a', 20 + retry.nextCycleTicks);
    expect(demoted.message).toBe('demoted self because DCS is not accessible and I was a leader');
    expect(acceptsWrites(memberByName(demoted.cluster, 'a'))).toBe(false);
    expect(20 + retry.nextCycleTicks).toBeLessThan(10 + patroniDefaults.ttl);
    expect(dcsLeader(demoted.cluster.dcs, 10 + patroniDefaults.ttl)).toBeNull();
  });

  // Proves why the timing rule exists: with loop_wait + 2*retry_timeout > ttl (a setting Patroni would adjust at start-up), a cut-off primary still accepts writes after another member took the expired lock.
  it('allows split brain when the timing rule is broken', () => {
    const broken = { ...patroniDefaults, ttl: 20, loopWait: 10, retryTimeout: 15 };
    expect(satisfiesTimingRule(broken)).toBe(false);
    let cluster = twoMemberCluster(broken);
    cluster = settle(patroniHaCycle(cluster, 'a', 10));
    // a's node is isolated: no DCS, and b cannot reach a's REST API to see it is still a running primary.
    cluster = { ...cluster, members: cluster.members.map((member) => (member.name === 'a' ? { ...member, dcsReachable: false, restReachable: false } : member)) };
    cluster = patroniUpsertMember(cluster, memberByName(cluster, 'a'));
    const retry = patroniHaCycle(cluster, 'a', 20);
    // b sees the lock expire at 10 + ttl = 30 and promotes, while a is still retrying until 20 + 15 = 35.
    const promoted = settle(patroniHaCycle(retry.cluster, 'b', 30));
    expect(dcsLeader(promoted.dcs, 30)).toBe('b');
    const writers = promoted.members.filter(acceptsWrites).map((member) => member.name);
    expect(writers).toEqual(['a', 'b']);
  });
});
