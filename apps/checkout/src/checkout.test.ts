import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '@keel/contracts';
import { eventually, postOrder, startCheckoutStack, type CheckoutStack, type RunningCheckout } from './testing/checkout-stack';

let stack: CheckoutStack;
let checkout: RunningCheckout;

const cart = (productId = 'p-001', quantity = 1, email = 'ada@example.com') => ({ items: [{ productId, quantity }], customer: { email } });
const newKey = () => `test-${randomUUID()}`;
const place = (body: unknown, key = newKey()) => postOrder(checkout.url, body, key);
const auditedOrders = async (status?: string) => ((await (await checkout.admin(`/admin/orders${status ? `?status=${status}` : ''}`)).json()) as { items: (Order & { idempotencyKey: string; nextStep: string | null })[] }).items;
const order = async (id: string) => (await (await fetch(`${checkout.url}/orders/${id}`)).json()) as Order;

beforeAll(async () => {
  stack = await startCheckoutStack();
});

// A fresh checkout per test: each has its own circuit breakers, so one test's failing provider
// does not leave the next test's circuit open (which would, correctly, skip that provider).
beforeEach(async () => {
  checkout = await stack.startCheckout();
});

afterAll(async () => {
  await stack?.stop();
});

afterEach(async () => {
  await checkout?.stop();
  await stack.setFaults(stack.providerA, { mode: 'none' });
  await stack.setFaults(stack.providerB, { mode: 'none' });
  await stack.setFaults(stack.carrier, { mode: 'none' });
});

describe('placing an order', () => {
  it('prices, reserves, charges provider-a once, schedules one shipment and confirms (201), then signals recommendations', async () => {
    const stockBefore = await stack.stock('p-002');
    const answer = await place({ items: [{ productId: 'p-002', quantity: 2 }, { productId: 'p-001', quantity: 1 }], customer: { email: 'ada@example.com' } });
    expect(answer.status).toBe(201);
    const placed = answer.body;
    expect(placed).toMatchObject({ status: 'confirmed', region: 'us-east', totalCents: 2 * 7900 + 18900, currency: 'USD', customer: { email: 'ada@example.com' } });
    expect(placed.id).toMatch(/^ord_us-east_[0-9a-f-]{36}$/);
    expect(placed.items).toEqual([
      { productId: 'p-002', quantity: 2, unitPriceCents: 7900 },
      { productId: 'p-001', quantity: 1, unitPriceCents: 18900 },
    ]);
    expect(placed.payment?.provider).toBe('provider-a');
    const charges = await stack.chargesAt(stack.providerA, placed.id);
    expect(charges).toHaveLength(1);
    expect(charges[0]).toMatchObject({ id: placed.payment?.chargeId, amountCents: placed.totalCents, idempotencyKey: `charge-${placed.id}`, status: 'captured' });
    expect(await stack.chargesAt(stack.providerB, placed.id)).toHaveLength(0);
    expect(await stack.stock('p-002')).toBe(stockBefore - 2);
    expect(await stack.reservation(placed.id)).toMatchObject({ status: 'reserved' });
    const shipments = await stack.shipmentsFor(placed.id);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({ status: 'scheduled', idempotencyKey: `ship-${placed.id}`, items: [{ productId: 'p-002', quantity: 2 }, { productId: 'p-001', quantity: 1 }] });
    expect(placed.shipment).toEqual({ carrier: 'carrier', shipmentId: shipments[0].id });
    expect(await order(placed.id)).toEqual(placed);
    const signal = await eventually(async () => stack.recommendations.signals.find((s) => s.orderId === placed.id), 5_000);
    expect(signal.items).toEqual([
      { productId: 'p-002', quantity: 2 },
      { productId: 'p-001', quantity: 1 },
    ]);
  });

  it('answers the same key twice with the same order and exactly one charge', async () => {
    const key = newKey();
    const stockBefore = await stack.stock('p-001');
    const first = await place(cart('p-001', 3), key);
    expect(first.status).toBe(201);
    const second = await place(cart('p-001', 3), key);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    expect(await stack.chargesAt(stack.providerA, first.body.id)).toHaveLength(1);
    expect(await stack.stock('p-001')).toBe(stockBefore - 3);
    expect((await auditedOrders()).filter((o) => o.idempotencyKey === key)).toHaveLength(1);
  });

  it('refuses the same key with a different cart (422), changing nothing', async () => {
    const key = newKey();
    const first = await place(cart('p-001', 1), key);
    expect(first.status).toBe(201);
    const stockBefore = await stack.stock('p-001');
    const reused = await place(cart('p-001', 2), key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(reused.body.type).toBe('/problems/idempotency-key-reused');
    expect(await stack.stock('p-001')).toBe(stockBefore);
    expect(await stack.chargesAt(stack.providerA, first.body.id)).toHaveLength(1);
  });

  it('needs an Idempotency-Key (400) and a valid cart (400), writing nothing without them', async () => {
    const ordersBefore = (await auditedOrders()).length;
    const stockBefore = await stack.stock('p-001');
    const keyless = await postOrder(checkout.url, cart());
    expect(keyless.status).toBe(400);
    expect(keyless.body.type).toBe('/problems/idempotency-key-required');
    expect((await place(cart(), 'k'.repeat(201))).status).toBe(400);
    for (const bad of [{ items: [], customer: { email: 'a@example.com' } }, cart('p-001', 101), cart('p-001', 0), cart('p-001', 1, 'not-an-email'), { items: cart().items }]) {
      const answer = await place(bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.body.type).toBe('/problems/validation');
    }
    expect((await auditedOrders()).length).toBe(ordersBefore);
    expect(await stack.stock('p-001')).toBe(stockBefore);
  });

  it('answers an unknown product with 404 and writes nothing', async () => {
    const ordersBefore = (await auditedOrders()).length;
    const answer = await place({ items: [{ productId: 'p-001', quantity: 1 }, { productId: 'no-such-product', quantity: 1 }], customer: { email: 'a@example.com' } });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ type: '/problems/product-not-found', productIds: ['no-such-product'] });
    expect((await auditedOrders()).length).toBe(ordersBefore);
  });

  it('fails an order on insufficient stock with 409, forwarding the shortages, and charges nothing', async () => {
    const available = await stack.stock('p-032');
    const answer = await place(cart('p-032', available + 1));
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ type: '/problems/insufficient-stock', shortages: [{ productId: 'p-032', requested: available + 1, available }] });
    expect(answer.body.instance).toBe('/orders');
    const orderId = answer.body.orderId as string;
    expect(await order(orderId)).toMatchObject({ status: 'failed', failureReason: 'insufficient-stock' });
    expect(await stack.chargesAt(stack.providerA, orderId)).toHaveLength(0);
    expect(await stack.chargesAt(stack.providerB, orderId)).toHaveLength(0);
    expect(await stack.stock('p-032')).toBe(available);
  });
});

