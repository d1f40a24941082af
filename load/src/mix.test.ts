import { describe, expect, it } from 'vitest';
import { connectionsFor, splitRate, weightedPicker } from './mix';
import { routeByName, ROUTES } from './routes';

const rates = (total: number) => Object.fromEntries(splitRate(total, ROUTES).map((p) => [p.route.name, p.rate]));

describe('the shopper mix', () => {
  it('weighs browse 10, product page 5, recommendations 3, checkout 1', () => {
    expect(Object.fromEntries(ROUTES.map((r) => [r.name, r.weight]))).toEqual({ browse: 10, product: 5, recommendations: 3, checkout: 1 });
  });

  it('splits a total rate by weight into whole requests per second', () => {
    expect(rates(190)).toEqual({ browse: 100, product: 50, recommendations: 30, checkout: 10 });
    expect(rates(50)).toEqual({ browse: 26, product: 13, recommendations: 8, checkout: 3 });
  });

  it('gives every route at least 1 req/s, so each has latencies to judge', () => {
    expect(rates(5)).toEqual({ browse: 3, product: 1, recommendations: 1, checkout: 1 });
    expect(() => splitRate(0, ROUTES)).toThrow(RangeError);
  });

  it('picks routes at random in proportion to their weights', () => {
    let i = 0;
    const steps = 1900;
    const pick = weightedPicker(ROUTES, () => (i++ % steps) / steps);
    const counts: Record<string, number> = {};
    for (let n = 0; n < steps; n++) {
      const name = pick().name;
      counts[name] = (counts[name] ?? 0) + 1;
    }
    expect(counts).toEqual({ browse: 1000, product: 500, recommendations: 300, checkout: 100 });
  });

  it('opens one connection per 4 req/s, at least one, at most 64', () => {
    expect([1, 4, 5, 26, 1000].map((r) => connectionsFor(r))).toEqual([1, 1, 2, 7, 64]);
  });
});

describe('requests', () => {
  it('gives every checkout a fresh Idempotency-Key and a well-stocked product, quantity 1', () => {
    const checkout = routeByName('checkout');
    const [a, b] = [checkout.next(), checkout.next()];
    expect(a).toMatchObject({ method: 'POST', path: '/api/checkout' });
    expect(a.headers?.['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.headers?.['idempotency-key']).not.toBe(b.headers?.['idempotency-key']);
    expect(JSON.parse(a.body ?? '')).toMatchObject({ items: [{ productId: expect.stringMatching(/^p-0\d\d$/), quantity: 1 }], customer: { email: 'load@example.com' } });
  });

  it('browses pages of 20 at offsets 0..40, sometimes by category', () => {
    const browse = routeByName('browse');
    expect(browse.next(() => 0).path).toBe('/api/products?limit=20&offset=0&category=audio');
    expect(browse.next(() => 0.99).path).toBe('/api/products?limit=20&offset=40');
  });
});
