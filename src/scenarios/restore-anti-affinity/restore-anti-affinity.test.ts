// Proves the restore scenarios hunt as issue 7 asks: the 0.9 profile is found stuck on a pod that
// inherited app.kubernetes.io/instance=my1, 1.0.1 stays clean on cluster/component policies (and
// reaches every `sometimes`), and 1.0.1 is found stuck again on instance-template policies.
import { describe, expect, it } from 'vitest';
import { OptionsError } from '../../sim/model.ts';
import { hunt, traceSwarm } from '../../sim/swarm.ts';
import type { Scenario } from '../../sim/scenario.ts';
import { restoreInstanceTemplateAntiAffinityScenario } from '../restore-instance-template-anti-affinity/restore-instance-template-anti-affinity.ts';
import { restoreAntiAffinityScenario } from './restore-anti-affinity.ts';
import { parseRestoreOptions, restoreOptionsDefaults } from './restore-world.ts';

function variantOf(scenario: Scenario, name: string) {
  const variant = scenario.variants.find((candidate) => candidate.name === name);
  if (variant === undefined) throw new Error(`no variant ${name}`);
  return variant;
}

describe('restore-anti-affinity', () => {
  // Proves the buggy profile is discovered within 100 runs and explained with pod, message and inherited selector.
  it('finds restored pods Pending on the source cluster selector under kubeblocks@0.9', () => {
    const result = hunt(restoreAntiAffinityScenario, variantOf(restoreAntiAffinityScenario, 'buggy'), { runs: 100, seed: 1 });
    expect(result.found).toBe(true);
    const violation = result.violation;
    expect(violation?.kind).toBe('stuck');
    expect(violation?.subject?.kind).toBe('Pod');
    expect(violation?.subject?.phase).toBe('Pending');
    expect(violation?.explanation).toMatch(/FailedScheduling: 0\/\d nodes are available: .*node\(s\) didn't match pod anti-affinity rules\./);
    expect(violation?.explanation).toContain('inherited selector app.kubernetes.io/instance=my1');
  });

  // Proves the fixed profile stays clean and still reaches a successful restore and a legitimately unschedulable pod.
  it('stays clean under kubeblocks@1.0.1 and reaches every sometimes', () => {
    const result = hunt(restoreAntiAffinityScenario, variantOf(restoreAntiAffinityScenario, 'fixed'), { runs: 80, seed: 1000 });
    expect(result.violation?.explanation ?? null).toBeNull();
    expect(result.sometimesNeverSeen).toEqual([]);
  });

  // Proves the v1.0.0 profile's nil-selector panic is found: the ops never leaves Creating (PR #9413).
  it('finds the v1.0.0 nil-selector panic as a Restore stuck in Creating', () => {
    const result = hunt(restoreAntiAffinityScenario, variantOf(restoreAntiAffinityScenario, 'v1.0.0'), { runs: 100, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.subject).toMatchObject({ kind: 'OpsRequest', phase: 'Creating' });
    expect(result.violation?.explanation).toContain('panic: runtime error: invalid memory address or nil pointer dereference');
  });

  // Proves a run is deterministic: the same seed gives the same trace.
  it('replays a seed to the same trace', () => {
    const variant = variantOf(restoreAntiAffinityScenario, 'buggy');
    const spec = { scenario: restoreAntiAffinityScenario.name, variant: 'buggy', profile: variant.profile, seed: 12, swarm: restoreAntiAffinityScenario.swarm };
    expect(JSON.stringify(traceSwarm(variant.model, spec))).toBe(JSON.stringify(traceSwarm(variant.model, spec)));
  });

  // Proves bad options are rejected with a message naming the field.
  it('validates options', () => {
    expect(() => parseRestoreOptions({ ...restoreOptionsDefaults, nodeCount: 0 }, false)).toThrow(OptionsError);
    expect(() => parseRestoreOptions({ ...restoreOptionsDefaults, termAt: ['template'] }, false)).toThrow(/termAt\[\]/);
    expect(parseRestoreOptions(undefined, false)).toEqual(restoreOptionsDefaults);
  });
});

describe('restore-instance-template-anti-affinity (finding)', () => {
  // Proves upstream 1.0.1 still leaves a template's pods Pending on the inherited selector.
  it('finds template pods Pending under kubeblocks@1.0.1', () => {
    const scenario = restoreInstanceTemplateAntiAffinityScenario;
    const result = hunt(scenario, variantOf(scenario, 'buggy'), { runs: 100, seed: 1 });
    expect(result.found).toBe(true);
    expect(result.violation?.subject?.name).toMatch(/-tpl-\d+$/);
    expect(result.violation?.explanation).toContain('inherited selector app.kubernetes.io/instance=my1');
  });

  // Proves the proposal (normalize instance templates too) removes it.
  it('stays clean under the proposal', () => {
    const scenario = restoreInstanceTemplateAntiAffinityScenario;
    const result = hunt(scenario, variantOf(scenario, 'fixed'), { runs: 60, seed: 1 });
    expect(result.violation?.explanation ?? null).toBeNull();
  });
});
