import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newOrderId, regionOfOrder } from './orders';

describe('order ids', () => {
  it('carry the region that owns the order', () => {
    const id = newOrderId('eu-west', randomUUID());
    expect(regionOfOrder(id)).toBe('eu-west');
  });

  it('refuse anything that is not an order id', () => {
    expect(regionOfOrder('ord_us-east_nope')).toBeUndefined();
    expect(regionOfOrder('../etc/passwd')).toBeUndefined();
  });
});
