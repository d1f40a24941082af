import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { orderIn, useGatewayHarness } from '../testing/gateway-harness';

const h = useGatewayHarness();
const get = (path: string) => fetch(`${h.gateway.url}${path}`);

describe('GET /api/orders/:id', () => {
  it('reads an order of this region from the local checkout', async () => {
    const placed = await fetch(`${h.gateway.url}/api/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ items: [{ productId: 'p-001', quantity: 1 }], customer: { email: 'ada@example.com' } }),
    });
    const { id } = (await placed.json()) as { id: string };
    const peerCallsBefore = h.peerCheckout.calls().length;
    const response = await get(`/api/orders/${id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id, region: 'us-east' });
    expect(h.checkout.calls().at(-1)?.url).toBe(`/orders/${id}`);
    expect(h.peerCheckout.calls().length).toBe(peerCallsBefore);
  });

  it('reads an order homed in the peer region from the peer checkout', async () => {
    const order = orderIn('eu-west');
    h.peerOrders.set(order.id, order);
    const localCallsBefore = h.checkout.calls().length;
    const response = await get(`/api/orders/${order.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ id: order.id, region: 'eu-west' });
    expect(h.peerCheckout.calls().at(-1)?.url).toBe(`/orders/${order.id}`);
    expect(h.checkout.calls().length).toBe(localCallsBefore);
  });

  it('passes a missing order through as 404, from either region', async () => {
    for (const region of ['us-east', 'eu-west']) {
      const response = await get(`/api/orders/ord_${region}_${randomUUID()}`);
      expect(response.status, region).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('refuses what is not an order id without calling either checkout', async () => {
    const before = h.checkout.calls().length + h.peerCheckout.calls().length;
    for (const id of ['nope', 'ord_us-east_not-a-uuid', '..%2Fadmin']) {
      const response = await get(`/api/orders/${id}`);
      expect(response.status, id).toBe(400);
      expect(await response.json()).toMatchObject({ type: '/problems/invalid-order-id' });
    }
    expect(h.checkout.calls().length + h.peerCheckout.calls().length).toBe(before);
  });

  it('answers 404 for an order homed in a region this gateway does not know', async () => {
    const response = await get(`/api/orders/ord_ap-south_${randomUUID()}`);
    expect(response.status).toBe(404);
  });

  it('answers 503 when the peer region cannot be reached and this region holds no replica of the order', async () => {
    await h.peerCheckout.stop();
    try {
      const response = await get(`/api/orders/ord_eu-west_${randomUUID()}`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ dependency: 'peer-checkout' });
    } finally {
      await h.peerCheckout.restart();
    }
  });

  it('reads a peer order from the local replica when the peer region cannot be reached, and says so', async () => {
    const order = orderIn('eu-west');
    h.peerOrders.set(order.id, { ...order, status: 'confirmed' });
    h.localOrders.set(order.id, { ...order, status: 'pending' });
    const fresh = await get(`/api/orders/${order.id}`);
    expect([fresh.headers.get('x-order-source'), ((await fresh.json()) as { status: string }).status]).toEqual(['home', 'confirmed']);
    await h.peerCheckout.stop();
    try {
      const response = await get(`/api/orders/${order.id}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-order-source')).toBe('replica');
      expect(await response.json()).toMatchObject({ id: order.id, region: 'eu-west', status: 'pending' });
    } finally {
      await h.peerCheckout.restart();
    }
  });

  it('does not fall back to the replica when the owner answers 404', async () => {
    const order = orderIn('eu-west');
    h.localOrders.set(order.id, order);
    const response = await get(`/api/orders/${order.id}`);
    expect(response.status).toBe(404);
  });
});
