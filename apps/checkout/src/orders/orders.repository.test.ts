import type { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { KeelEvent } from '@keel/contracts';
import { unsentEvents } from '@keel/messaging';
import { openDatabase } from '@keel/service-kit';
import type { CheckoutDatabase } from '../database/checkout-database';
import { migrateOrders } from '../database/orders-schema';
import type { OrderRecord } from './order-record';
import { ClaimLostError, OrdersRepository } from './orders.repository';

function repository(): OrdersRepository {
  return withDatabase().orders;
}

function withDatabase(): { db: DatabaseSync; orders: OrdersRepository } {
  const db = openDatabase(':memory:');
  migrateOrders(db);
  return { db, orders: new OrdersRepository({ db } as CheckoutDatabase) };
}

const outbox = (db: DatabaseSync) => unsentEvents(db, 100).map((row) => ({ topic: row.topic, event: row.event as KeelEvent }));

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
    orders.save({ ...finished, status: 'confirmed', nextStep: null, payment: { provider: 'provider-a', chargeId: 'ch_done' } }, 'done', 0);

    const taken = orders.claimDue('recovery', now, now + 5_000, 10);
    expect(taken.map((o) => o.id)).toEqual([abandoned.id]);
    expect(orders.claimDue('another', now, now + 5_000, 10)).toEqual([]);
    expect(() => orders.save(owned, 'recovery', 0)).toThrow(ClaimLostError);
    // Once every claim and wait has run out, all three are due again (the recovery worker may have died too).
    expect(orders.claimDue('later', now + 60_001, now + 65_000, 10).map((o) => o.id).sort()).toEqual([owned.id, abandoned.id, parked.id].sort());
  });
});

describe('order events in the outbox', () => {
  it('writes order.created with the new order, and nothing for a duplicate key', () => {
    const { db, orders } = withDatabase();
    const order = newOrder(Date.now() + 1_000);
    orders.create(order, 'claim');
    orders.create({ ...newOrder(Date.now() + 1_000), idempotencyKey: order.idempotencyKey }, 'other');
    const written = outbox(db);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({
      topic: 'keel.orders',
      event: { type: 'order.created', key: order.id, origin: 'test', data: { orderId: order.id, region: 'test', totalCents: 100, customer: { email: 'a@example.com' } } },
    });
  });

  it('writes order.confirmed and payment.captured once, when the status changes to confirmed', () => {
    const { db, orders } = withDatabase();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    const paid = orders.save({ ...order, payment: { provider: 'provider-b', chargeId: 'ch_9' }, nextStep: 'confirm-order' }, 'mine', Date.now() + 1_000);
    expect(outbox(db)).toHaveLength(1);
    const confirmed = orders.save({ ...paid, status: 'confirmed', nextStep: null }, 'mine', Date.now() + 1_000);
    orders.save(confirmed, 'mine', 0);
    const written = outbox(db).slice(1);
    expect(written.map(({ topic, event }) => `${topic} ${event.type}`)).toEqual(['keel.payments payment.captured', 'keel.orders order.confirmed']);
    expect(written[0].event).toMatchObject({ key: order.id, data: { orderId: order.id, provider: 'provider-b', chargeId: 'ch_9', idempotencyKey: `charge-${order.id}`, amountCents: 100 } });
    expect(written[1].event).toMatchObject({ key: order.id, data: { orderId: order.id, totalCents: 100, payment: { provider: 'provider-b', chargeId: 'ch_9' } } });
  });

  it('writes order.cancelled with the reason when a step fails the order', () => {
    const { db, orders } = withDatabase();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    orders.save({ ...order, status: 'failed', failureReason: 'payment-declined', nextStep: 'release-stock' }, 'mine', Date.now() + 1_000);
    orders.save({ ...order, status: 'failed', failureReason: 'payment-declined', nextStep: null }, 'mine', 0);
    expect(outbox(db).map(({ event }) => event.type)).toEqual(['order.created', 'order.cancelled']);
    expect(outbox(db)[1].event).toMatchObject({ key: order.id, data: { orderId: order.id, reason: 'payment-declined' } });
  });

  it('writes neither the change nor its event when the write is rolled back (a lost claim)', () => {
    const { db, orders } = withDatabase();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    expect(() => orders.save({ ...order, status: 'failed', failureReason: 'payment-declined', nextStep: null }, 'not-mine', 0)).toThrow(ClaimLostError);
    expect(orders.findById(order.id)?.status).toBe('pending');
    expect(outbox(db).map(({ event }) => event.type)).toEqual(['order.created']);
    expect(db.isTransaction).toBe(false);
  });
});
