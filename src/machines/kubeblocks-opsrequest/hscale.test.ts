import { describe, expect, it } from 'vitest';
import {
  actionFatalError,
  createdAndDeletedPodSets,
  expectedComponentValues,
  ordinalOf,
  podNamesOf,
  validateHorizontalScaling,
  type ComponentShape,
  type HorizontalScaling,
} from './hscale.ts';
import { kubeblocks100, kubeblocks101 } from './profile.ts';

const its = 'kafka-broker';
const name = (ordinal: number): string => `${its}-${ordinal}`;
const shape = (replicas: number, ...offline: number[]): ComponentShape => ({ replicas, offlineInstances: offline.map(name) });
const hscale = (fields: Omit<HorizontalScaling, 'componentName'>): HorizontalScaling => ({ componentName: 'kafka-broker', ...fields });

describe('pod names (instance_util.go GenerateInstanceNamesFromTemplate, kubeblocks.md §2.6)', () => {
  it('counts ordinals from 0 and skips offline names until replicas names exist', () => {
    // Proves the reference example: replicas 3, offline [x-1] → x-0, x-2, x-3.
    expect(podNamesOf(its, shape(3, 1))).toEqual([name(0), name(2), name(3)]);
  });

  it('leaves an offline entry above the generated range inert', () => {
    // Proves the reference example: replicas 2, offline [x-2] → x-0, x-1.
    expect(podNamesOf(its, shape(2, 2))).toEqual([name(0), name(1)]);
  });

  it('reads ordinals only from names of this InstanceSet', () => {
    // Proves ordinalOf rejects foreign and malformed names.
    expect(ordinalOf(its, name(12))).toBe(12);
    expect(ordinalOf(its, 'other-1')).toBeNull();
    expect(ordinalOf(its, `${its}-01`)).toBeNull();
  });
});

describe('scaleIn (horizontal_scaling.go getExpectedCompValues, kubeblocks.md §3.4)', () => {
  it('scaleIn.replicaChanges lowers replicas and deletes the highest ordinals', () => {
    // Proves a plain scale-in removes the top pod and leaves offlineInstances alone.
    const hs = hscale({ scaleIn: { replicaChanges: 1 } });
    expect(expectedComponentValues(its, shape(3), hs, kubeblocks101)).toEqual(shape(2));
    expect(createdAndDeletedPodSets(its, shape(3), hs, kubeblocks101, false)).toEqual({ created: [], deleted: [name(2)] });
  });

  it('scaleIn.onlineInstancesToOffline lowers replicas by the number of names and records them offline', () => {
    // Proves the auto-sync for scale-in: taking x-1 offline gives replicas 2, offline [x-1], pods x-0, x-2.
    const hs = hscale({ scaleIn: { onlineInstancesToOffline: [name(1)] } });
    const expected = expectedComponentValues(its, shape(3), hs, kubeblocks100);
    expect(expected).toEqual(shape(2, 1));
    expect(podNamesOf(its, expected)).toEqual([name(0), name(2)]);
    expect(createdAndDeletedPodSets(its, shape(3), hs, kubeblocks100, false)).toEqual({ created: [], deleted: [name(1)] });
  });

  it('an explicit scaleIn.replicaChanges wins over the number of names', () => {
    // Proves "unless the user set scaleIn.replicaChanges, which then wins": offline x-2 with changes 2 → replicas 1.
    const hs = hscale({ scaleIn: { replicaChanges: 2, onlineInstancesToOffline: [name(2)] } });
    expect(expectedComponentValues(its, shape(3), hs, kubeblocks101)).toEqual(shape(1, 2));
  });

  it('fails the Action for a name that is not online', () => {
    // Proves horizontal_scaling.go Action's Fatal check on onlineInstancesToOffline.
    const hs = hscale({ scaleIn: { onlineInstancesToOffline: [name(2)] } });
    expect(actionFatalError(its, shape(2, 2), hs, kubeblocks101)).toBe(`instance "${name(2)}" specified in onlineInstancesToOffline is not online`);
    expect(actionFatalError(its, shape(3), hs, kubeblocks101)).toBeNull();
  });

  it('fails the Action when the result leaves the replicasLimit', () => {
    // Proves a scale-in to zero is refused (ComponentDefinition replicasLimit minimum 1).
    const hs = hscale({ scaleIn: { replicaChanges: 1 } });
    expect(actionFatalError(its, shape(1), hs, kubeblocks101)).toContain('got 0');
  });
});

