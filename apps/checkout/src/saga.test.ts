import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Order } from '@keel/contracts';
import type { AuditedOrder } from './orders/orders-admin';
import { eventually, postOrder, startCheckoutStack, type CheckoutStack, type RunningCheckout } from './testing/checkout-stack';

/*
 * One test per way a saga step can fail, each checking the exact compensations that ran: what
 * was refunded (and where), what stock came back, which shipments were cancelled, and that the
 * order ended failed with nothing left to do, or needs-attention when a compensation gave up.
 */

let stack: CheckoutStack;
let checkout: RunningCheckout;

const cart = (productId = 'p-003', quantity = 1) => ({ items: [{ productId, quantity }], customer: { email: 'saga@example.com' } });
const place = (body = cart()) => postOrder(checkout.url, body, `saga-${randomUUID()}`);
const audited = async (id: string) => ((await (await checkout.admin('/admin/orders')).json()) as { items: AuditedOrder[] }).items.find((o) => o.id === id);
const settled = (id: string, status: Order['status'], timeoutMs = 15_000) =>
  eventually(async () => {
    const order = await audited(id);
    return order?.status === status && order.nextStep === null ? order : undefined;
  }, timeoutMs, 100);

beforeAll(async () => {
  stack = await startCheckoutStack();
});

// Three tries per step, so giving up shows within a test (the default is eight).
beforeEach(async () => {
  checkout = await stack.startCheckout({ KEEL_CHECKOUT_STEP_ATTEMPTS: '3' });
});

afterEach(async () => {
  await checkout?.stop();
  await Promise.all([stack.providerA, stack.providerB, stack.carrier].map((p) => stack.setFaults(p, { mode: 'none' })));
});

afterAll(async () => {
  await stack?.stop();
});

