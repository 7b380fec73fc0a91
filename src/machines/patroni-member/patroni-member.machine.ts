/**
 * The PostgreSQL process of one Patroni member as an XState machine. State names are the upstream
 * `PostgresqlState` strings (P:`patroni/postgresql/misc.py`); the member's `PostgresqlRole` lives
 * in context. The HA loop ({@link ./ha-loop.ts}) decides, the host sends these events; durations
 * (start, stop, clone, initdb) are delayed transitions, in ticks.
 */
import { assign, setup } from 'xstate';
import type { PatroniMemberEvent } from './patroni-member.events.ts';

/** P:`patroni/postgresql/misc.py` `PostgresqlState` values this model reaches. */
export type PostgresqlState = 'initializing new cluster' | 'creating replica' | 'starting' | 'running' | 'stopping' | 'stopped' | 'crashed';

/** P:`patroni/postgresql/misc.py` `PostgresqlRole` (Patroni ≥ 4 spells the leader `primary`). */
export type PostgresqlRole = 'primary' | 'replica' | 'standby_leader' | 'demoted' | 'uninitialized';

export interface PatroniMemberContext {
  readonly role: PostgresqlRole;
  /** Role the member will have once `starting` finishes. */
  readonly startingAs: PostgresqlRole;
  readonly startTicks: number;
  readonly stopTicks: number;
  readonly cloneTicks: number;
  readonly initdbTicks: number;
}

export interface PatroniMemberInput {
  readonly startTicks: number;
  readonly stopTicks: number;
  readonly cloneTicks: number;
  readonly initdbTicks: number;
  /** A member whose data directory already holds a cluster starts as `replica` (Patroni decides later). */
  readonly hasData: boolean;
}

export const postgresqlStates: readonly PostgresqlState[] = ['initializing new cluster', 'creating replica', 'starting', 'running', 'stopping', 'stopped', 'crashed'];

export const patroniMemberEventTypes = ['pg.initdb', 'pg.clone', 'pg.start', 'pg.stop', 'pg.crash', 'pg.promote', 'pg.demote'] as const;

/**
 * Events each state ignores on purpose, so that "every state handles or ignores every event" is a
 * checked fact (the walk test reads this).
 */
export const patroniMemberIgnored: Readonly<Record<PostgresqlState, readonly PatroniMemberEvent['type'][]>> = {
  'initializing new cluster': ['pg.initdb', 'pg.clone', 'pg.start', 'pg.stop', 'pg.promote', 'pg.demote'],
  'creating replica': ['pg.initdb', 'pg.clone', 'pg.start', 'pg.stop', 'pg.promote', 'pg.demote'],
  starting: ['pg.initdb', 'pg.clone', 'pg.start', 'pg.promote', 'pg.demote'],
  running: ['pg.initdb', 'pg.clone', 'pg.start'],
  stopping: ['pg.initdb', 'pg.clone', 'pg.start', 'pg.stop', 'pg.promote', 'pg.demote'],
  stopped: ['pg.stop', 'pg.crash', 'pg.promote', 'pg.demote'],
  crashed: ['pg.initdb', 'pg.clone', 'pg.stop', 'pg.crash', 'pg.promote', 'pg.demote'],
};

export const patroniMemberMachine = setup({
  types: {
    context: {} as PatroniMemberContext,
    events: {} as PatroniMemberEvent,
    input: {} as PatroniMemberInput,
  },
  delays: {
    startDelay: ({ context }) => context.startTicks,
    stopDelay: ({ context }) => context.stopTicks,
    cloneDelay: ({ context }) => context.cloneTicks,
    initdbDelay: ({ context }) => context.initdbTicks,
  },
  guards: {
    isReplica: ({ context }) => context.role === 'replica' || context.role === 'demoted',
    isPrimary: ({ context }) => context.role === 'primary',
  },
  actions: {
    becomeUninitialized: assign({ role: 'uninitialized' as PostgresqlRole, startingAs: 'uninitialized' as PostgresqlRole }),
    becomeStartedRole: assign({ role: ({ context }) => context.startingAs }),
    prepareStart: assign({ startingAs: ({ event }) => (event.type === 'pg.start' ? event.role : 'replica') }),
    becomePrimary: assign({ role: 'primary' as PostgresqlRole }),
    becomeDemoted: assign({ role: 'demoted' as PostgresqlRole }),
    becomeReplicaAfterClone: assign({ role: 'replica' as PostgresqlRole }),
  },
}).createMachine({
  id: 'patroniMember',
  context: ({ input }) => ({
    role: input.hasData ? 'replica' : 'uninitialized',
    startingAs: 'replica',
    startTicks: input.startTicks,
    stopTicks: input.stopTicks,
    cloneTicks: input.cloneTicks,
    initdbTicks: input.initdbTicks,
  }),
  initial: 'stopped',
  states: {
    stopped: {
      on: {
        'pg.initdb': { target: 'initializing new cluster', actions: 'becomeUninitialized' },
        'pg.clone': { target: 'creating replica', actions: 'becomeUninitialized' },
        'pg.start': { target: 'starting', actions: 'prepareStart' },
      },
    },
    'initializing new cluster': {
      // P:`patroni/ha.py` `post_bootstrap`: the bootstrapping member runs as the primary.
      after: { initdbDelay: { target: 'running', actions: 'becomePrimary' } },
      on: { 'pg.crash': { target: 'crashed' } },
    },
    'creating replica': {
      // P:`patroni/postgresql/bootstrap.py` `create_replica`: state becomes `stopped` when the clone finishes.
      after: { cloneDelay: { target: 'stopped', actions: 'becomeReplicaAfterClone' } },
      on: { 'pg.crash': { target: 'crashed' } },
    },
    starting: {
      after: { startDelay: { target: 'running', actions: 'becomeStartedRole' } },
      on: { 'pg.stop': { target: 'stopping' }, 'pg.crash': { target: 'crashed' } },
    },
    running: {
      on: {
        'pg.stop': { target: 'stopping' },
        'pg.crash': { target: 'crashed' },
        'pg.promote': { guard: 'isReplica', actions: 'becomePrimary' },
        'pg.demote': { guard: 'isPrimary', target: 'stopping', actions: 'becomeDemoted' },
      },
    },
    stopping: {
      after: { stopDelay: { target: 'stopped' } },
      on: { 'pg.crash': { target: 'crashed' } },
    },
    crashed: {
      on: { 'pg.start': { target: 'starting', actions: 'prepareStart' } },
    },
  },
});
