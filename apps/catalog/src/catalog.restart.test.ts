import type { Reservation } from '@keel/contracts';
import type { RunningService } from '@keel/service-kit';
import { afterAll, describe, expect, it } from 'vitest';
import { client, startCatalog, tempDataDir } from './testing/catalog-under-test';

const data = tempDataDir();
let catalog: RunningService<unknown>;
const api = client(() => catalog.url);

afterAll(async () => {
  await catalog?.app.close();
  data.remove();
});

describe('a restarted catalog', () => {
  it('keeps stock and reservations, and does not seed again', async () => {
    catalog = await startCatalog(data.dir);
    const ready = await fetch(`${catalog.url}/health/ready`);
    expect(ready.status).toBe(200);
    const before = await api.stock('p-020');
    expect((await api.reserve('restart-1', [{ productId: 'p-020', quantity: 7 }])).status).toBe(201);
    await catalog.app.close();

    catalog = await startCatalog(data.dir);
    expect(await api.stock('p-020')).toBe(before - 7);
    const kept = await api.call<Reservation>('GET', '/reservations/restart-1');
    expect(kept.body).toEqual({ reservationId: 'restart-1', items: [{ productId: 'p-020', quantity: 7 }], status: 'reserved' });
    expect((await api.reserve('restart-1', [{ productId: 'p-020', quantity: 7 }])).status).toBe(200);
    expect((await api.release('restart-1')).body.status).toBe('released');
    expect(await api.stock('p-020')).toBe(before);
  });
});
