import { describe, expect, it } from 'vitest';
import { mergeLineItems, sameLineItems } from './line-items';

describe('line items in canonical form', () => {
  it('merges duplicates and sorts by product id', () => {
    expect(mergeLineItems([{ productId: 'p-002', quantity: 1 }, { productId: 'p-001', quantity: 2 }, { productId: 'p-002', quantity: 3 }])).toEqual([
      { productId: 'p-001', quantity: 2 },
      { productId: 'p-002', quantity: 4 },
    ]);
  });

  it('treats a reordered or split request as the same request, and a different quantity as another', () => {
    const first = mergeLineItems([{ productId: 'p-001', quantity: 2 }, { productId: 'p-009', quantity: 1 }]);
    const reordered = mergeLineItems([{ productId: 'p-009', quantity: 1 }, { productId: 'p-001', quantity: 1 }, { productId: 'p-001', quantity: 1 }]);
    expect(sameLineItems(first, reordered)).toBe(true);
    expect(sameLineItems(first, mergeLineItems([{ productId: 'p-001', quantity: 3 }, { productId: 'p-009', quantity: 1 }]))).toBe(false);
    expect(sameLineItems(first, mergeLineItems([{ productId: 'p-001', quantity: 2 }]))).toBe(false);
  });
});
