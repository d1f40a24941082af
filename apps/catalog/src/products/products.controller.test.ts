import type { Product, ProductList } from '@keel/contracts';
import type { RunningService } from '@keel/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startCatalog, tempDataDir } from '../testing/catalog-under-test';

let catalog: RunningService<unknown>;
const data = tempDataDir();
const api = client(() => catalog.url);

beforeAll(async () => {
  catalog = await startCatalog(data.dir);
});

afterAll(async () => {
  await catalog?.app.close();
  data.remove();
});

describe('GET /products', () => {
  it('lists 20 seeded products by default, with the total', async () => {
    const { status, body } = await api.call<ProductList>('GET', '/products');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(20);
    expect(body.total).toBeGreaterThanOrEqual(50);
    expect(body.items[0]).toMatchObject({ id: 'p-001', currency: 'USD' });
    expect(Number.isInteger(body.items[0].priceCents)).toBe(true);
  });

  it('pages through every product exactly once', async () => {
    const seen: string[] = [];
    let total = Infinity;
    for (let offset = 0, pages = 0; offset < total && pages < 20; offset += 25, pages++) {
      const { body } = await api.call<ProductList>('GET', `/products?limit=25&offset=${offset}`);
      total = body.total;
      seen.push(...body.items.map((p) => p.id));
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const past = await api.call<ProductList>('GET', `/products?offset=${total}`);
    expect(past.body).toEqual({ items: [], total });
  });

  it('filters by category, and an unknown category is an empty list', async () => {
    const audio = await api.call<ProductList>('GET', '/products?category=audio&limit=100');
    expect(audio.body.total).toBeGreaterThanOrEqual(9);
    expect(audio.body.items).toHaveLength(audio.body.total);
    expect(audio.body.items.every((p) => p.category === 'audio')).toBe(true);
    const none = await api.call<ProductList>('GET', '/products?category=spaceships');
    expect(none.body).toEqual({ items: [], total: 0 });
  });

  it('answers bad query values with a 400 problem', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=2.5', 'offset=-1', 'category=Not%20Valid', 'colour=red']) {
      const { status, contentType, body } = await api.call('GET', `/products?${query}`);
      expect(status, query).toBe(400);
      expect(contentType).toContain('application/problem+json');
      expect(body.type).toBe('/problems/validation');
    }
  });
});

describe('GET /products/:id', () => {
  it('returns one product', async () => {
    const { status, body } = await api.call<Product>('GET', '/products/p-010');
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'p-010', category: 'computing', currency: 'USD' });
    expect(body.stock).toBeGreaterThan(0);
  });

  it('answers an unknown id with product-not-found', async () => {
    const { status, body } = await api.call('GET', '/products/p-999');
    expect(status).toBe(404);
    expect(body).toMatchObject({ type: '/problems/product-not-found', status: 404 });
  });
});
