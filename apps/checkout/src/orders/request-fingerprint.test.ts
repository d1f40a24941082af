import { describe, expect, it } from 'vitest';
import { checkoutFingerprint } from './request-fingerprint';

const request = { items: [{ productId: 'p-1', quantity: 2 }], customer: { email: 'a@example.com' } };

describe('checkoutFingerprint', () => {
  it('is the same for the same cart written differently', () => {
    const reordered = JSON.parse('{"customer":{"email":"a@example.com"},"items":[{"quantity":2,"productId":"p-1"}]}');
    expect(checkoutFingerprint(reordered)).toBe(checkoutFingerprint(request));
  });

  it('changes with quantity, product, extra lines and customer', () => {
    const base = checkoutFingerprint(request);
    expect(checkoutFingerprint({ ...request, items: [{ productId: 'p-1', quantity: 3 }] })).not.toBe(base);
    expect(checkoutFingerprint({ ...request, items: [{ productId: 'p-2', quantity: 2 }] })).not.toBe(base);
    expect(checkoutFingerprint({ ...request, items: [...request.items, { productId: 'p-2', quantity: 1 }] })).not.toBe(base);
    expect(checkoutFingerprint({ ...request, customer: { email: 'b@example.com' } })).not.toBe(base);
  });
});
