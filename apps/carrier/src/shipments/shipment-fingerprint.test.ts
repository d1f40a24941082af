import { describe, expect, it } from 'vitest';
import { shipmentFingerprint } from './shipment-fingerprint';

describe('shipmentFingerprint', () => {
  const base = shipmentFingerprint({ reference: 'ord-1', items: [{ productId: 'p-1', quantity: 2 }] });

  it('ignores property order', () => {
    const reordered = { items: [{ quantity: 2, productId: 'p-1' }], reference: 'ord-1' };
    expect(shipmentFingerprint(reordered)).toBe(base);
  });

  it('tells apart references, products, quantities and a number from its string', () => {
    expect(shipmentFingerprint({ reference: 'ord-2', items: [{ productId: 'p-1', quantity: 2 }] })).not.toBe(base);
    expect(shipmentFingerprint({ reference: 'ord-1', items: [{ productId: 'p-2', quantity: 2 }] })).not.toBe(base);
    expect(shipmentFingerprint({ reference: 'ord-1', items: [{ productId: 'p-1', quantity: 3 }] })).not.toBe(base);
    expect(shipmentFingerprint({ reference: 'ord-1', items: [{ productId: 'p-1', quantity: '2' as unknown as number }] })).not.toBe(base);
  });

  it('cannot be fooled by a separator inside a field', () => {
    const a = shipmentFingerprint({ reference: 'a","b', items: [{ productId: 'p', quantity: 1 }] });
    const b = shipmentFingerprint({ reference: 'a', items: [{ productId: 'b","p', quantity: 1 }] });
    expect(a).not.toBe(b);
  });
});
