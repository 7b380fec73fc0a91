// Proves the runtime's status image rule: the first repo tag cached for the running digest, else
// the requested reference (containerd ContainerStatus; reference longhorn-scheduler.md §6.2).
import { describe, expect, it } from 'vitest';
import { runtimeStatusImage } from './kubelet.ts';

const d0 = 'sha256:aaaa';
const d1 = 'sha256:bbbb';

describe('runtimeStatusImage', () => {
  it('reports the requested reference when the digest has no tag on the node', () => {
    expect(runtimeStatusImage({ [`docker.io/apecloud/spilo@${d0}`]: d0 }, `docker.io/apecloud/spilo@${d0}`, d0)).toBe(`docker.io/apecloud/spilo@${d0}`);
  });
  it('reports a tag for a digest-pinned container when the node also holds that digest under the tag', () => {
    const cache = { 'docker.io/apecloud/spilo:16': d0, [`docker.io/apecloud/spilo@${d0}`]: d0 };
    expect(runtimeStatusImage(cache, `docker.io/apecloud/spilo@${d0}`, d0)).toBe('docker.io/apecloud/spilo:16');
  });
  it('ignores tags that point at another digest (a stale tag after a re-point)', () => {
    const cache = { 'docker.io/apecloud/spilo:16': d0, [`docker.io/apecloud/spilo@${d1}`]: d1 };
    expect(runtimeStatusImage(cache, `docker.io/apecloud/spilo@${d1}`, d1)).toBe(`docker.io/apecloud/spilo@${d1}`);
  });
  it('of two tags on one digest reports the first in order, possibly not the requested one (kubernetes#51017)', () => {
    const cache = { 'docker.io/apecloud/spilo:16': d0, 'docker.io/apecloud/spilo:16.4': d0 };
    expect(runtimeStatusImage(cache, 'docker.io/apecloud/spilo:16.4', d0)).toBe('docker.io/apecloud/spilo:16');
  });
});
