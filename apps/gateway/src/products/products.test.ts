import { describe, expect, it } from 'vitest';
import { useGatewayHarness } from '../testing/gateway-harness';
import { eventually } from '@keel/testing';

const h = useGatewayHarness();
const get = (path: string) => fetch(`${h.gateway.url}${path}`);

describe('GET /api/products', () => {
  it('answers the catalog list and forwards the validated filter', async () => {
    const response = await get('/api/products?category=audio&limit=2&offset=0');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-served-by')).toBe('us-east/gateway@1.2.3');
    const body = (await response.json()) as { items: { id: string }[]; total: number };
    expect(body.items.map((p) => p.id)).toEqual(['p-001', 'p-002', 'p-003']);
    expect(h.catalog.calls().at(-1)?.url).toBe('/products?category=audio&limit=2&offset=0');
  });

  it('refuses a bad query with a problem and never asks catalog', async () => {
    const before = h.catalog.calls().length;
    for (const query of ['limit=0', 'limit=abc', 'offset=-1', 'category=Not%20Valid', 'color=red']) {
      const response = await get(`/api/products?${query}`);
      expect(response.status, query).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    expect(h.catalog.calls().length).toBe(before);
  });
});

describe('GET /api/products/:id', () => {
  it('answers the product with its recommendations and nothing degraded', async () => {
    const response = await get('/api/products/p-001');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-degraded')).toBeNull();
    expect(await response.json()).toMatchObject({ product: { id: 'p-001', priceCents: 18900 }, recommendations: [{ id: 'p-002' }], degraded: [] });
    expect(h.recommendations.calls().at(-1)?.url).toBe('/recommendations/p-001?limit=4');
  });

  it('passes a missing product through as a 404 problem', async () => {
    const response = await get('/api/products/p-999');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, type: '/problems/not-found' });
  });

  it('refuses something that cannot be a product id without asking catalog', async () => {
    const before = h.catalog.calls().length;
    const response = await get('/api/products/%2E%2E%2Fadmin');
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 400, type: '/problems/validation', errors: ['id must be 1-128 characters of letters, digits and . _ : ~ -'] });
    expect(h.catalog.calls().length).toBe(before);
  });

  it('serves the last good recommendations, marked degraded, when recommendations fail', async () => {
    const fresh = (await (await get('/api/products/p-001')).json()) as { recommendations: unknown[] };
    expect(fresh.recommendations.length).toBeGreaterThan(0);
    const answers = h.recommendations.handler;
    h.recommendations.handler = () => ({ status: 500, body: { type: '/problems/internal', title: 'Internal error', status: 500 } });
    try {
      const response = await get('/api/products/p-001');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-degraded')).toBe('recommendations');
      expect(await response.json()).toMatchObject({ product: { id: 'p-001' }, recommendations: fresh.recommendations, degraded: ['recommendations'] });
    } finally {
      h.recommendations.handler = answers;
    }
  });

  it('leaves recommendations out, and says so, when no tier has any', async () => {
    const answers = h.recommendations.handler;
    h.recommendations.handler = () => ({ status: 500, body: { type: '/problems/internal', title: 'Internal error', status: 500 } });
    try {
      // Never fetched before: nothing cached; trending comes from the same failing service.
      const response = await get('/api/products/p-003');
      expect(response.status).toBe(200);
      expect(response.headers.get('x-degraded')).toBe('recommendations');
      expect(await response.json()).toMatchObject({ product: { id: 'p-003' }, recommendations: [], degraded: ['recommendations'] });
    } finally {
      h.recommendations.handler = answers;
    }
  });

  it('waits only a short time for slow recommendations', async () => {
    const answers = h.recommendations.handler;
    h.recommendations.handler = (request) => ({ ...answers(request), delayMs: 2_000 });
    try {
      const started = performance.now();
      const response = await get('/api/products/p-002');
      const elapsed = performance.now() - started;
      expect(response.status).toBe(200);
      expect(response.headers.get('x-degraded')).toBe('recommendations');
      expect(elapsed).toBeLessThan(1_500);
    } finally {
      h.recommendations.handler = answers;
    }
  });

  it('answers degraded when the recommendations service is down, and recovers when it returns', async () => {
    await h.recommendations.stop();
    try {
      const response = await get('/api/products/p-001');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { degraded: string[] }).degraded).toEqual(['recommendations']);
    } finally {
      await h.recommendations.restart();
    }
    // Its circuit opened while it was down; it lets a probe through after openMs (5 s) and closes.
    const recovered = await eventually(async () => (((await (await get('/api/products/p-001')).json()) as { degraded: string[] }).degraded.length === 0), 8_000, 200);
    expect(recovered).toBe(true);
  });

  it('answers 503 problem without a stack trace when catalog is down', async () => {
    await h.catalog.stop();
    try {
      const response = await get('/api/products/p-001');
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ status: 503, type: '/problems/dependency-unavailable', dependency: 'catalog' });
      expect(text).not.toMatch(/\bat .*\.ts:\d+/);
    } finally {
      await h.catalog.restart();
    }
  });
  it('spends no recommendations call on a page catalog refuses at once (circuit open)', async () => {
    const answers = h.catalog.handler;
    h.catalog.handler = () => ({ status: 503, body: { type: '/problems/unavailable', title: 'Unavailable', status: 503 } });
    try {
      // Failing pages open catalog's circuit (5 failures in a row).
      const opened = await eventually(async () => {
        const response = await get('/api/products/p-001');
        return ((await response.json()) as { detail?: string }).detail?.includes('circuit open') ?? false;
      }, 5_000, 10);
      expect(opened).toBe(true);
      const before = h.recommendations.calls().length;
      const response = await get('/api/products/p-002');
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ type: '/problems/dependency-unavailable', dependency: 'catalog' });
      expect(h.recommendations.calls().length).toBe(before);
    } finally {
      h.catalog.handler = answers;
    }
    // The circuit lets a probe through after openMs (5 s) and closes on its success.
    const recovered = await eventually(async () => (await get('/api/products/p-001')).status === 200, 8_000, 200);
    expect(recovered).toBe(true);
  });
});

