/**
 * Small pure matchers the scheduler, the PDB logic and the controllers share: label selectors,
 * tolerations, image references and deterministic identifiers (disk UUIDs, image digests).
 */
import { assert, unreachable } from '../assert.ts';
import { hash32 } from '../prng.ts';
import type { LabelSelector, LabelSelectorRequirement, StringMap, Taint, Toleration } from './types.ts';

/** One requirement against a label map (k8s.io/apimachinery/pkg/labels/selector.go). */
export function requirementMatches(requirement: LabelSelectorRequirement, labels: StringMap): boolean {
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case 'In':
      return value !== undefined && (requirement.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(requirement.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return unreachable(requirement.operator, 'selector operator');
  }
}

/** A null selector matches nothing; `{}` matches everything (metav1.LabelSelectorAsSelector). */
export function selectorMatches(selector: LabelSelector | null, labels: StringMap): boolean {
  if (selector === null) return false;
  const matchLabels = selector.matchLabels;
  if (matchLabels) {
    for (const key in matchLabels) {
      if (labels[key] !== matchLabels[key]) return false;
    }
  }
  const expressions = selector.matchExpressions;
  if (expressions) {
    for (const requirement of expressions) {
      if (!requirementMatches(requirement, labels)) return false;
    }
  }
  return true;
}

/** Whether `toleration` tolerates `taint` (k8s.io/api/core/v1/toleration.go ToleratesTaint). */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect !== undefined && toleration.effect !== taint.effect) return false;
  if (toleration.key !== undefined && toleration.key !== '' && toleration.key !== taint.key) return false;
  const operator = toleration.operator ?? 'Equal';
  if (operator === 'Exists') return true;
  return (toleration.value ?? '') === taint.value;
}

/** The first NoSchedule/NoExecute taint no toleration tolerates (v1helper.FindMatchingUntoleratedTaint). */
export function firstUntoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | null {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((toleration) => toleratesTaint(toleration, taint))) return taint;
  }
  return null;
}

/**
 * Normalizes an image reference the way the container runtime reports it
 * (github.com/distribution/reference ParseNormalizedNamed): `nginx:1.25` →
 * `docker.io/library/nginx:1.25`, `apecloud/spilo:16` → `docker.io/apecloud/spilo:16`, no tag → `:latest`.
 */
export function imageNormalize(image: string): string {
  let normalized = normalizedCache.get(image);
  if (normalized === undefined) {
    if (normalizedCache.size >= normalizedCacheMax) normalizedCache.clear();
    normalized = normalize(image);
    normalizedCache.set(image, normalized);
  }
  return normalized;
}

// Callers normalize the same few references on every step; the result is a pure function of the input.
const normalizedCache = new Map<string, string>();
const normalizedCacheMax = 10_000;

function normalize(image: string): string {
  assert(image.length > 0, 'an image reference must not be empty');
  const [name, digest] = image.split('@') as [string, string | undefined];
  const slash = name.indexOf('/');
  const first = slash < 0 ? '' : name.slice(0, slash);
  const hasDomain = first.includes('.') || first.includes(':') || first === 'localhost';
  let repository = hasDomain ? name : slash < 0 ? `docker.io/library/${name}` : `docker.io/${name}`;
  if (digest !== undefined) return `${repository}@${digest}`;
  const lastSlash = repository.lastIndexOf('/');
  if (!repository.slice(lastSlash + 1).includes(':')) repository = `${repository}:latest`;
  return repository;
}

/** The repository part of a normalized reference (`docker.io/library/nginx`). */
export function imageRepository(normalized: string): string {
  const at = normalized.indexOf('@');
  if (at >= 0) return normalized.slice(0, at);
  const lastSlash = normalized.lastIndexOf('/');
  const colon = normalized.indexOf(':', lastSlash + 1);
  return colon < 0 ? normalized : normalized.slice(0, colon);
}

/** The pull policy the API server defaults (k8s.io/kubernetes/pkg/apis/core/v1/defaults.go SetDefaults_Container). */
export function imagePullPolicyDefault(image: string): 'Always' | 'IfNotPresent' {
  if (image.includes('@')) return 'IfNotPresent';
  const normalized = imageNormalize(image);
  return normalized.endsWith(':latest') ? 'Always' : 'IfNotPresent';
}

function hex8(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

// Identifiers are pure functions of their seed; a small cache spares re-hashing in every run.
const identifierCache = new Map<string, string>();
const identifierCacheMax = 10_000;

function cached(seed: string, make: (seed: string) => string): string {
  let value = identifierCache.get(seed);
  if (value === undefined) {
    if (identifierCache.size >= identifierCacheMax) identifierCache.clear();
    value = make(seed);
    identifierCache.set(seed, value);
  }
  return value;
}

/** A deterministic 64-hex-digit digest (`sha256:…`) for `seed`. */
export function digestFor(seed: string): string {
  return cached(`digest\u0000${seed}`, makeDigest);
}

function makeDigest(seed: string): string {
  let text = '';
  for (let lane = 0; lane < 8; lane++) text += hex8(hash32(`${seed}#${lane}`));
  return `sha256:${text}`;
}

/** A deterministic UUID-shaped identifier for `seed` (disk UUIDs). */
export function uuidFor(seed: string): string {
  return cached(`uuid\u0000${seed}`, makeUuid);
}

function makeUuid(seed: string): string {
  const a = hex8(hash32(`${seed}#a`));
  const b = hex8(hash32(`${seed}#b`));
  const c = hex8(hash32(`${seed}#c`));
  const d = hex8(hash32(`${seed}#d`));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
}
