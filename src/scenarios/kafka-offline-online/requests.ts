/**
 * The user-request vocabulary of the `kafka-offline-online` scenario: every HorizontalScaling
 * OpsRequest a user could reasonably apply to the broker component right now, and every Cancel.
 * Generated from what the user sees (the pods the spec generates, the `offlineInstances` list),
 * never from a script: the swarm picks among them and finds the bad interleavings itself.
 */
import { podNamesOf, type ComponentShape, type HorizontalScaling } from '../../machines/kubeblocks-opsrequest/hscale.ts';
import { isOpsTerminal } from '../../machines/kubeblocks-opsrequest/opsrequest.machine.ts';
import type { OpsRequest, OpsRequestSpec } from '../../machines/kubeblocks-opsrequest/opsrequest.objects.ts';

/** A request the user may make now. */
export type UserRequest =
  | { readonly op: 'opsrequest.create'; readonly name: string; readonly label: string; readonly spec: OpsRequestSpec }
  | { readonly op: 'opsrequest.cancel'; readonly name: string; readonly label: string };

/** What the request generator needs to know. */
export interface RequestContext {
  readonly clusterName: string;
  readonly componentName: string;
  readonly itsName: string;
  /** The Cluster's current spec of the component. */
  readonly spec: ComponentShape;
  readonly opsRequests: readonly OpsRequest[];
  readonly nextSequence: number;
  /** Scale-out is offered only below this many replicas (the nodes' capacity; see the scenario). */
  readonly replicasMax: number;
  /** `spec.timeoutSeconds` of every new request; null for none. */
  readonly timeoutSeconds: number | null;
}

function describe(hs: HorizontalScaling): string {
  const parts: string[] = [];
  const { scaleIn, scaleOut } = hs;
  if (scaleIn?.onlineInstancesToOffline !== undefined) parts.push(`scaleIn.onlineInstancesToOffline=[${scaleIn.onlineInstancesToOffline.join(',')}]`);
  if (scaleIn?.replicaChanges !== undefined) parts.push(`scaleIn.replicaChanges=${scaleIn.replicaChanges}`);
  if (scaleOut?.offlineInstancesToOnline !== undefined) parts.push(`scaleOut.offlineInstancesToOnline=[${scaleOut.offlineInstancesToOnline.join(',')}]`);
  if (scaleOut?.replicaChanges !== undefined) parts.push(`scaleOut.replicaChanges=${scaleOut.replicaChanges}`);
  return parts.join(' ');
}

/** The HorizontalScaling shapes a user may ask for on `spec`. */
export function hscaleChoices(context: RequestContext): HorizontalScaling[] {
  const componentName = context.componentName;
  const online = podNamesOf(context.itsName, context.spec);
  const choices: HorizontalScaling[] = [];
  // Taking one instance offline: by name alone, and with an explicit replicaChanges of 1.
  for (const name of online) {
    choices.push({ componentName, scaleIn: { onlineInstancesToOffline: [name] } });
    choices.push({ componentName, scaleIn: { replicaChanges: 1, onlineInstancesToOffline: [name] } });
  }
  // Bringing one offline instance back: without and with replicaChanges (the documented workaround).
  for (const name of context.spec.offlineInstances) {
    if (context.spec.replicas >= context.replicasMax) break;
    choices.push({ componentName, scaleOut: { offlineInstancesToOnline: [name] } });
    choices.push({ componentName, scaleOut: { replicaChanges: 1, offlineInstancesToOnline: [name] } });
  }
  // Plain scaling by one.
  choices.push({ componentName, scaleIn: { replicaChanges: 1 } });
  if (context.spec.replicas < context.replicasMax) choices.push({ componentName, scaleOut: { replicaChanges: 1 } });
  return choices;
}

/** Every request enabled now, in a deterministic order. */
export function userRequests(context: RequestContext): UserRequest[] {
  const name = `hscale-${context.nextSequence + 1}`;
  const requests: UserRequest[] = hscaleChoices(context).map((hs) => ({
    op: 'opsrequest.create',
    name,
    label: `user opsrequest.create ${name} ${describe(hs)}`,
    spec: {
      clusterName: context.clusterName,
      type: 'HorizontalScaling',
      horizontalScaling: [hs],
      cancel: false,
      force: false,
      enqueueOnForce: false,
      timeoutSeconds: context.timeoutSeconds,
    },
  }));
  // Cancel what is at work (Creating or Running): cancelling a waiting ops is a plain Pending →
  // Cancelled (unit-tested), and offering it for every queued ops would crowd out new requests.
  for (const ops of context.opsRequests) {
    if (ops.spec.cancel || isOpsTerminal(ops.status.phase) || ops.status.phase === 'Pending' || ops.status.phase === 'New') continue;
    requests.push({ op: 'opsrequest.cancel', name: ops.name, label: `user opsrequest.cancel ${ops.name}` });
  }
  return requests;
}
