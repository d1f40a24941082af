import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useGatewayHarness } from '../testing/gateway-harness';

const h = useGatewayHarness();
const validBody = { items: [{ productId: 'p-001', quantity: 2 }], customer: { email: 'ada@example.com' } };

/** `key: null` sends no Idempotency-Key at all. */
function checkout(body: unknown, key: string | null = randomUUID()) {
  return fetch(`${h.gateway.url}/api/checkout`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
}

describe('POST /api/checkout', () => {
  it('forwards the order with the same key and relays 201 for a new order, 200 for a replay', async () => {
    const key = randomUUID();
    const first = await checkout(validBody, key);
    expect(first.status).toBe(201);
    const order = (await first.json()) as { id: string };
    expect(order.id).toMatch(/^ord_us-east_/);
    const sent = h.checkout.calls().at(-1);
    expect(sent?.headers['idempotency-key']).toBe(key);
    expect(JSON.parse(sent?.body ?? '')).toEqual(validBody);
    const replay = await checkout(validBody, key);
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { id: string }).id).toBe(order.id);
  });

  it('relays a pending order as 202', async () => {
    const answers = h.checkout.handler;
    h.checkout.handler = (request) => ({ ...answers(request), status: 202 });
    try {
      expect((await checkout(validBody)).status).toBe(202);
    } finally {
      h.checkout.handler = answers;
    }
  });

  it('refuses a checkout without an Idempotency-Key before calling checkout', async () => {
    const before = h.checkout.calls().length;
    const response = await checkout(validBody, null);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: '/problems/idempotency-key-required' });
    const tooLong = await checkout(validBody, 'k'.repeat(201));
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toMatchObject({ type: '/problems/idempotency-key-invalid' });
    expect(h.checkout.calls().length).toBe(before);
  });

  it('refuses every kind of bad body before calling checkout', async () => {
    const before = h.checkout.calls().length;
    const item = { productId: 'p-001', quantity: 1 };
    const bad: Record<string, unknown> = {
      'no items': { items: [], customer: { email: 'ada@example.com' } },
      'too many items': { items: Array.from({ length: 51 }, () => item), customer: { email: 'ada@example.com' } },
      'quantity 0': { items: [{ productId: 'p-001', quantity: 0 }], customer: { email: 'ada@example.com' } },
      'quantity 101': { items: [{ productId: 'p-001', quantity: 101 }], customer: { email: 'ada@example.com' } },
      'fractional quantity': { items: [{ productId: 'p-001', quantity: 1.5 }], customer: { email: 'ada@example.com' } },
      'numeric product id': { items: [{ productId: 1, quantity: 1 }], customer: { email: 'ada@example.com' } },
      'bad email': { items: [item], customer: { email: 'not-an-email' } },
      'no customer': { items: [item] },
      'unknown top-level field': { ...validBody, discount: 100 },
      'unknown item field': { items: [{ ...item, priceCents: 1 }], customer: { email: 'ada@example.com' } },
      'unknown customer field': { items: [item], customer: { email: 'ada@example.com', admin: true } },
    };
    for (const [name, body] of Object.entries(bad)) {
      const response = await checkout(body);
      expect(response.status, name).toBe(400);
      expect(response.headers.get('content-type'), name).toContain('application/problem+json');
    }
    expect(h.checkout.calls().length).toBe(before);
  });

  it('passes checkout problems through with their status', async () => {
    const answers = h.checkout.handler;
    try {
      for (const status of [402, 409, 422]) {
        h.checkout.handler = () => ({ status, body: { type: '/problems/payment-declined', title: 'Declined', status, detail: 'card declined' } });
        const response = await checkout(validBody);
        expect(response.status).toBe(status);
        expect(await response.json()).toMatchObject({ status, type: '/problems/payment-declined', detail: 'card declined' });
      }
      h.checkout.handler = () => ({ status: 503, headers: { 'retry-after': '2' }, body: { type: '/problems/unavailable', title: 'Unavailable', status: 503 } });
      const unavailable = await checkout(validBody);
      expect(unavailable.status).toBe(503);
      expect(unavailable.headers.get('retry-after')).toBe('2');
      expect(unavailable.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      h.checkout.handler = answers;
    }
  });

  it('answers 503 when checkout cannot be reached', async () => {
    await h.checkout.stop();
    try {
      const response = await checkout(validBody);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ type: '/problems/dependency-unavailable', dependency: 'checkout' });
    } finally {
      await h.checkout.restart();
    }
  });
});
