import { type FixtureRequest, type FixtureServer, sendJson, startFixtureServer } from '@keel/testing';

export type ShopMode = 'healthy' | 'failing';

/** The route a request was for, the way the load tool names them; undefined for anything else. */
export function routeOf(request: Pick<FixtureRequest, 'method' | 'url'>): string | undefined {
  const path = request.url.split('?')[0];
  if (request.method === 'GET' && path === '/api/products') return 'browse';
  if (request.method === 'GET' && /^\/api\/products\/[^/]+\/recommendations$/.test(path)) return 'recommendations';
  if (request.method === 'GET' && /^\/api\/products\/[^/]+$/.test(path)) return 'product';
  if (request.method === 'POST' && path === '/api/checkout') return 'checkout';
  return undefined;
}

/**
 * A stand-in for keel's public API, for the load tool's tests: the four routes, answering at
 * once. Healthy: every third product page is degraded (`x-degraded: recommendations`), every
 * fourth checkout is out of stock (409), every fifth accepted for later (202), the rest
 * confirmed (201); a checkout without an Idempotency-Key is a 400. Failing: 500 for everything.
 */
export async function startShopFixture(): Promise<FixtureServer & { mode: ShopMode }> {
  let productPages = 0;
  let checkouts = 0;
  const shop = Object.assign(
    await startFixtureServer((request, res) => {
      const route = routeOf(request);
      if (shop.mode === 'failing') return sendJson(res, 500, { type: 'about:blank', title: 'Internal error', status: 500 });
      switch (route) {
        case 'browse':
          return sendJson(res, 200, { items: [], total: 54 });
        case 'product': {
          const degraded = ++productPages % 3 === 0;
          return sendJson(res, 200, { product: { id: 'p-001' }, recommendations: [], degraded: degraded ? ['recommendations'] : [] }, degraded ? { 'x-degraded': 'recommendations' } : {});
        }
        case 'recommendations':
          return sendJson(res, 200, { productId: 'p-001', items: [], degraded: [] });
        case 'checkout': {
          if (!request.headers['idempotency-key']) return sendJson(res, 400, { title: 'Idempotency-Key required', status: 400 });
          const n = ++checkouts;
          if (n % 4 === 0) return sendJson(res, 409, { title: 'Out of stock', status: 409 });
          return sendJson(res, n % 5 === 0 ? 202 : 201, { orderId: `ord_us-east_${n}`, status: n % 5 === 0 ? 'pending' : 'confirmed' });
        }
        default:
          return sendJson(res, 404, { title: 'Not found', status: 404 });
      }
    }),
    { mode: 'healthy' as ShopMode },
  );
  return shop;
}
