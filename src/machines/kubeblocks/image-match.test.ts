// Proves the two image-match rules of §2.7 on the cases upstream names: registry-qualified status
// names, digest-pinned specs with a tag in status.image (PR #10199), tag aliases, tagless specs.
import { describe, expect, it } from 'vitest';
import { containerImageMatches, imageSplit } from './image-match.ts';

const d1 = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
const d2 = 'sha256:2222222222222222222222222222222222222222222222222222222222222222';

describe('imageSplit', () => {
  it('never reads a registry port as a tag, and splits tag and digest', () => {
    expect(imageSplit('registry:5000/apecloud/spilo:16')).toEqual({ name: 'registry:5000/apecloud/spilo', tag: '16', digest: '' });
    expect(imageSplit(`apecloud/spilo:16@${d1}`)).toEqual({ name: 'apecloud/spilo', tag: '16', digest: d1 });
    expect(imageSplit(`apecloud/spilo@${d1}`)).toEqual({ name: 'apecloud/spilo', tag: '', digest: d1 });
    expect(imageSplit('spilo')).toEqual({ name: 'spilo', tag: '', digest: '' });
  });
});

describe('image match, both profiles', () => {
  const both = ['status-image-split', 'digest-via-image-id'] as const;
  it('a registry-qualified status name matches a short spec name (last path segment compared)', () => {
    for (const rule of both) {
      expect(containerImageMatches(rule, { specImage: 'apecloud/spilo:16', statusImage: 'docker.io/apecloud/spilo:16', statusImageId: `docker.io/apecloud/spilo@${d1}` })).toBe(true);
    }
  });
  it('a tag alias (status shows another tag of the same digest) mismatches under both: tag specs stay strict', () => {
    for (const rule of both) {
      expect(containerImageMatches(rule, { specImage: 'apecloud/spilo:16.4', statusImage: 'docker.io/apecloud/spilo:16', statusImageId: `docker.io/apecloud/spilo@${d1}` })).toBe(false);
    }
  });
  it('a different base name mismatches under both', () => {
    for (const rule of both) {
      expect(containerImageMatches(rule, { specImage: 'apecloud/redis', statusImage: 'docker.io/apecloud/redis-stack:latest', statusImageId: '' })).toBe(false);
    }
  });
});

describe('image match, digest-pinned specs (PR #10199)', () => {
  const pinned = { specImage: `apecloud/spilo@${d1}`, statusImage: 'docker.io/apecloud/spilo:16', statusImageId: `docker.io/apecloud/spilo@${d1}` };
  it('1.0.2 reads the digest from status.image, so a tag there is a mismatch', () => {
    expect(containerImageMatches('status-image-split', pinned)).toBe(false);
  });
  it('1.0.3 reads the digest from status.imageID and matches', () => {
    expect(containerImageMatches('digest-via-image-id', pinned)).toBe(true);
  });
  it('1.0.3 still rejects a different digest in imageID', () => {
    expect(containerImageMatches('digest-via-image-id', { ...pinned, statusImageId: `docker.io/apecloud/spilo@${d2}` })).toBe(false);
  });
  it('1.0.2 matches a pinned spec when status.image carries the same digest', () => {
    expect(containerImageMatches('status-image-split', { ...pinned, statusImage: `docker.io/apecloud/spilo@${d1}` })).toBe(true);
  });
});

describe('image match, skip-image-check proposal (beclab/Olares PR #2414)', () => {
  it('accepts any status image, even another tag or base name', () => {
    expect(containerImageMatches('skip', { specImage: 'apecloud/spilo:16.4', statusImage: 'docker.io/apecloud/spilo:16', statusImageId: '' })).toBe(true);
  });
});
