/**
 * The controller contract of the KubeBlocks world (DESIGN.md §1): `reconcile(view, key)` reads a
 * view of the world and returns the writes to make, or an error that returns early (upstream
 * reconcilers do; controller-runtime requeues the key with backoff).
 *
 * A user replaces one controller's step by passing a {@link KbController} with the same `name`
 * to `kubeblocksRuntime({ controllers })`.
 */
import type { KbWrite, KubeBlocksWorld } from './kubeblocks-world.ts';

/** What one reconcile returns: writes, or an error (the writes before the error still happen). */
export type ReconcileResult = { readonly writes: readonly KbWrite[] } | { readonly writes: readonly KbWrite[]; readonly error: string };

/** A controller: named, reconciling keys of one object kind. */
export interface KbController<W extends KubeBlocksWorld = KubeBlocksWorld> {
  /** Work-item prefix and label part: `component` → `reconcile Component pg-postgresql`. */
  readonly name: string;
  /** The kind it reconciles, for action labels. */
  readonly objectKind: string;
  reconcile(view: W, key: string): ReconcileResult;
}

/** True when the reconcile returned an error. */
export function reconcileFailed(result: ReconcileResult): result is { readonly writes: readonly KbWrite[]; readonly error: string } {
  return 'error' in result;
}
