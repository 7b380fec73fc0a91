// Proves the kept work item strings are the concatenation they replace, for any controller and key,
// also across the clearing of a controller's map.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitWorkItem, workItem, workItemsPerControllerMax } from './kubeblocks-world.ts';

describe('workItem', () => {
  it('is `controller/key`, kept or not', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ controller: fc.constantFrom('instanceset', 'component', 'cluster', 'x'), key: fc.string() }), { maxLength: 40 }), (pairs) => {
        for (const { controller, key } of [...pairs, ...pairs]) {
          expect(workItem(controller, key)).toBe(`${controller}/${key}`);
          expect(splitWorkItem(workItem(controller, key))).toEqual({ controller, key });
        }
      }),
    );
    for (let index = 0; index <= workItemsPerControllerMax + 5; index++) expect(workItem('many', `k${index}`)).toBe(`many/k${index}`);
    expect(workItem('many', 'k0')).toBe('many/k0');
  });
});
