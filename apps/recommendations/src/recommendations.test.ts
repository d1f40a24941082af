import type { ProductList, RecommendationList, TrendingList } from '@keel/contracts';
import type { RunningService } from '@keel/service-kit';
import { tempDir, type ServiceProcess } from '@keel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogClient } from './catalog/catalog-client';
import type { RecommendationsEnv } from './recommendations.env';
import { getJson, postJson, startCatalog, startRecommendations } from './testing/services-under-test';
import { until } from './testing/until';

let catalog: ServiceProcess;
let recommendations: RunningService<unknown>;
const catalogData = tempDir('keel-recs-');
const recommendationsData = tempDir('keel-recs-');
const recs = (path: string) => `${recommendations.url}${path}`;
const ids = (list: { items: { id: string }[] }) => list.items.map((i) => i.id);

beforeAll(async () => {
  catalog = await startCatalog(catalogData.dir);
  recommendations = await startRecommendations(recommendationsData.dir, catalog.url);
  await until(async () => (await fetch(recs('/health/ready'))).status === 200, 5_000, 'recommendations ready');
});

afterAll(async () => {
  await recommendations?.app.close();
  await catalog?.stop();
  catalogData.remove();
  recommendationsData.remove();
});

describe('the catalog snapshot', () => {
  it('pages through every catalog product', async () => {
    const { body: all } = await getJson<ProductList>(`${catalog.url}/products?limit=1`);
    const client = new CatalogClient({ KEEL_CATALOG_URL: catalog.url } as RecommendationsEnv);
    const products = await client.fetchAllProducts(undefined, 20);
    await client.onApplicationShutdown();
    expect(products).toHaveLength(all.total);
    expect(new Set(products.map((p) => p.id)).size).toBe(all.total);
  });
});

describe('GET /trending', () => {
  it('falls back to catalog order before any order, then follows the orders', async () => {
    const before = await getJson<TrendingList>(recs('/trending'));
    expect(before.status).toBe(200);
    expect(ids(before.body)).toEqual(['p-001', 'p-002', 'p-003', 'p-004', 'p-005', 'p-006', 'p-007', 'p-008']);
    expect((await postJson(recs('/signals/orders'), { orderId: 'o-trend-1', items: [{ productId: 'p-050', quantity: 30 }, { productId: 'p-030', quantity: 20 }] })).status).toBe(202);
    const after = await getJson<TrendingList>(recs('/trending?limit=3'));
    expect(after.body.items.map((i) => [i.id, i.score])).toEqual([['p-050', 30], ['p-030', 20], ['p-001', 0]]);
  });
});

describe('GET /recommendations/:productId', () => {
  it('recommends other products of the same category, re-ranked by order signals', async () => {
    const before = await getJson<RecommendationList>(recs('/recommendations/p-011'));
    expect(before.status).toBe(200);
    expect(before.body.productId).toBe('p-011');
    expect(ids(before.body)).toEqual(['p-010', 'p-012', 'p-013', 'p-014']);
    expect(before.body.items.every((i) => i.category === 'computing')).toBe(true);

    await postJson(recs('/signals/orders'), { orderId: 'o-rank-1', items: [{ productId: 'p-018', quantity: 3 }, { productId: 'p-011', quantity: 9 }, { productId: 'p-024', quantity: 99 }] });
    await postJson(recs('/signals/orders'), { orderId: 'o-rank-2', items: [{ productId: 'p-015', quantity: 2 }] });
    const after = await getJson<RecommendationList>(recs('/recommendations/p-011?limit=20'));
    expect(ids(after.body)).toEqual(['p-018', 'p-015', 'p-010', 'p-012', 'p-013', 'p-014', 'p-016', 'p-017']);
    expect(after.body.items[0]).toMatchObject({ id: 'p-018', category: 'computing', score: 3 });
    expect(ids(after.body)).not.toContain('p-011');
  });

  it('counts a repeated order signal once', async () => {
    const signal = { orderId: 'o-idem', items: [{ productId: 'p-047', quantity: 2 }] };
    const first = await postJson(recs('/signals/orders'), signal);
    const again = await postJson(recs('/signals/orders'), signal);
    expect([first.status, again.status]).toEqual([202, 202]);
    expect([first.body.counted, again.body.counted]).toEqual([true, false]);
    const { body } = await getJson<RecommendationList>(recs('/recommendations/p-046?limit=20'));
    expect(body.items.find((i) => i.id === 'p-047')?.score).toBe(2);
  });

  it('answers an unknown product with 404', async () => {
    const { status, body } = await getJson(recs('/recommendations/p-999'));
    expect(status).toBe(404);
    expect(body.type).toBe('/problems/product-not-found');
  });

  it('validates limits and signals', async () => {
    for (const path of ['/recommendations/p-001?limit=0', '/recommendations/p-001?limit=21', '/recommendations/p-001?limit=x', '/trending?limit=0', '/trending?limit=21']) {
      expect((await getJson(recs(path))).status, path).toBe(400);
    }
    const bad = [{ items: [{ productId: 'p-001', quantity: 1 }] }, { orderId: 'o-bad', items: [] }, { orderId: 'o-bad', items: [{ productId: 'p-001', quantity: 0 }] }, { orderId: 'o-bad', items: [{ productId: 'p-001', quantity: 1 }], extra: 1 }];
    for (const body of bad) {
      const answer = await postJson(recs('/signals/orders'), body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.type).toBe('/problems/validation');
    }
    // A refused signal was not remembered: the same order id, sent properly, still counts.
    expect((await postJson(recs('/signals/orders'), { orderId: 'o-bad', items: [{ productId: 'p-001', quantity: 1 }] })).body.counted).toBe(true);
  });
});
