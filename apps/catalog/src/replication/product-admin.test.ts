import type { Product } from '@keel/contracts';
import { outboxBacklog, unsentEvents } from '@keel/messaging';
import type { RunningService } from '@keel/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogDatabase } from '../database/catalog-database';
import { client, startCatalog, tempDataDir } from '../testing/catalog-under-test';

const TOKEN = 'product-admin-test-token-0123';
let catalog: RunningService<unknown>;
let adminUrl: string;
const data = tempDataDir();
const api = client(() => catalog.url);

beforeAll(async () => {
  catalog = await startCatalog(data.dir, { KEEL_ADMIN_PORT: '0', KEEL_TOKEN: TOKEN, KEEL_REGION: 'eu-west' });
  adminUrl = catalog.adminUrl ?? '';
});

afterAll(async () => {
  await catalog?.app.close();
  data.remove();
});

async function put(id: string, body: unknown, token = TOKEN) {
  const response = await fetch(`${adminUrl}/admin/products/${id}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: (await response.json()) as Record<string, unknown> };
}

const db = () => catalog.app.get(CatalogDatabase).db;

describe('PUT /admin/products/:id', () => {
  it('changes the product, answers it with its version, and writes product.updated to keel.catalog', async () => {
    const before = (await api.call<Product>('GET', '/products/p-010')).body;
    const { status, body } = await put('p-010', { priceCents: 12900, description: 'Hot-swappable switches, now with a new price and these words.' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 'p-010', priceCents: 12900, name: before.name, stock: before.stock, version: 1, updatedBy: 'eu-west' });
    expect((await api.call<Product>('GET', '/products/p-010')).body).toMatchObject({ priceCents: 12900, description: 'Hot-swappable switches, now with a new price and these words.' });
    const [row] = unsentEvents(db(), 100).filter((r) => r.topic === 'keel.catalog');
    expect(row.event).toMatchObject({ type: 'product.updated', key: 'p-010', origin: 'eu-west', data: { productId: 'p-010', changes: { priceCents: 12900 }, version: 1, region: 'eu-west' } });
  });

  it('refuses a bad body with a 400 problem, and an unknown product with 404, changing nothing', async () => {
    const before = (await api.call<Product>('GET', '/products/p-011')).body;
    const backlog = outboxBacklog(db());
    for (const body of [{}, { stock: 1000 }, { priceCents: -5 }, { name: '' }, '{"priceCents":']) {
      const answer = await put('p-011', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.contentType).toContain('application/problem+json');
    }
    const unknown = await put('p-999', { priceCents: 100 });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ type: '/problems/product-not-found' });
    expect((await api.call<Product>('GET', '/products/p-011')).body).toEqual(before);
    expect(outboxBacklog(db())).toBe(backlog);
  });

  it('is served on the admin port only, behind the token', async () => {
    expect((await put('p-012', { priceCents: 1 }, 'wrong-token-wrong-token-00')).status).toBe(401);
    expect((await api.call('PUT', '/admin/products/p-012', { priceCents: 1 })).status).toBe(404);
    expect((await api.call<Product>('GET', '/products/p-012')).body.priceCents).not.toBe(1);
  });
});