describe('scaleOut (kubeblocks.md §3.4)', () => {
  it('scaleOut.replicaChanges raises replicas and creates the next ordinals', () => {
    // Proves a plain scale-out creates x-3 from 3 replicas.
    const hs = hscale({ scaleOut: { replicaChanges: 1 } });
    expect(createdAndDeletedPodSets(its, shape(3), hs, kubeblocks100, false)).toEqual({ created: [name(3)], deleted: [] });
  });

  it('bringing a middle ordinal back online works on both profiles', () => {
    // Proves the reference example: replicas 2, offline [x-1] → count 1 → replicas 3, pods x-0..x-2.
    const hs = hscale({ scaleOut: { offlineInstancesToOnline: [name(1)] } });
    for (const profile of [kubeblocks100, kubeblocks101]) {
      expect(expectedComponentValues(its, shape(2, 1), hs, profile)).toEqual(shape(3));
      expect(createdAndDeletedPodSets(its, shape(2, 1), hs, profile, false)).toEqual({ created: [name(1)], deleted: [] });
    }
  });

  it('kubeblocks@1.0.0: the last ordinal clears offlineInstances but keeps replicas, and the ops still expects it (#9000)', () => {
    // Proves the buggy rule: replicas 2, offline [x-2] → replicas 2, offline [], created set forced to [x-2].
    const hs = hscale({ scaleOut: { offlineInstancesToOnline: [name(2)] } });
    expect(expectedComponentValues(its, shape(2, 2), hs, kubeblocks100)).toEqual(shape(2));
    expect(createdAndDeletedPodSets(its, shape(2, 2), hs, kubeblocks100, false)).toEqual({ created: [name(2)], deleted: [] });
  });

  it('kubeblocks@1.0.1: the last ordinal raises replicas (PR #9405)', () => {
    // Proves the fixed rule: replicas 2, offline [x-2] → replicas 3, created [x-2].
    const hs = hscale({ scaleOut: { offlineInstancesToOnline: [name(2)] } });
    expect(expectedComponentValues(its, shape(2, 2), hs, kubeblocks101)).toEqual(shape(3));
    expect(createdAndDeletedPodSets(its, shape(2, 2), hs, kubeblocks101, false)).toEqual({ created: [name(2)], deleted: [] });
  });

  it('kubeblocks@1.0.1: counts names in sorted order only while they are generated', () => {
    // Proves step 4 of the fix: with replicas 1 and an ordinal gap (offline [x-2]), x-2 is not reached, so nothing is added.
    const hs = hscale({ scaleOut: { offlineInstancesToOnline: [name(2)] } });
    expect(expectedComponentValues(its, shape(1, 2), hs, kubeblocks101)).toEqual(shape(1));
    expect(createdAndDeletedPodSets(its, shape(1, 2), hs, kubeblocks101, false)).toEqual({ created: [], deleted: [] });
  });

  it('an explicit scaleOut.replicaChanges is used as is on both profiles (the documented workaround)', () => {
    // Proves rule 1 of the fix and the 1.0.0 workaround: replicas 2, offline [x-2], changes 1 → replicas 3.
    const hs = hscale({ scaleOut: { replicaChanges: 1, offlineInstancesToOnline: [name(2)] } });
    for (const profile of [kubeblocks100, kubeblocks101]) {
      expect(expectedComponentValues(its, shape(2, 2), hs, profile)).toEqual(shape(3));
    }
  });
});

describe('replicas (deprecated absolute count) and validation (opsrequest_validation.go)', () => {
  it('replicas sets the count and keeps offlineInstances', () => {
    // Proves getCompExpectReplicas returns the absolute value when set.
    expect(expectedComponentValues(its, shape(3, 4), hscale({ replicas: 5 }), kubeblocks101)).toEqual(shape(5, 4));
  });

  it('rejects replicas combined with scaleIn or scaleOut', () => {
    // Proves the deprecation rule of validateHorizontalScalingSpec.
    expect(validateHorizontalScaling(hscale({ replicas: 2, scaleIn: { replicaChanges: 1 } }), shape(3))).toContain('deprecated');
  });

  it('rejects more names than replicaChanges, a scale-in above replicas, and an unknown offline name', () => {
    // Proves the three HScale spec checks the controller re-runs in Pending and Creating.
    expect(validateHorizontalScaling(hscale({ scaleIn: { replicaChanges: 0, onlineInstancesToOffline: [name(0)] } }), shape(3))).toContain(
      "can't be greater than the \"replicaChanges\"",
    );
    expect(validateHorizontalScaling(hscale({ scaleIn: { replicaChanges: 4 } }), shape(3))).toBe(
      `"scaleIn.replicaChanges" can't be greater than 3 for component "kafka-broker"`,
    );
    expect(validateHorizontalScaling(hscale({ scaleOut: { offlineInstancesToOnline: [name(1)] } }), shape(3))).toBe(
      `cannot find the offline instance "${name(1)}" in component "kafka-broker" for scaleOut operation`,
    );
    expect(validateHorizontalScaling(hscale({ scaleOut: { offlineInstancesToOnline: [name(1)] } }), shape(2, 1))).toBeNull();
  });

  it('swaps the created and deleted sets while cancelling', () => {
    // Proves the Cancelling progress rule: the rollback deletes what the ops created.
    const hs = hscale({ scaleOut: { replicaChanges: 1 } });
    expect(createdAndDeletedPodSets(its, shape(3), hs, kubeblocks101, true)).toEqual({ created: [], deleted: [name(3)] });
  });
});
