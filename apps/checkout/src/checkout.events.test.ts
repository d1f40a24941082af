import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS, type KeelEvent } from '@keel/contracts';
import { createKafka, ensureTopics, EventProducer, newEvent, outboxBacklog } from '@keel/messaging';
import { freePort, startKafkaProcess, type KafkaProcess } from '@keel/testing';
import type { Consumer, Kafka } from 'kafkajs';
import { eventually, postOrder, startCheckoutStack, type CheckoutStack, type RunningCheckout } from './testing/checkout-stack';

// One real Kafka broker for the file, and a reader that collects everything checkout publishes.
let broker: KafkaProcess;
let stack: CheckoutStack;
let checkout: RunningCheckout | undefined;
let reader: Consumer;
let kafka: Kafka;
const published: { topic: string; key: string; event: KeelEvent }[] = [];

const cart = { items: [{ productId: 'p-001', quantity: 1 }], customer: { email: 'ada@example.com' } };
const eventsOf = (orderId: string) => published.filter((message) => message.key === orderId);
/** What checkout's outbox still holds unpublished, read beside the running service (WAL allows it). */
const backlog = () => {
  const db = new DatabaseSync(join(stack.dataDir, 'checkout.db'), { readOnly: true });
  try {
    return outboxBacklog(db);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  // One after the other: both are CPU-heavy to start, and the machine is small.
  broker = await startKafkaProcess();
  stack = await startCheckoutStack();
  kafka = createKafka({ clientId: 'checkout-events-test', brokers: broker.brokers, logLevel: 'nothing' });
  // Created here too so the reader can subscribe before checkout's publisher has got round to it.
  const topics = [TOPICS.orders.name, TOPICS.payments.name, TOPICS.shipping.name, TOPICS.notifications.name];
  await ensureTopics(kafka, topics);
  reader = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await reader.connect();
  await reader.subscribe({ topics, fromBeginning: true });
  await reader.run({ eachMessage: async ({ topic, message }) => void published.push({ topic, key: String(message.key), event: JSON.parse(String(message.value)) }) });
}, 150_000);

afterAll(async () => {
  await checkout?.stop();
  await reader?.disconnect();
  await Promise.all([stack?.stop(), broker?.stop()]);
}, 60_000);

