import { describe, expect, it } from 'vitest';
import { openDatabase } from '@keel/service-kit';
import type { CheckoutDatabase } from '../database/checkout-database';
import { migrateOrders } from '../database/orders-schema';
import type { OrderRecord } from './order-record';
import { ClaimLostError, OrdersRepository } from './orders.repository';

function repository(): OrdersRepository {
  const db = openDatabase(':memory:');
  migrateOrders(db);
  return new OrdersRepository({ db } as CheckoutDatabase);
}

let counter = 0;
const newOrder = (claimedUntil: number): OrderRecord => {
  counter++;
  return {
    id: `ord_test_00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`,
    region: 'test',
    status: 'pending',
    items: [{ productId: 'p-1', quantity: 1, unitPriceCents: 100 }],
    totalCents: 100,
    currency: 'USD',
    customer: { email: 'a@example.com' },
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    idempotencyKey: `key-${counter}`,
    requestHash: 'hash',
    nextStep: 'reserve-stock',
    claimedUntil,
  };
};

describe('orders repository', () => {
  it('keeps one order per idempotency key, handing the loser of a race the winner', () => {
    const orders = repository();
    const first = newOrder(Date.now() + 1_000);
    expect(orders.create(first, 'claim-1').created).toBe(true);
    const duplicate = { ...newOrder(Date.now() + 1_000), idempotencyKey: first.idempotencyKey };
    const { created, order } = orders.create(duplicate, 'claim-2');
    expect(created).toBe(false);
    expect(order.id).toBe(first.id);
    expect(orders.list()).toHaveLength(1);
  });

  it('lets only the claim holder write, and round-trips what it writes', () => {
    const orders = repository();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    expect(() => orders.save({ ...order, status: 'failed' }, 'not-mine', 0)).toThrow(ClaimLostError);
    const saved = orders.save({ ...order, nextStep: 'confirm-order', payment: { provider: 'provider-a', chargeId: 'ch_1' }, uncertainProvider: undefined }, 'mine', Date.now() + 1_000);
    expect(orders.findById(order.id)).toEqual({ ...saved, updatedAt: saved.updatedAt });
  });

  it('hands recovery only orders with work left, no live owner and no wait left', () => {
    const orders = repository();
    const now = Date.now();
    const owned = orders.create(newOrder(now + 60_000), 'live').order;
    const abandoned = orders.create(newOrder(now - 1), 'dead').order;
    const parked = orders.create(newOrder(now + 60_000), 'parker').order;
    orders.save(parked, 'parker', 0, now + 60_000);
    const finished = orders.create(newOrder(now + 60_000), 'done').order;
    orders.save({ ...finished, status: 'confirmed', nextStep: null }, 'done', 0);

    const taken = orders.claimDue('recovery', now, now + 5_000, 10);
    expect(taken.map((o) => o.id)).toEqual([abandoned.id]);
    expect(orders.claimDue('another', now, now + 5_000, 10)).toEqual([]);
    expect(() => orders.save(owned, 'recovery', 0)).toThrow(ClaimLostError);
    // Once every claim and wait has run out, all three are due again (the recovery worker may have died too).
    expect(orders.claimDue('later', now + 60_001, now + 65_000, 10).map((o) => o.id).sort()).toEqual([owned.id, abandoned.id, parked.id].sort());
  });
});
