// Proves the OpsRequest extension's split lists: its system moves are its own steps only, which
// holds because the vocabulary may offer user requests only; a vocabulary offering anything else
// is refused when it is listed, not silently dropped from the swarm's system moves.
import { describe, expect, it } from 'vitest';
import { clusterCreate, nodePool } from '../../sim/cluster/index.ts';
import { opsSliceCreate } from '../../machines/kubeblocks-opsrequest/opsrequest.host.ts';
import { kubeblocks101 } from '../../machines/kubeblocks-opsrequest/profile.ts';
import { kubeblocksWorldCreate } from '../../machines/kubeblocks/kubeblocks-runtime.ts';
import { opsRequestExtension, type OpsAction, type OpsWorld } from './opsrequest-extension.ts';

const world: OpsWorld = kubeblocksWorldCreate(clusterCreate({ nodes: nodePool(1), images: [] }), [], { ops: opsSliceCreate() });
const cancel: OpsAction = { kind: 'user', owner: 'opsrequest', op: 'opsrequest.cancel', name: 'ops-1', label: 'user opsrequest.cancel ops-1' };
const reconcile: OpsAction = { kind: 'controller', owner: 'opsrequest', op: 'reconcile', name: 'ops-1', label: 'reconcile OpsRequest ops-1' };

describe('the OpsRequest extension', () => {
  it('lists the vocabulary as its environment moves and not among its system moves', () => {
    const extension = opsRequestExtension(kubeblocks101, () => [cancel]);
    expect(extension.actions?.(world)).toEqual([cancel]);
    expect(extension.systemActions?.(world)).toEqual([]);
    expect(extension.environmentActions?.(world)).toEqual([cancel]);
  });

  it('refuses a vocabulary that offers something other than a user request', () => {
    const extension = opsRequestExtension(kubeblocks101, () => [cancel, reconcile]);
    expect(() => extension.actions?.(world)).toThrow(/not a user request/);
    expect(() => extension.environmentActions?.(world)).toThrow(/not a user request/);
  });
});
