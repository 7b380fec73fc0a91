/**
 * The InstanceSet image-match rule (reference §2.7): does a pod run the image its spec asks for?
 * A Ready pod whose images "do not match" is never counted in `readyReplicas`, and nothing flags
 * it as failed: that is how a component stays `Creating` forever.
 */
import type { ImageMatchRule } from './kubeblocks-profile.ts';
import { unreachable } from '../../sim/assert.ts';

/** Name, tag and digest of an image reference; empty strings when absent. */
export interface ImageParts {
  readonly name: string;
  readonly tag: string;
  readonly digest: string;
}

/**
 * Splits `[[host[:port]/]path/]repo[:tag][@digest]` leniently, as upstream's `imageSplit` /
 * `splitContainerImageRef` do: the search for `:` and `@` starts at the first `/`, so a registry
 * port is never read as a tag (pkg/controllerutil/image_util.go).
 */
export function imageSplit(image: string): ImageParts {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  const at = search.indexOf('@');
  const colon = search.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    return { name: image.slice(0, offset + at), tag: '', digest: image.slice(offset + at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1, offset + at), digest: image.slice(offset + at + 1) };
  }
  return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1), digest: '' };
}

/** The last path segment of an image name: `docker.io/apecloud/spilo` → `spilo`. */
export function imageBaseName(name: string): string {
  const index = name.lastIndexOf('/');
  return index < 0 ? name : name.slice(index + 1);
}

/** One container's spec image against its status `image` and `imageID`. */
export interface ContainerImageObservation {
  readonly specImage: string;
  readonly statusImage: string;
  readonly statusImageId: string;
}

// pkg/controller/instanceset/instance_util.go (v1.0.2): isImageMatched on status.image only.
function matchStatusImageSplit(observed: ContainerImageObservation): boolean {
  const spec = imageSplit(observed.specImage);
  const status = imageSplit(observed.statusImage);
  if (spec.digest !== '' && spec.digest !== status.digest) return false;
  if (spec.tag !== '' && spec.tag !== status.tag) return false;
  return spec.name === status.name || imageBaseName(spec.name) === imageBaseName(status.name);
}

// pkg/controllerutil/image_util.go (PR #10199, #10257): MatchContainerImageInStatus.
function matchDigestViaImageId(observed: ContainerImageObservation): boolean {
  const spec = imageSplit(observed.specImage);
  if (spec.digest !== '') return spec.digest === imageSplit(observed.statusImageId).digest;
  const status = imageSplit(observed.statusImage);
  if (spec.tag !== '' && spec.tag !== status.tag) return false;
  return imageBaseName(spec.name) === imageBaseName(status.name);
}

/** True when the container's status shows the image its spec asks for, under `rule`. */
export function containerImageMatches(rule: ImageMatchRule, observed: ContainerImageObservation): boolean {
  switch (rule) {
    case 'status-image-split':
      return matchStatusImageSplit(observed);
    case 'digest-via-image-id':
      return matchDigestViaImageId(observed);
    case 'skip':
      return true;
    default:
      return unreachable(rule, 'image match rule');
  }
}
