import type { Reservation } from '@keel/contracts';
import type { RunningService } from '@keel/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, startCatalog, tempDataDir } from '../testing/catalog-under-test';

// Each test works on its own products, so the tests do not depend on one another's stock.
let catalog: RunningService<unknown>;
const data = tempDataDir();
const api = client(() => catalog.url);
const stocks = (ids: string[]) => Promise.all(ids.map((id) => api.stock(id)));

beforeAll(async () => {
  catalog = await startCatalog(data.dir);
});

afterAll(async () => {
  await catalog?.app.close();
  data.remove();
});

describe('POST /reservations', () => {
  it('takes the stock of every item, merging lines for the same product', async () => {
    const [a, b] = await stocks(['p-001', 'p-002']);
    const { status, body } = await api.reserve('r-decrement', [
      { productId: 'p-002', quantity: 1 },
      { productId: 'p-001', quantity: 2 },
      { productId: 'p-002', quantity: 2 },
    ]);
    expect(status).toBe(201);
    expect(body).toEqual({ reservationId: 'r-decrement', status: 'reserved', items: [{ productId: 'p-001', quantity: 2 }, { productId: 'p-002', quantity: 3 }] });
    expect(await stocks(['p-001', 'p-002'])).toEqual([a - 2, b - 3]);
    expect((await api.call('GET', '/reservations/r-decrement')).body).toEqual(body);
  });

  it('changes nothing when any item is short, and lists every short item', async () => {
    const ids = ['p-003', 'p-004', 'p-005'];
    const before = await stocks(ids);
    const { status, contentType, body } = await api.reserve('r-short', [
      { productId: 'p-003', quantity: before[0] },
      { productId: 'p-004', quantity: before[1] + 1 },
      { productId: 'p-005', quantity: before[2] + 5 },
    ]);
    expect(status).toBe(409);
    expect(contentType).toContain('application/problem+json');
    expect(body).toMatchObject({
      type: '/problems/insufficient-stock',
      shortages: [
        { productId: 'p-004', requested: before[1] + 1, available: before[1] },
        { productId: 'p-005', requested: before[2] + 5, available: before[2] },
      ],
    });
    expect(await stocks(ids)).toEqual(before);
    expect((await api.call('GET', '/reservations/r-short')).status).toBe(404);
  });

  it('answers an unknown product with 404 and changes nothing', async () => {
    const before = await api.stock('p-006');
    const { status, body } = await api.reserve('r-unknown', [{ productId: 'p-006', quantity: 1 }, { productId: 'p-404', quantity: 1 }]);
    expect(status).toBe(404);
    expect(body).toMatchObject({ type: '/problems/product-not-found', productIds: ['p-404'] });
    expect(await api.stock('p-006')).toBe(before);
  });

  it('never oversells the last units to concurrent requests', async () => {
    const start = await api.stock('p-046');
    expect((await api.reserve('r-drain', [{ productId: 'p-046', quantity: start - 5 }])).status).toBe(201);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => api.reserve(`r-race-${i}`, [{ productId: 'p-046', quantity: 1 }])));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    expect(await api.stock('p-046')).toBe(0);
  });

  it('is idempotent on reservationId, and refuses the same id with other items', async () => {
    const before = await api.stock('p-007');
    const first = await api.reserve('r-idem', [{ productId: 'p-007', quantity: 2 }]);
    const again = await api.reserve('r-idem', [{ productId: 'p-007', quantity: 1 }, { productId: 'p-007', quantity: 1 }]);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual(first.body);
    expect(await api.stock('p-007')).toBe(before - 2);
    const conflict = await api.reserve('r-idem', [{ productId: 'p-007', quantity: 3 }]);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ type: '/problems/reservation-conflict', reservationId: 'r-idem' });
    expect(await api.stock('p-007')).toBe(before - 2);
  });

  it('refuses malformed requests with a validation problem and changes nothing', async () => {
    const before = await api.stock('p-008');
    const line = { productId: 'p-008', quantity: 1 };
    const bad: unknown[] = [
      { items: [line] },
      { reservationId: 'r-bad', items: [] },
      { reservationId: 'r-bad', items: [{ productId: 'p-008', quantity: 0 }] },
      { reservationId: 'r-bad', items: [{ productId: 'p-008', quantity: 1.5 }] },
      { reservationId: 'r-bad', items: [{ productId: 'p-008', quantity: '1' }] },
      { reservationId: 'r-bad', items: [{ productId: 'p-008' }] },
      { reservationId: 'r-bad', items: Array.from({ length: 51 }, () => line) },
      { reservationId: 'r-bad', items: [line], extra: true },
      { reservationId: 'r-bad', items: [{ ...line, price: 1 }] },
      { reservationId: 'has space', items: [line] },
      { reservationId: 'r-bad', items: line },
    ];
    for (const body of bad) {
      const answer = await api.call('POST', '/reservations', body);
      expect(answer.status, JSON.stringify(body).slice(0, 120)).toBe(400);
      expect(answer.body.type).toBe('/problems/validation');
    }
    const malformed = await api.call('POST', '/reservations', '{"reservationId":');
    expect(malformed.status).toBe(400);
    expect(await api.stock('p-008')).toBe(before);
    expect((await api.call('GET', '/reservations/r-bad')).status).toBe(404);
  });

  it('accepts up to 50 lines', async () => {
    const items = Array.from({ length: 50 }, () => ({ productId: 'p-009', quantity: 1 }));
    const before = await api.stock('p-009');
    const { status, body } = await api.reserve('r-fifty', items);
    expect(status).toBe(201);
    expect(body.items).toEqual([{ productId: 'p-009', quantity: 50 }]);
    expect(await api.stock('p-009')).toBe(before - 50);
  });
});

describe('POST /reservations/:id/release', () => {
  it('gives the stock back exactly once', async () => {
    const before = await stocks(['p-010', 'p-011']);
    await api.reserve('r-release', [{ productId: 'p-010', quantity: 3 }, { productId: 'p-011', quantity: 1 }]);
    const first = await api.release('r-release');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ reservationId: 'r-release', status: 'released' });
    expect(await stocks(['p-010', 'p-011'])).toEqual(before);
    const again = await api.release('r-release');
    expect(again).toEqual(first);
    expect(await stocks(['p-010', 'p-011'])).toEqual(before);
    // A late retry of the original reserve is answered from the record, not applied again.
    const replay = await api.reserve('r-release', [{ productId: 'p-010', quantity: 3 }, { productId: 'p-011', quantity: 1 }]);
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe<Reservation['status']>('released');
    expect(await stocks(['p-010', 'p-011'])).toEqual(before);
  });

  it('releases concurrently requested once', async () => {
    const before = await api.stock('p-012');
    await api.reserve('r-release-race', [{ productId: 'p-012', quantity: 4 }]);
    const answers = await Promise.all(Array.from({ length: 10 }, () => api.release('r-release-race')));
    expect(answers.every((a) => a.status === 200 && a.body.status === 'released')).toBe(true);
    expect(await api.stock('p-012')).toBe(before);
  });

  it('answers an unknown reservation with 404', async () => {
    for (const [method, path] of [['POST', '/reservations/r-nope/release'], ['GET', '/reservations/r-nope']]) {
      const { status, body } = await api.call(method, path);
      expect(status).toBe(404);
      expect(body.type).toBe('/problems/reservation-not-found');
    }
  });
});