describe('the checkout saga compensates exactly what took effect', () => {
  it('reserve fails (insufficient stock): nothing to undo but the order; no charge, no shipment', async () => {
    const answer = await place(cart('p-004', (await stack.stock('p-004')) + 1));
    expect(answer.status).toBe(409);
    const orderId = answer.body.orderId as string;
    expect(await settled(orderId, 'failed')).toMatchObject({ failureReason: 'insufficient-stock', compensations: [] });
    expect(await stack.reservation(orderId)).toBeUndefined();
    expect([...(await stack.chargesAt(stack.providerA, orderId)), ...(await stack.chargesAt(stack.providerB, orderId))]).toHaveLength(0);
    expect(await stack.shipmentsFor(orderId)).toHaveLength(0);
  });

  it('charge fails (declined): the stock is released, nothing is refunded or shipped', async () => {
    await stack.setFaults(stack.providerA, { mode: 'decline' });
    const stockBefore = await stack.stock('p-003');
    const answer = await place();
    expect(answer.status).toBe(402);
    const orderId = answer.body.orderId as string;
    expect(await settled(orderId, 'failed')).toMatchObject({ failureReason: 'payment-declined' });
    expect(await stack.reservation(orderId)).toMatchObject({ status: 'released' });
    expect(await stack.stock('p-003')).toBe(stockBefore);
    expect(await stack.chargesAt(stack.providerB, orderId)).toHaveLength(0);
    expect(await stack.shipmentsFor(orderId)).toHaveLength(0);
  });

  it('shipping fails (the carrier refuses): refunded at the capturing provider, stock released, no shipment', async () => {
    // provider-a is down, so provider-b captures: the refund must go to provider-b, not provider-a.
    await stack.setFaults(stack.providerA, { mode: 'fail' });
    await stack.setFaults(stack.carrier, { mode: 'decline' });
    const stockBefore = await stack.stock('p-003');
    const answer = await place();
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe('/problems/shipping-refused');
    const orderId = answer.body.orderId as string;
    const failed = await settled(orderId, 'failed');
    expect(failed).toMatchObject({ failureReason: 'shipping-refused', payment: { provider: 'provider-b' }, refundId: expect.any(String) });
    const [charge] = await stack.chargesAt(stack.providerB, orderId);
    expect(charge).toMatchObject({ status: 'refunded', refundedCents: charge.amountCents });
    expect(await stack.chargesAt(stack.providerA, orderId)).toHaveLength(0);
    expect(await stack.reservation(orderId)).toMatchObject({ status: 'released' });
    expect(await stack.stock('p-003')).toBe(stockBefore);
    expect(await stack.shipmentsFor(orderId)).toHaveLength(0);
  });

  it('shipping stays unavailable (carrier 503): retried with backoff, then given up; refunded and released, nothing to cancel', async () => {
    await stack.setFaults(stack.carrier, { mode: 'fail' });
    const stockBefore = await stack.stock('p-003');
    const answer = await place();
    expect(answer.status).toBe(202);
    const orderId = answer.body.id;
    const failed = await settled(orderId, 'failed');
    expect(failed).toMatchObject({ failureReason: 'shipping-unavailable', payment: { provider: 'provider-a' }, refundId: expect.any(String) });
    expect(await stack.chargesAt(stack.providerA, orderId)).toMatchObject([{ status: 'refunded' }]);
    expect(await stack.stock('p-003')).toBe(stockBefore);
    expect(await stack.shipmentsFor(orderId)).toHaveLength(0);
  });

  it('a shipment whose request timed out but landed later is found by the order and cancelled when the saga fails', async () => {
    await checkout.stop();
    checkout = await stack.startCheckout({ KEEL_CHECKOUT_STEP_ATTEMPTS: '8' });
    // Slower than checkout's 1 s carrier timeout: the carrier makes the shipment after checkout gave up on the answer.
    await stack.setFaults(stack.carrier, { mode: 'slow', delayMs: 1_300 });
    const answer = await place();
    expect(answer.status).toBe(202);
    const orderId = answer.body.id;
    await stack.setFaults(stack.carrier, { mode: 'fail' });
    await eventually(async () => ((await stack.shipmentsFor(orderId)).length === 1 ? true : undefined), 5_000, 50);
    // Now the carrier refuses the order outright: the saga fails and must cancel the shipment it never heard about.
    await stack.setFaults(stack.carrier, { mode: 'decline' });
    const failed = await settled(orderId, 'failed');
    expect(failed).toMatchObject({ failureReason: 'shipping-refused', refundId: expect.any(String) });
    expect((await stack.shipmentsFor(orderId)).map((s) => s.status)).toEqual(['cancelled']);
    expect(await stack.chargesAt(stack.providerA, orderId)).toMatchObject([{ status: 'refunded' }]);
  });

  it('a compensation that keeps failing stops the saga: needs-attention, with the rest of the plan kept for a human', async () => {
    // The carrier is down, so shipping is retried; meanwhile provider-a starts failing too, so the refund cannot be made.
    await stack.setFaults(stack.carrier, { mode: 'fail' });
    const stockBefore = await stack.stock('p-003');
    const answer = await place();
    expect(answer.status).toBe(202);
    const orderId = answer.body.id;
    await stack.setFaults(stack.providerA, { mode: 'fail' });
    const stuck = await eventually(async () => {
      const order = await audited(orderId);
      return order?.status === 'needs-attention' ? order : undefined;
    }, 20_000, 100);
    expect(stuck.attention).toMatch(/^refund-payment: /);
    expect(stuck.failureReason).toBe('shipping-unavailable');
    // It keeps its place: the step that gave up, and the plan after it.
    expect(stuck).toMatchObject({ nextStep: 'refund-payment', compensations: ['release-stock', 'cancel-order'] });
    expect(await stack.chargesAt(stack.providerA, orderId)).toMatchObject([{ status: 'captured' }]);
    expect(await stack.stock('p-003')).toBe(stockBefore - 1);
    expect(await stack.shipmentsFor(orderId)).toHaveLength(0);
    // Recovery leaves it alone, and its public view says so.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await stack.chargesAt(stack.providerA, orderId)).toMatchObject([{ status: 'captured' }]);
    const order = (await (await fetch(`${checkout.url}/orders/${orderId}`)).json()) as Order;
    expect(order.status).toBe('needs-attention');

    // A human fixes provider-a and retries the saga from where it stopped: it finishes the plan.
    await stack.setFaults(stack.providerA, { mode: 'none' });
    const retried = await checkout.admin(`/admin/orders/${orderId}/retry`, { method: 'POST' });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'failed', nextStep: 'refund-payment', stepAttempts: 0 });
    expect(await settled(orderId, 'failed')).toMatchObject({ failureReason: 'shipping-unavailable', refundId: expect.any(String) });
    expect(await stack.chargesAt(stack.providerA, orderId)).toMatchObject([{ status: 'refunded' }]);
    expect(await stack.stock('p-003')).toBe(stockBefore);
    // Only a stopped saga can be retried.
    expect((await checkout.admin(`/admin/orders/${orderId}/retry`, { method: 'POST' })).status).toBe(409);
  });
});
