// Proves: a relabel through writePod leaves the indexes exactly as taking the pod out of every
// label entry and putting it back did (the entries' contents and the record's key order alike),
// and leaves the node indexes equal, on random label sets over pods that share some labels.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterCreate, writePod } from './store.ts';
import { withBoundPod } from './test-helpers.ts';
import type { Cluster, Pod, StringMap } from './types.ts';

const image = 'example/app:1';

// The reference: every label of `before` taken out (an emptied entry deleted), every label of `after` put in.
function relabelReference(byLabel: Readonly<Record<string, readonly string[]>>, key: string, before: Pod, after: Pod): Record<string, readonly string[]> {
  const next: Record<string, readonly string[]> = { ...byLabel };
  for (const label in before.labels) {
    const entry = `${label}=${before.labels[label]}`;
    const remaining = (next[entry] ?? []).filter((candidate) => candidate !== key);
    if (remaining.length === 0) delete next[entry];
    else next[entry] = remaining;
  }
  for (const label in after.labels) {
    const entry = `${label}=${after.labels[label]}`;
    next[entry] = [...(next[entry] ?? []), key].sort();
  }
  return next;
}

const labelsArb: fc.Arbitrary<StringMap> = fc
  .array(fc.tuple(fc.constantFrom('app', 'role', 'name', 'zone', 'tier'), fc.constantFrom('a', 'b', 'c')), { maxLength: 5 })
  .map((pairs) => Object.fromEntries(pairs));

describe('relabelling a pod', () => {
  it('gives the indexes that taking it out and putting it back gives, key order included', () => {
    fc.assert(
      fc.property(fc.array(labelsArb, { minLength: 1, maxLength: 6 }), fc.array(fc.tuple(fc.nat({ max: 5 }), labelsArb), { minLength: 1, maxLength: 12 }), (initial, relabels) => {
        let cluster: Cluster = clusterCreate({ nodes: [{ name: 'node-1' }, { name: 'node-2' }], images: [image] });
        initial.forEach((labels, index) => {
          cluster = withBoundPod(cluster, { name: `p${index}`, labels, containers: [{ name: 'main', image }] }, `node-${(index % 2) + 1}`);
        });
        for (const [which, labels] of relabels) {
          const key = `default/p${which % initial.length}`;
          const before = cluster.pods.get(key) as Pod;
          const after: Pod = { ...before, labels };
          const expected = relabelReference(cluster.index.podsByLabel.toJSON(), key, before, after);
          const next = writePod(cluster, key, after);
          expect(next.index.podsByLabel.keys()).toEqual(Object.keys(expected));
          expect(next.index.podsByLabel.toJSON()).toEqual(expected);
          expect(next.index.podsByNode).toEqual(cluster.index.podsByNode);
          expect(next.index.requestedByNode).toEqual(cluster.index.requestedByNode);
          expect(next.index.podsWithAffinity).toEqual(cluster.index.podsWithAffinity);
          cluster = next;
        }
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
