// Proves the restore pool-size example runs with small effort: under kubeblocks@0.9 every restored pod stays Pending on the inherited selector once no node is free of the source's pods, a pool one node larger restores cleanly, where the restored replicas share a node, and kubeblocks@1.0.1 restores one replica per node on the smallest pool the source runs on.
import { describe, expect, it } from 'vitest';
import { restoreProfileKubeblocks09, restoreProfileKubeblocks101 } from '../src/index.ts';
import { main } from './restore-pending-by-pool-size.ts';

describe('examples/restore-pending-by-pool-size', () => {
  it('counts restored pods Pending by pool size and tells the inherited selector from lack of nodes', () => {
    const lines: string[] = [];
    const rows = main({ runs: 1, seed: 1, profiles: [restoreProfileKubeblocks09, restoreProfileKubeblocks101], sourceReplicaCounts: [3], poolSizes: [4, 3, 2], print: (line) => lines.push(line) });
    expect(rows.map((row) => `${row.profile} ${row.nodeCount}`)).toEqual(['kubeblocks@0.9 4', 'kubeblocks@0.9 3', 'kubeblocks@1.0.1 4', 'kubeblocks@1.0.1 3']);
    const at = (profile: string, nodes: number) => rows.find((row) => row.profile === profile && row.nodeCount === nodes);
    expect(at('kubeblocks@0.9', 3)?.foreignSelector).toBe(3);
    expect(at('kubeblocks@0.9', 3)?.opsPhases['Running']).toBe(1);
    expect(at('kubeblocks@0.9', 4)?.pending).toEqual([0]);
    expect(at('kubeblocks@1.0.1', 3)?.pending).toEqual([0]);
    expect(at('kubeblocks@1.0.1', 3)?.opsPhases['Succeed']).toBe(1);
    // The inherited selector repels only my1's pods, so restored replicas may share a node; their own selector keeps them apart.
    expect(at('kubeblocks@0.9', 4)?.podsOnOneNodeMax).toBeGreaterThan(1);
    expect(at('kubeblocks@1.0.1', 4)?.podsOnOneNodeMax).toBe(1);
    expect(lines.some((line) => line.startsWith('kubeblocks@0.9'))).toBe(true);
  });
});
