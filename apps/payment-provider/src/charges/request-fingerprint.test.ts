import { describe, expect, it } from 'vitest';
import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  it('ignores property order', () => {
    expect(requestFingerprint('charge', { amountCents: 100, reference: 'r' })).toBe(requestFingerprint('charge', { reference: 'r', amountCents: 100 }));
  });

  it('tells apart values, operations and a number from its string', () => {
    const base = requestFingerprint('charge', { amountCents: 100, reference: 'r' });
    expect(requestFingerprint('charge', { amountCents: 101, reference: 'r' })).not.toBe(base);
    expect(requestFingerprint('refund', { amountCents: 100, reference: 'r' })).not.toBe(base);
    expect(requestFingerprint('charge', { amountCents: '100', reference: 'r' })).not.toBe(base);
  });
});
