import { describe, expect, it } from 'vitest';
import type { SimAction, TimeAction } from '../../sim/model.ts';
import { hunt, traceSwarm } from '../../sim/swarm.ts';
import type { KubeBlocksAction } from '../../machines/kubeblocks/kubeblocks-runtime.ts';
import { kubeblocks100, kubeblocks101, type OpsProfile } from '../../machines/kubeblocks-opsrequest/profile.ts';
import { kafkaItsName, kafkaOfflineOnlineModel, kafkaOfflineOnlineScenario, type KafkaWorld } from './kafka-offline-online.ts';

const pod = (ordinal: number): string => `${kafkaItsName}-${ordinal}`;

/** Takes the system's own steps (first enabled, then timers) until only idle time is left. */
function runSystem(profile: OpsProfile, world: KafkaWorld): KafkaWorld {
  const model = kafkaOfflineOnlineModel(profile);
  let next = world;
  for (let steps = 0; steps < 5_000; steps++) {
    const actions = model.actions(next);
    const own = actions.find((action) => action.kind !== 'user' && action.kind !== 'fault' && action.kind !== 'time');
    const time = actions.find((action): action is KubeBlocksAction & TimeAction => action.kind === 'time');
    if (own !== undefined) next = model.apply(next, own);
    else if (time !== undefined && !time.idle) next = model.apply(next, time);
    else return next;
  }
  throw new Error('the system did not go quiet');
}

/** Applies the user request whose label starts with `prefix`. */
function request(profile: OpsProfile, world: KafkaWorld, prefix: string): KafkaWorld {
  const model = kafkaOfflineOnlineModel(profile);
  const action = model.actions(world).find((candidate: SimAction) => candidate.kind === 'user' && candidate.label.startsWith(prefix));
  if (action === undefined) throw new Error(`no user request ${prefix}`);
  return runSystem(profile, model.apply(world, action));
}

function startedCluster(profile: OpsProfile): KafkaWorld {
  const model = kafkaOfflineOnlineModel(profile);
  return runSystem(profile, model.init(model.options.defaults));
}

const phaseOf = (world: KafkaWorld, name: string) => world.ext.ops.opsRequests.find((ops) => ops.name === name)?.status.phase;
const brokerSpec = (world: KafkaWorld) => world.kb.clusters['kafka']?.spec.componentSpecs[0];
const podNames = (world: KafkaWorld) => world.k8s.pods.values().map((entry) => entry.name).sort();

describe('kafka-offline-online on the KubeBlocks world', () => {
  it('creates a Running 3-broker cluster before any request', () => {
    // Proves the scenario's starting point: three broker pods and a Running cluster.
    const world = startedCluster(kubeblocks100);
    expect(world.kb.clusters['kafka']?.status.phase).toBe('Running');
    expect(podNames(world)).toEqual([pod(0), pod(1), pod(2)]);
  });

  it('kubeblocks@1.0.0: offline broker-2, then bring it back: Running forever at 0/1, replicas still 2', () => {
    // Proves the incident on the composed world, step by step (the hunt below finds it without this script).
    let world = startedCluster(kubeblocks100);
    world = request(kubeblocks100, world, `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${pod(2)}]`);
    expect(phaseOf(world, 'hscale-1')).toBe('Succeed');
    expect(podNames(world)).toEqual([pod(0), pod(1)]);
    world = request(kubeblocks100, world, `user opsrequest.create hscale-2 scaleOut.offlineInstancesToOnline=[${pod(2)}]`);
    expect(phaseOf(world, 'hscale-2')).toBe('Running');
    expect(brokerSpec(world)).toMatchObject({ replicas: 2, offlineInstances: [] });
    expect(world.ext.ops.opsRequests[1]?.status.progress).toBe('0/1');
    expect(world.kb.clusters['kafka']?.status.phase).toBe('Running');
  });

  it('kubeblocks@1.0.1: the same two requests succeed and broker-2 is back', () => {
    // Proves PR #9405 on the composed world.
    let world = startedCluster(kubeblocks101);
    world = request(kubeblocks101, world, `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${pod(2)}]`);
    world = request(kubeblocks101, world, `user opsrequest.create hscale-2 scaleOut.offlineInstancesToOnline=[${pod(2)}]`);
    expect(phaseOf(world, 'hscale-2')).toBe('Succeed');
    expect(brokerSpec(world)).toMatchObject({ replicas: 3, offlineInstances: [] });
    expect(podNames(world)).toEqual([pod(0), pod(1), pod(2)]);
  });

  it('a Cancel of the hung ops rolls back and ends Cancelled (the escape hatch)', () => {
    // Proves the cancel path on 1.0.0: spec restored from lastConfiguration, swapped progress completes.
    let world = startedCluster(kubeblocks100);
    world = request(kubeblocks100, world, `user opsrequest.create hscale-1 scaleIn.onlineInstancesToOffline=[${pod(2)}]`);
    world = request(kubeblocks100, world, `user opsrequest.create hscale-2 scaleOut.offlineInstancesToOnline=[${pod(2)}]`);
    world = request(kubeblocks100, world, 'user opsrequest.cancel hscale-2');
    expect(phaseOf(world, 'hscale-2')).toBe('Cancelled');
    expect(brokerSpec(world)).toMatchObject({ replicas: 2, offlineInstances: [pod(2)] });
  });
});

describe('kafka-offline-online hunts', () => {
  const buggy = kafkaOfflineOnlineScenario.variants.find((variant) => variant.name === 'buggy');
  const fixed = kafkaOfflineOnlineScenario.variants.find((variant) => variant.name === 'fixed');

  it('the buggy variant is found stuck from generated requests, with the OpsRequest, its progress, the instance and the unchanged replicas named', () => {
    // Proves the done-when: a swarm hunt from seed 1 discovers the hang and explains it.
    const result = hunt(kafkaOfflineOnlineScenario, buggy!, { runs: 500, seed: 1 });
    expect(result.found).toBe(true);
    const violation = result.violation!;
    expect(violation.kind).toBe('stuck');
    expect(violation.subject).toMatchObject({ kind: 'OpsRequest', phase: 'Running' });
    expect(violation.explanation).toMatch(/progress \d+\/\d+/);
    expect(violation.explanation).toContain('instance brought back online');
    expect(violation.explanation).toContain('replicas did not change');
  });

  it('the fixed variant stays clean and still reaches every sometimes property', () => {
    // Proves PR #9405 removes the hang in the same hunt, and the suite is not vacuous.
    const result = hunt(kafkaOfflineOnlineScenario, fixed!, { runs: 100, seed: 1 });
    expect(result.violation?.explanation ?? null).toBeNull();
    expect(result.sometimesNeverSeen).toEqual([]);
  });
});

describe('kafka-offline-online determinism', () => {
  it('the same seed gives a byte-identical trace', () => {
    // Proves runs are reproducible from their seed (DESIGN.md §3).
    const variant = kafkaOfflineOnlineScenario.variants[0]!;
    const spec = { scenario: kafkaOfflineOnlineScenario.name, variant: variant.name, profile: variant.profile, seed: 7, swarm: kafkaOfflineOnlineScenario.swarm };
    expect(JSON.stringify(traceSwarm(variant.model, spec))).toBe(JSON.stringify(traceSwarm(variant.model, spec)));
  });
});