describe('paying', () => {
  for (const mode of ['fail', 'refuse'] as const) {
    it(`fails over to provider-b when provider-a answers ${mode === 'fail' ? 503 : 429}`, async () => {
      await stack.setFaults(stack.providerA, { mode });
      const answer = await place(cart());
      expect(answer.status).toBe(201);
      expect(answer.body.payment?.provider).toBe('provider-b');
      expect(await stack.chargesAt(stack.providerA, answer.body.id)).toHaveLength(0);
      const charges = await stack.chargesAt(stack.providerB, answer.body.id);
      expect(charges.map((c) => c.id)).toEqual([answer.body.payment?.chargeId]);
    });
  }

  it('fails over to provider-b when provider-a is unreachable', async () => {
    const unreachable = await stack.startCheckout({ KEEL_PROVIDER_A_URL: 'http://127.0.0.1:1' });
    try {
      const answer = await postOrder(unreachable.url, cart(), newKey());
      expect(answer.status).toBe(201);
      expect(answer.body.payment?.provider).toBe('provider-b');
    } finally {
      await unreachable.stop();
    }
  });

  it('answers a decline with 402, releases the reservation and fails the order', async () => {
    await stack.setFaults(stack.providerA, { mode: 'decline' });
    const stockBefore = await stack.stock('p-001');
    const answer = await place(cart('p-001', 2));
    expect(answer.status).toBe(402);
    expect(answer.body.type).toBe('/problems/payment-declined');
    const orderId = answer.body.orderId as string;
    expect(await stack.reservation(orderId)).toMatchObject({ status: 'released' });
    expect(await stack.stock('p-001')).toBe(stockBefore);
    expect(await order(orderId)).toMatchObject({ status: 'failed', failureReason: 'payment-declined' });
    expect(await stack.chargesAt(stack.providerB, orderId)).toHaveLength(0);
  });

  it('accepts the order as payment-pending (202) when neither provider can take the charge, and charges it from the queue once one recovers', async () => {
    await stack.setFaults(stack.providerA, { mode: 'fail' });
    await stack.setFaults(stack.providerB, { mode: 'refuse' });
    const stockBefore = await stack.stock('p-001');
    const key = newKey();
    const answer = await place(cart(), key);
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('payment-pending');
    const orderId = answer.body.id;
    // The stock stays held for it, nothing is captured or shipped, and a retry answers the same.
    expect(await stack.stock('p-001')).toBe(stockBefore - 1);
    expect(await stack.shipmentsFor(orderId)).toHaveLength(0);
    const again = await place(cart(), key);
    expect([again.status, again.body.id, again.body.status]).toEqual([202, orderId, 'payment-pending']);
    expect((await auditedOrders('payment-pending')).map((o) => o.id)).toContain(orderId);

    await stack.setFaults(stack.providerB, { mode: 'none' });
    const confirmed = await eventually(async () => {
      const current = await order(orderId);
      return current.status === 'confirmed' ? current : undefined;
    }, 15_000, 100);
    expect(confirmed.payment?.provider).toBe('provider-b');
    expect((await stack.chargesAt(stack.providerB, orderId)).map((c) => c.id)).toEqual([confirmed.payment?.chargeId]);
    expect(await stack.chargesAt(stack.providerA, orderId)).toHaveLength(0);
    expect(await stack.shipmentsFor(orderId)).toHaveLength(1);
    expect(await stack.stock('p-001')).toBe(stockBefore - 1);
  });

  it('answers a duplicate that arrives mid-flight with 409 request-in-progress, then the order', async () => {
    await stack.setFaults(stack.providerA, { mode: 'slow', delayMs: 400 });
    const key = newKey();
    const first = place(cart(), key);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const duplicate = await place(cart(), key);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.type).toBe('/problems/request-in-progress');
    expect(duplicate.headers.get('retry-after')).toBe('1');
    const placed = await first;
    expect(placed.status).toBe(201);
    const again = await place(cart(), key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(placed.body.id);
    expect(await stack.chargesAt(stack.providerA, placed.body.id)).toHaveLength(1);
  });

  it('keeps an order pending (202) when provider-a times out, never tries provider-b, and recovery confirms it with one charge', async () => {
    // Slower than checkout's 1 s payment timeout: provider-a captures after checkout gave up on it.
    await stack.setFaults(stack.providerA, { mode: 'slow', delayMs: 1_500 });
    const key = newKey();
    const answer = await place(cart(), key);
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('pending');
    const orderId = answer.body.id;
    expect(await stack.chargesAt(stack.providerB, orderId)).toHaveLength(0);
    // Parked, not in flight: a retry is told it is still pending rather than to come back.
    const parked = await place(cart(), key);
    expect(parked.status).toBe(202);
    expect(parked.body.id).toBe(orderId);
    await stack.setFaults(stack.providerA, { mode: 'none' });
    const confirmed = await eventually(async () => {
      const current = await order(orderId);
      return current.status === 'confirmed' ? current : undefined;
    });
    expect(confirmed.payment?.provider).toBe('provider-a');
    const charges = await stack.chargesAt(stack.providerA, orderId);
    expect(charges.map((c) => c.id)).toEqual([confirmed.payment?.chargeId]);
    expect(await stack.chargesAt(stack.providerB, orderId)).toHaveLength(0);
    const replay = await place(cart(), key);
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe('confirmed');
  });
});

describe('reading orders', () => {
  it('answers 400 for something that is not an order id and 404 for an unknown one', async () => {
    const invalid = await fetch(`${checkout.url}/orders/not-an-order`);
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { type: string }).type).toBe('/problems/invalid-order-id');
    const unknown = await fetch(`${checkout.url}/orders/ord_us-east_${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { type: string }).type).toBe('/problems/order-not-found');
  });

  it('lists orders by status on the admin port only, behind the token', async () => {
    const placed = await place(cart());
    const confirmed = await auditedOrders('confirmed');
    expect(confirmed.find((o) => o.id === placed.body.id)).toMatchObject({ status: 'confirmed', nextStep: null });
    expect(confirmed.every((o) => o.status === 'confirmed')).toBe(true);
    expect((await checkout.admin('/admin/orders?status=lost')).status).toBe(400);
    const adminUrl = new URL((await checkout.admin('/admin/info')).url).origin;
    expect((await fetch(`${adminUrl}/admin/orders`)).status).toBe(401);
    expect((await fetch(`${checkout.url}/admin/orders`)).status).toBe(404);
  });
});
