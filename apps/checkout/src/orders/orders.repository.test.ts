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
    compensations: [],
    stepAttempts: 0,
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

  it('lets only the claim holder write, and round-trips the whole saga state it writes', () => {
    const orders = repository();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    expect(() => orders.save({ ...order, status: 'failed' }, 'not-mine', 0)).toThrow(ClaimLostError);
    const saved = orders.save({ ...order, nextStep: 'confirm-order', payment: { provider: 'provider-a', chargeId: 'ch_1' }, uncertainProvider: undefined }, 'mine', Date.now() + 1_000);
    expect(orders.findById(order.id)).toEqual({ ...saved, updatedAt: saved.updatedAt });
    const compensating = orders.save(
      { ...saved, status: 'failed', nextStep: 'cancel-shipment', compensations: ['refund-payment', 'release-stock', 'cancel-order'], stepAttempts: 3, shipmentUncertain: true, refundId: 'rf_1', shipment: { carrier: 'carrier', shipmentId: 'shp_1' } },
      'mine',
      Date.now() + 1_000,
    );
    expect(orders.findById(order.id)).toEqual(compensating);
  });

  it('migrates a version 1 database (three statuses, no saga columns) keeping its orders', () => {
    const db = openDatabase(':memory:');
    db.exec(`CREATE TABLE orders (id TEXT PRIMARY KEY, idempotency_key TEXT NOT NULL UNIQUE, request_hash TEXT NOT NULL, region TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed')), next_step TEXT, items TEXT NOT NULL, total_cents INTEGER NOT NULL,
      currency TEXT NOT NULL, customer_email TEXT NOT NULL, payment_provider TEXT, charge_id TEXT, uncertain_provider TEXT, failure_reason TEXT,
      failure TEXT, claim_token TEXT, claimed_until INTEGER NOT NULL DEFAULT 0, resume_at INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`);
    db.prepare(`INSERT INTO orders (id, idempotency_key, request_hash, region, status, items, total_cents, currency, customer_email, payment_provider, charge_id, created_at, updated_at)
      VALUES ('ord_test_00000000-0000-4000-8000-00000000aaaa', 'old-key', 'h', 'test', 'confirmed', '[]', 5, 'USD', 'a@example.com', 'provider-a', 'ch_old', 't', 't')`).run();
    migrateOrders(db);
    migrateOrders(db);
    const orders = new OrdersRepository({ db } as CheckoutDatabase);
    expect(orders.findByKey('old-key')).toMatchObject({ status: 'confirmed', payment: { provider: 'provider-a', chargeId: 'ch_old' }, compensations: [], stepAttempts: 0 });
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    expect(orders.save({ ...order, status: 'payment-pending' }, 'mine', 0).status).toBe('payment-pending');
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

  it('writes each fact of the saga once, as it happens: capture, shipment, confirmation and its notification', () => {
    const { db, orders } = withDatabase();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    const paid = orders.save({ ...order, payment: { provider: 'provider-b', chargeId: 'ch_9' }, nextStep: 'schedule-shipping' }, 'mine', Date.now() + 1_000);
    const shipped = orders.save({ ...paid, shipment: { carrier: 'carrier', shipmentId: 'shp_1' }, nextStep: 'confirm-order' }, 'mine', Date.now() + 1_000);
    const confirmed = orders.save({ ...shipped, status: 'confirmed', nextStep: null }, 'mine', Date.now() + 1_000);
    orders.save(confirmed, 'mine', 0);
    const written = outbox(db).slice(1);
    expect(written.map(({ topic, event }) => `${topic} ${event.type}`)).toEqual([
      'keel.payments payment.captured',
      'keel.shipping shipment.scheduled',
      'keel.orders order.confirmed',
      'keel.notifications notification.requested',
    ]);
    expect(written[0].event).toMatchObject({ key: order.id, data: { orderId: order.id, provider: 'provider-b', chargeId: 'ch_9', idempotencyKey: `charge-${order.id}`, amountCents: 100 } });
    expect(written[1].event).toMatchObject({ data: { orderId: order.id, shipmentId: 'shp_1', items: [{ productId: 'p-1', quantity: 1 }] } });
    expect(written[2].event).toMatchObject({ key: order.id, data: { orderId: order.id, totalCents: 100, payment: { provider: 'provider-b', chargeId: 'ch_9' } } });
    expect(written[3].event).toMatchObject({ data: { orderId: order.id, channel: 'email', to: 'a@example.com', template: 'order-confirmed' } });
  });

  it('writes order.cancelled and its notification when the last compensation has run, not when the failure is found', () => {
    const { db, orders } = withDatabase();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    const failing = orders.save({ ...order, status: 'failed', failureReason: 'payment-declined', nextStep: 'release-stock', compensations: ['cancel-order'] }, 'mine', Date.now() + 1_000);
    expect(outbox(db).map(({ event }) => event.type)).toEqual(['order.created']);
    const released = orders.save({ ...failing, nextStep: 'cancel-order', compensations: [] }, 'mine', Date.now() + 1_000);
    orders.save({ ...released, nextStep: null }, 'mine', 0);
    expect(outbox(db).map(({ event }) => event.type)).toEqual(['order.created', 'order.cancelled', 'notification.requested']);
    expect(outbox(db)[1].event).toMatchObject({ key: order.id, data: { orderId: order.id, reason: 'payment-declined' } });
    expect(outbox(db)[2].event).toMatchObject({ data: { template: 'order-cancelled' } });
  });

  it('sends a saga that needs a human to the orders dead-letter topic as well as the orders topic', () => {
    const { db, orders } = withDatabase();
    const { order } = orders.create(newOrder(Date.now() + 1_000), 'mine');
    const failing = orders.save(
      { ...order, status: 'failed', failureReason: 'shipping-refused', payment: { provider: 'provider-a', chargeId: 'ch_1' }, nextStep: 'refund-payment', compensations: ['release-stock', 'cancel-order'], stepAttempts: 7 },
      'mine',
      Date.now() + 1_000,
    );
    orders.save({ ...failing, status: 'needs-attention', attention: 'refund-payment: provider-a did not confirm', stepAttempts: 8 }, 'mine', 0);
    const stuck = outbox(db).filter(({ event }) => event.type === 'order.needs-attention');
    expect(stuck.map(({ topic }) => topic)).toEqual(['keel.orders', 'keel.orders.dlq']);
    expect(stuck[1].event).toMatchObject({ key: order.id, data: { orderId: order.id, step: 'refund-payment', attempts: 8, remaining: ['refund-payment', 'release-stock', 'cancel-order'] } });
    // Recovery leaves it alone however long it waits; a retry puts it back, compensating, from its step.
    expect(orders.claimDue('recovery', Date.now() + 3_600_000, Date.now() + 3_605_000, 10)).toEqual([]);
    expect(orders.retryStuck(order.id)).toBe(true);
    expect(orders.findById(order.id)).toMatchObject({ status: 'failed', failureReason: 'shipping-refused', nextStep: 'refund-payment', compensations: ['release-stock', 'cancel-order'], stepAttempts: 0 });
    expect(orders.findById(order.id)?.attention).toBeUndefined();
    expect(orders.retryStuck(order.id)).toBe(false);
    expect(orders.claimDue('recovery', Date.now(), Date.now() + 5_000, 10).map((o) => o.id)).toEqual([order.id]);
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