describe('OpenAPI document', () => {
  it('describes every public route with its responses', async () => {
    const doc = (await (await get('/api/docs-json')).json()) as {
      info: { title: string };
      paths: Record<string, Record<string, { summary?: string; responses: Record<string, unknown>; parameters?: { name: string; in?: string; required?: boolean; schema?: { pattern?: string } }[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.info.title).toBe('keel public API');
    expect(Object.keys(doc.paths).sort()).toEqual(['/api/checkout', '/api/orders/{id}', '/api/products', '/api/products/{id}', '/api/products/{id}/recommendations']);
    expect(Object.keys(doc.paths['/api/products/{id}'].get.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '503']));
    expect(Object.keys(doc.paths['/api/checkout'].post.responses)).toEqual(expect.arrayContaining(['200', '201', '202', '400', '402', '409', '503']));
    expect(doc.paths['/api/products/{id}'].get.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true, schema: expect.objectContaining({ pattern: expect.any(String) }) })]);
    expect(doc.paths['/api/checkout'].post.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', required: true })]));
    for (const path of Object.values(doc.paths)) for (const operation of Object.values(path)) expect(operation.summary).toBeTruthy();
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ProductDetailDto', 'CheckoutRequestDto', 'OrderDto', 'ProblemDto']));
  });
});

describe('GET /api/products/:id/recommendations', () => {
  it('answers recommendations on their own, and the same fallbacks as the page when the service fails', async () => {
    const fresh = await get('/api/products/p-002/recommendations');
    expect(fresh.status).toBe(200);
    expect(await fresh.json()).toMatchObject({ productId: 'p-002', items: [{ id: 'p-002' }], degraded: [] });
    expect(h.recommendations.calls().at(-1)?.url).toBe('/recommendations/p-002?limit=4');
    const answers = h.recommendations.handler;
    h.recommendations.handler = () => ({ status: 500, body: { type: '/problems/internal', title: 'Internal error', status: 500 } });
    try {
      const cached = await get('/api/products/p-002/recommendations');
      expect(cached.status).toBe(200);
      expect(cached.headers.get('x-degraded')).toBe('recommendations');
      expect(await cached.json()).toMatchObject({ items: [{ id: 'p-002' }], degraded: ['recommendations'] });
    } finally {
      h.recommendations.handler = answers;
    }
    expect((await get('/api/products/not%20an%20id/recommendations')).status).toBe(400);
  });
});
