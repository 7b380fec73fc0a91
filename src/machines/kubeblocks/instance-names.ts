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
  const suffix = name.slice(index + 1);
  return index >= 0 && /^[0-9]+$/.test(suffix) ? Number(suffix) : -1;
}

/** Sorts names by parent name, then ordinal (ascending); unique names make it total. */
export function compareInstanceNames(left: string, right: string): number {
  const leftParent = left.slice(0, left.lastIndexOf('-'));
  const rightParent = right.slice(0, right.lastIndexOf('-'));
  if (leftParent !== rightParent) return leftParent < rightParent ? -1 : 1;
  const byOrdinal = instanceOrdinal(left) - instanceOrdinal(right);
  if (byOrdinal !== 0) return byOrdinal;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Every desired pod of an InstanceSet: named templates first, the default template fills the rest. */
export function desiredInstances(itsName: string, spec: InstanceSetSpec): DesiredInstance[] {
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
