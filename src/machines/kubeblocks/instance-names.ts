/**
 * InstanceSet pod naming and alignment (reference §2.6,
 * pkg/controller/instanceset/instance_util.go `generateInstanceNames` and
 * reconciler_instance_alignment.go).
 */
import { assert } from '../../sim/assert.ts';
import { checkLimit } from '../../sim/limits.ts';
import type { InstanceSetSpec, InstanceTemplate } from './kubeblocks-objects.ts';

/** Pods one InstanceSet may ask for; a spec beyond it is a model error, not a big cluster. */
export const instanceReplicasMax = 1_000;

/** A desired pod name and the template it comes from (`''` for the default template). */
export interface DesiredInstance {
  readonly name: string;
  readonly templateName: string;
}

/**
 * Names for `replicas` pods of one template: count ordinals upward from 0 (or walk the explicit
 * ordinal list), skip names listed in `offlineInstances`, stop at `replicas` names.
 */
export function instanceNamesFromTemplate(
  parentName: string,
  templateName: string,
  replicas: number,
  offlineInstances: readonly string[],
  ordinals: readonly number[],
): string[] {
  checkLimit('instanceReplicasMax', replicas, instanceReplicasMax, `InstanceSet ${parentName}`);
  const nameOf = (ordinal: number): string => (templateName === '' ? `${parentName}-${ordinal}` : `${parentName}-${templateName}-${ordinal}`);
  const names: string[] = [];
  if (ordinals.length > 0) {
    for (const ordinal of ordinals.slice().sort((left, right) => left - right)) {
      if (names.length >= replicas) break;
      const name = nameOf(ordinal);
      if (!offlineInstances.includes(name)) names.push(name);
    }
    assert(names.length === replicas, `for template '${templateName}', expected ${replicas} instance names but generated ${names.length}: [${names.join(', ')}]`);
    return names;
  }
  for (let ordinal = 0; names.length < replicas; ordinal++) {
    const name = nameOf(ordinal);
    if (!offlineInstances.includes(name)) names.push(name);
  }
  return names;
}

/** Ordinal suffix of a pod name, or -1. */
export function instanceOrdinal(name: string): number {
  const index = name.lastIndexOf('-');
  if (index < 0 || index === name.length - 1) return -1;
  // Digits only (no regex and no slice: this runs in every sort comparison of every reconcile).
  let ordinal = 0;
  for (let position = index + 1; position < name.length; position++) {
    const digit = name.charCodeAt(position) - 48;
    if (digit < 0 || digit > 9) return -1;
    ordinal = ordinal * 10 + digit;
  }
  return ordinal;
}

// Parent name and ordinal per pod name: the sorts of every reconcile compare the same few names.
const parsedNames = new Map<string, { readonly parent: string; readonly ordinal: number }>();
const parsedNamesMax = 10_000;

function parsedName(name: string): { readonly parent: string; readonly ordinal: number } {
  let parsed = parsedNames.get(name);
  if (parsed === undefined) {
    if (parsedNames.size >= parsedNamesMax) parsedNames.clear();
    parsed = { parent: name.slice(0, name.lastIndexOf('-')), ordinal: instanceOrdinal(name) };
    parsedNames.set(name, parsed);
  }
  return parsed;
}

/** Sorts names by parent name, then ordinal (ascending); unique names make it total. */
export function compareInstanceNames(left: string, right: string): number {
  const leftName = parsedName(left);
  const rightName = parsedName(right);
  const leftParent = leftName.parent;
  const rightParent = rightName.parent;
  if (leftParent !== rightParent) return leftParent < rightParent ? -1 : 1;
  const byOrdinal = leftName.ordinal - rightName.ordinal;
  if (byOrdinal !== 0) return byOrdinal;
  return left < right ? -1 : left > right ? 1 : 0;
}

// desiredInstances is a pure function of (name, spec) and the controller asks three times per
// reconcile; specs are immutable and shared between worlds, so the answer is cached per spec.
const desiredCache = new WeakMap<InstanceSetSpec, { readonly itsName: string; readonly desired: readonly DesiredInstance[] }>();

/** Every desired pod of an InstanceSet: named templates first, the default template fills the rest. */
export function desiredInstances(itsName: string, spec: InstanceSetSpec): readonly DesiredInstance[] {
  const cached = desiredCache.get(spec);
  if (cached !== undefined && cached.itsName === itsName) return cached.desired;
  const desired = computeDesiredInstances(itsName, spec);
  desiredCache.set(spec, { itsName, desired });
  return desired;
}

function computeDesiredInstances(itsName: string, spec: InstanceSetSpec): readonly DesiredInstance[] {
  const desired: DesiredInstance[] = [];
  let templated = 0;
  for (const template of spec.instances) {
    for (const name of instanceNamesFromTemplate(itsName, template.name, template.replicas, spec.offlineInstances, template.ordinals)) {
      desired.push({ name, templateName: template.name });
    }
    templated += template.replicas;
  }
  if (templated < spec.replicas) {
    for (const name of instanceNamesFromTemplate(itsName, '', spec.replicas - templated, spec.offlineInstances, [])) {
      desired.push({ name, templateName: '' });
    }
  }
  return desired.sort((left, right) => compareInstanceNames(left.name, right.name));
}

/** The template a pod comes from, or undefined for the default one. */
export function instanceTemplateOf(spec: InstanceSetSpec, templateName: string): InstanceTemplate | undefined {
  return spec.instances.find((template) => template.name === templateName);
}

/** What alignment must do: pods to create and pods to delete, in order. */
export interface AlignmentPlan {
  readonly create: readonly DesiredInstance[];
  readonly delete: readonly string[];
}

/** create set = desired − existing, delete set = existing − desired (§2.6). */
export function alignmentPlan(desired: readonly DesiredInstance[], existing: readonly string[]): AlignmentPlan {
  const existingSet = new Set(existing);
  const desiredSet = new Set(desired.map((instance) => instance.name));
  return {
    create: desired.filter((instance) => !existingSet.has(instance.name)),
    delete: existing.filter((name) => !desiredSet.has(name)).sort(compareInstanceNames).reverse(),
  };
}

/** True when the existing pods are exactly the desired names ("instances are not aligned" otherwise). */
export function instancesAligned(desired: readonly DesiredInstance[], existing: readonly string[]): boolean {
  const plan = alignmentPlan(desired, existing);
  return plan.create.length === 0 && plan.delete.length === 0;
}