describe('checkout events on a real broker', () => {
  it('publishes the saga as it happens, keyed by the order id: created, captured, shipment scheduled, confirmed, customer notified', async () => {
    checkout = await stack.startCheckout({ KEEL_KAFKA_BROKERS: broker.brokers.join(',') });
    const placed = await postOrder(checkout.url, cart, `test-${randomUUID()}`);
    expect(placed.status).toBe(201);
    const orderId = placed.body.id;

    const orders = await eventually(async () => {
      const seen = eventsOf(orderId).filter((m) => m.topic === TOPICS.orders.name);
      return seen.length >= 2 ? seen : undefined;
    }, 20_000);
    expect(orders.map((m) => m.event.type)).toEqual(['order.created', 'order.confirmed']);
    expect(orders[0].event).toMatchObject({ key: orderId, origin: 'us-east', data: { orderId, totalCents: placed.body.totalCents, customer: { email: 'ada@example.com' } } });
    expect(orders[1].event.data).toEqual({ orderId, totalCents: placed.body.totalCents, payment: placed.body.payment });
    const payments = await eventually(async () => eventsOf(orderId).find((m) => m.topic === TOPICS.payments.name));
    expect(payments.event).toMatchObject({ type: 'payment.captured', data: { orderId, provider: 'provider-a', chargeId: placed.body.payment?.chargeId, idempotencyKey: `charge-${orderId}` } });
    const shipping = await eventually(async () => eventsOf(orderId).find((m) => m.topic === TOPICS.shipping.name));
    expect(shipping.event).toMatchObject({ type: 'shipment.scheduled', data: { orderId, shipmentId: placed.body.shipment?.shipmentId, items: [{ productId: 'p-001', quantity: 1 }] } });
    const notice = await eventually(async () => eventsOf(orderId).find((m) => m.topic === TOPICS.notifications.name));
    expect(notice.event).toMatchObject({ type: 'notification.requested', data: { orderId, channel: 'email', to: 'ada@example.com', template: 'order-confirmed' } });
    expect(await eventually(async () => (backlog() === 0 ? true : undefined))).toBe(true);
  });

  it('publishes order.cancelled with the reason, and the cancellation notice, once a declined order is compensated', async () => {
    const running = checkout ?? (checkout = await stack.startCheckout({ KEEL_KAFKA_BROKERS: broker.brokers.join(',') }));
    await stack.setFaults(stack.providerA, { mode: 'decline' });
    try {
      const placed = await postOrder(running.url, cart, `test-${randomUUID()}`);
      // A declined order answers with its problem, which names the order.
      expect(placed.status).toBe(402);
      const orderId = String(placed.body.orderId);
      const seen = await eventually(async () => (eventsOf(orderId).length >= 3 ? eventsOf(orderId) : undefined), 20_000);
      expect(seen.map((m) => `${m.topic} ${m.event.type}`).sort()).toEqual(['keel.notifications notification.requested', 'keel.orders order.cancelled', 'keel.orders order.created']);
      expect(seen.find((m) => m.event.type === 'order.cancelled')?.event.data).toEqual({ orderId, reason: 'payment-declined' });
      expect(seen.find((m) => m.event.type === 'notification.requested')?.event.data).toMatchObject({ template: 'order-cancelled' });
    } finally {
      await stack.setFaults(stack.providerA, { mode: 'none' });
    }
  });

  it('stays ready with the broker unreachable: the order still confirms (notifying never fails it); the events wait in the outbox and go out once it is back', async () => {
    expect(await eventually(async () => (backlog() === 0 ? true : undefined))).toBe(true);
    await checkout?.stop();
    checkout = await stack.startCheckout({ KEEL_KAFKA_BROKERS: `127.0.0.1:${await freePort()}` });
    expect((await fetch(`${checkout.url}/health/ready`)).status).toBe(200);
    const placed = await postOrder(checkout.url, cart, `test-${randomUUID()}`);
    expect(placed.body.status).toBe('confirmed');
    expect(backlog()).toBe(5);
    const stopping = Date.now();
    await checkout.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);

    checkout = await stack.startCheckout({ KEEL_KAFKA_BROKERS: broker.brokers.join(',') });
    const seen = await eventually(async () => (eventsOf(placed.body.id).length >= 5 ? eventsOf(placed.body.id) : undefined), 20_000);
    expect(seen.map((m) => m.event.type).sort()).toEqual(['notification.requested', 'order.confirmed', 'order.created', 'payment.captured', 'shipment.scheduled']);
    expect(await eventually(async () => (backlog() === 0 ? true : undefined))).toBe(true);
  });

  it('answers an order the other region owns from its replicated events, marked as a replica, and ignores events it made itself', async () => {
    checkout ??= await stack.startCheckout({ KEEL_KAFKA_BROKERS: broker.brokers.join(',') });
    // What the replicator puts on this region's broker for an order eu-west took.
    const orderId = `ord_eu-west_${randomUUID()}`;
    const fields = { key: orderId, origin: 'eu-west' };
    const items = [{ productId: 'p-002', quantity: 1, unitPriceCents: 7900 }];
    const producer = new EventProducer(kafka);
    try {
      // Order and shipping events travel on different topics: here the shipment arrives first.
      await producer.sendEvents([{ topic: TOPICS.shipping.name, event: newEvent('shipment.scheduled', { ...fields, data: { orderId, carrier: 'carrier', shipmentId: 'shp_eu', items: [{ productId: 'p-002', quantity: 1 }] } }) }]);
      await producer.sendEvents([
        { topic: TOPICS.orders.name, event: newEvent('order.created', { ...fields, data: { orderId, region: 'eu-west', items, totalCents: 7900, currency: 'USD', customer: { email: 'eu@example.com' } } }) },
        { topic: TOPICS.orders.name, event: newEvent('order.confirmed', { ...fields, data: { orderId, totalCents: 7900, payment: { provider: 'provider-b', chargeId: 'ch_eu' } } }) },
      ]);
      const replica = await eventually(async () => {
        const response = await fetch(`${checkout?.url}/orders/${orderId}`);
        const body = (await response.json()) as { status?: string; shipment?: unknown };
        return response.status === 200 && body.status === 'confirmed' && body.shipment ? { response, body } : undefined;
      }, 40_000, 200);
      expect(replica.response.headers.get('x-order-source')).toBe('replica');
      expect(replica.body).toMatchObject({ id: orderId, region: 'eu-west', status: 'confirmed', totalCents: 7900, payment: { provider: 'provider-b', chargeId: 'ch_eu' }, shipment: { shipmentId: 'shp_eu' } });

      // An event from this region about an order it does not hold makes no replica.
      const ownId = `ord_us-east_${randomUUID()}`;
      await producer.sendEvents([{ topic: TOPICS.orders.name, event: newEvent('order.created', { key: ownId, origin: 'us-east', data: { orderId: ownId, region: 'us-east', items, totalCents: 7900, currency: 'USD', customer: { email: 'x@example.com' } } }) }]);
      const marker = `ord_eu-west_${randomUUID()}`;
      await producer.sendEvents([{ topic: TOPICS.orders.name, event: newEvent('order.created', { key: marker, origin: 'eu-west', data: { orderId: marker, region: 'eu-west', items, totalCents: 7900, currency: 'USD', customer: { email: 'x@example.com' } } }) }]);
      await eventually(async () => ((await fetch(`${checkout?.url}/orders/${marker}`)).status === 200 ? true : undefined), 20_000, 200);
      expect((await fetch(`${checkout?.url}/orders/${ownId}`)).status).toBe(404);
    } finally {
      await producer.disconnect();
    }
  }, 90_000);
});
