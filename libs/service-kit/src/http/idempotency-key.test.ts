import { describe, expect, it } from 'vitest';
import { requireIdempotencyKey } from './idempotency-key';

const refuse = () => new Error('refused');

describe('requireIdempotencyKey', () => {
  it('answers the trimmed key', () => {
    expect(requireIdempotencyKey('  k-1 ', 10, refuse)).toBe('k-1');
  });

  it('refuses a missing, repeated, blank or too long key with the service’s own error', () => {
    for (const header of [undefined, ['a', 'b'], '   ', 'x'.repeat(11)]) expect(() => requireIdempotencyKey(header, 10, refuse)).toThrow('refused');
    expect(requireIdempotencyKey('x'.repeat(10), 10, refuse)).toHaveLength(10);
  });
});
