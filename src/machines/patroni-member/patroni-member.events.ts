/** Events the host sends to a Patroni member's PostgreSQL machine, as decided by the HA loop. */

/** Roles a start may end in. */
export type StartRole = 'primary' | 'replica';

export type PatroniMemberEvent =
  /** Bootstrap a new cluster (P:`patroni/postgresql/bootstrap.py` `_initdb`). */
  | { readonly type: 'pg.initdb' }
  /** Clone from the leader or a backup (`create_replica`). */
  | { readonly type: 'pg.clone' }
  /** Start the postmaster as `role` (`starting as a secondary`, `starting primary after failure`). */
  | { readonly type: 'pg.start'; readonly role: StartRole }
  /** Stop the postmaster (graceful shutdown of the pod). */
  | { readonly type: 'pg.stop' }
  /** The postmaster (or its node) died. */
  | { readonly type: 'pg.crash' }
  /** `pg_ctl promote` after acquiring the leader lock. */
  | { readonly type: 'pg.promote' }
  /** `Ha.demote`: stop as primary; the member starts following on its next cycle. */
  | { readonly type: 'pg.demote' };

export const pgEvents = {
  initdb: (): PatroniMemberEvent => ({ type: 'pg.initdb' }),
  clone: (): PatroniMemberEvent => ({ type: 'pg.clone' }),
  start: (role: StartRole): PatroniMemberEvent => ({ type: 'pg.start', role }),
  stop: (): PatroniMemberEvent => ({ type: 'pg.stop' }),
  crash: (): PatroniMemberEvent => ({ type: 'pg.crash' }),
  promote: (): PatroniMemberEvent => ({ type: 'pg.promote' }),
  demote: (): PatroniMemberEvent => ({ type: 'pg.demote' }),
};
