/**
 * The walk every KubeBlocks machine test uses: for each leaf state, the events it handles (own or
 * inherited transitions) and the events it ignores on purpose must together be every event of
 * the machine, and never overlap (P's defer/ignore discipline made mechanical).
 */
import type { AnyStateMachine } from 'xstate';

interface StateNodeLike {
  readonly key: string;
  readonly parent?: StateNodeLike | undefined;
  readonly states: Readonly<Record<string, StateNodeLike>>;
  readonly on: Readonly<Record<string, unknown>>;
  readonly after: readonly unknown[];
}

function leafPaths(node: StateNodeLike, prefix: string): { path: string; node: StateNodeLike }[] {
  const children = Object.values(node.states);
  if (children.length === 0) return [{ path: prefix, node }];
  return children.flatMap((child) => leafPaths(child, prefix === '' ? child.key : `${prefix}.${child.key}`));
}

function handledEvents(leaf: StateNodeLike): Set<string> {
  const handled = new Set<string>();
  for (let node: StateNodeLike | undefined = leaf; node !== undefined; node = node.parent) {
    for (const eventType of Object.keys(node.on)) if (!eventType.startsWith('xstate.')) handled.add(eventType);
  }
  return handled;
}

/** Problems found walking `machine` (empty when every leaf decides about every event). */
export function walkStatesAndEvents(machine: AnyStateMachine, eventTypes: readonly string[], ignored: Readonly<Record<string, readonly string[]>>): string[] {
  const problems: string[] = [];
  const leaves = leafPaths(machine.root as unknown as StateNodeLike, '');
  for (const { path, node } of leaves) {
    const ignoredHere = ignored[path];
    if (ignoredHere === undefined) {
      problems.push(`state ${path} has no ignored list`);
      continue;
    }
    const handled = handledEvents(node);
    for (const eventType of eventTypes) {
      const isHandled = handled.has(eventType);
      const isIgnored = ignoredHere.includes(eventType);
      if (!isHandled && !isIgnored) problems.push(`state ${path} silently drops ${eventType}`);
      if (isHandled && isIgnored) problems.push(`state ${path} both handles and ignores ${eventType}`);
    }
  }
  for (const path of Object.keys(ignored)) if (!leaves.some((leaf) => leaf.path === path)) problems.push(`ignored list for unknown state ${path}`);
  return problems;
}
