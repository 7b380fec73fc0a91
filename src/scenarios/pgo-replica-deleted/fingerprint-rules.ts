/**
 * The per-key rules of the PGO + Patroni state key (fingerprint.ts says what each abstracts and
 * why), shared by its text (fingerprint.ts) and its hash (fingerprint-hash.ts).
 */
import { defaultTolerationSeconds } from '../../sim/cluster/taint-eviction.ts';

export type Rule = { readonly kind: 'kept' } | { readonly kind: 'drop' } | { readonly kind: 'present' } | { readonly kind: 'relative'; readonly min: number | null };

const drop: Rule = { kind: 'drop' };
export const exactRelative: Rule = { kind: 'relative', min: null };

/** Rules by key; `ttl` fills the lease-age caps. Keys not listed are kept as they are (ticks exact and relative). */
export function rulesFor(ttl: number): ReadonlyMap<string, Rule> {
  return new Map<string, Rule>([
    // Rates, not timestamps, although their names end in `Tick`.
    ['writeBytesPerTick', { kind: 'kept' }],
    ['catchUpBytesPerTick', { kind: 'kept' }],
    ['now', drop],
    ['events', drop],
    // The substrate's derived indexes (pods by node, by label, requests by node): a function of the pods.
    ['index', drop],
    ['count', drop],
    ['lastTick', drop],
    ['reconciles', drop],
    ['transitions', drop],
    ['acquiredTick', drop],
    ['creationTick', drop],
    ['lastMessage', drop],
    ['watchKey', drop],
    ['postgresVersion', drop],
    ['dcsRetrySinceTick', { kind: 'present' }],
    ['deletionTick', { kind: 'present' }],
    ['leaseUntilTick', { kind: 'relative', min: 0 }],
    ['deadlineTick', { kind: 'relative', min: 0 }],
    ['startDueTick', { kind: 'relative', min: 0 }],
    ['readyDueTick', { kind: 'relative', min: 0 }],
    ['renewedTick', { kind: 'relative', min: -ttl }],
    ['releasedLeaderKeyTick', { kind: 'relative', min: -ttl }],
    ['startedTick', { kind: 'relative', min: -1 }],
    ['lastTransitionTick', { kind: 'relative', min: -(defaultTolerationSeconds + 1) }],
  ]);
}

/** Inside `cluster.pods`: pod conditions' transition stamps and containers' start stamps are read by nothing. */
export const podRules: ReadonlyMap<string, Rule> = new Map([
  ['lastTransitionTick', drop],
  ['startedTick', drop],
]);

export const walKeys = new Set(['walLsn', 'leaderLsn', 'switchLsn']);
