import type { StockReport } from '@keel/contracts';
import type { RunningService } from '@keel/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startCatalog, tempDataDir } from '../testing/catalog-under-test';
import { PRODUCT_SEED } from '../products/product-seed';

const TOKEN = 'stock-admin-test-token-0123';
let catalog: RunningService<unknown>;
let adminUrl: string;
const data = tempDataDir();
const api = client(() => catalog.url);

beforeAll(async () => {
  catalog = await startCatalog(data.dir, { KEEL_ADMIN_PORT: '0', KEEL_TOKEN: TOKEN });
  adminUrl = catalog.adminUrl ?? '';
});

afterAll(async () => {
  await catalog?.app.close();
  data.remove();
});

const report = async () => {
  const response = await fetch(`${adminUrl}/admin/stock`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as StockReport;
};
const stock = async () => Object.fromEntries((await report()).items.map((level) => [level.productId, level]));

describe('GET /admin/stock', () => {
  it('reports every seeded product as seeded, available, reserved and transferred, following reservations and releases', async () => {
    expect((await report()).region).toBe('test');
    const fresh = await stock();
    expect(Object.keys(fresh)).toHaveLength(PRODUCT_SEED.length);
    expect(fresh['p-001']).toEqual({ productId: 'p-001', seeded: 120, available: 120, reserved: 0, transferredIn: 0, transferredOut: 0 });

    await api.reserve('r-kept', [{ productId: 'p-001', quantity: 3 }]);
    await api.reserve('r-released', [{ productId: 'p-001', quantity: 2 }, { productId: 'p-002', quantity: 1 }]);
    await api.release('r-released');

    const after = await stock();
    expect(after['p-001']).toEqual({ productId: 'p-001', seeded: 120, available: 117, reserved: 3, transferredIn: 0, transferredOut: 0 });
    expect(after['p-002']).toEqual({ productId: 'p-002', seeded: 200, available: 200, reserved: 0, transferredIn: 0, transferredOut: 0 });
  });

  it('lists the reservations still holding stock, not the released ones', async () => {
    await api.reserve('r-two-lines', [{ productId: 'p-004', quantity: 1 }, { productId: 'p-003', quantity: 2 }]);
    const { reservations } = await report();
    expect(reservations.map((r) => r.reservationId)).toEqual(['r-kept', 'r-two-lines']);
    expect(reservations[1]).toEqual({ reservationId: 'r-two-lines', items: [{ productId: 'p-003', quantity: 2 }, { productId: 'p-004', quantity: 1 }], createdAt: expect.any(String) });
    expect(Date.parse(reservations[1].createdAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('is served on the admin port only, behind the token', async () => {
    expect((await fetch(`${catalog.url}/admin/stock`)).status).toBe(404);
    expect((await fetch(`${adminUrl}/admin/stock`)).status).toBe(401);
  });
});
