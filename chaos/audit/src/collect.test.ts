import type { CarrierLedger, Charge, ProviderLedger, Shipment, StockReport } from '@keel/contracts';
import { sendJson, startFixtureServer, type FixtureServer } from '@keel/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { collectSnapshot } from './collect';
import type { AuditEndpoints } from './endpoints';

// The snapshot's clock is fixed, so "made in the same millisecond as the snapshot began" is a
// case the test states rather than one a fast machine happens upon.
const NOW = Date.parse('2026-12-04T06:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

const charge = (id: string, createdAt: string): Charge => ({
  id,
  provider: 'provider-a',
  idempotencyKey: `key-${id}`,
  amountCents: 100,
  refundedCents: 0,
  currency: 'USD',
  reference: 'o-1',
  status: 'captured',
  createdAt,
});
const shipment = (id: string, createdAt: string): Shipment => ({ id, carrier: 'carrier', idempotencyKey: `key-${id}`, reference: 'o-1', items: [], status: 'scheduled', createdAt });

const books: Record<string, unknown> = {
  '/admin/orders': { items: [] },
  '/admin/stock': {
    region: 'us-east',
    items: [],
    reservations: [
      { reservationId: 'r-same-ms', items: [], createdAt: at(0) },
      { reservationId: 'r-later', items: [], createdAt: at(1) },
    ],
  } satisfies StockReport,
  '/admin/charges': { provider: 'provider-a', charges: [charge('ch-earlier', at(-1)), charge('ch-same-ms', at(0)), charge('ch-later', at(1))], refunds: [] } satisfies ProviderLedger,
  '/admin/shipments': { carrier: 'carrier', shipments: [shipment('sh-same-ms', at(0)), shipment('sh-later', at(1))] } satisfies CarrierLedger,
};

let fixture: FixtureServer;
let endpoints: AuditEndpoints;

beforeAll(async () => {
  fixture = await startFixtureServer((request, res) => sendJson(res, 200, books[request.url]));
  const admin = { url: fixture.url, token: 't' };
  endpoints = { regions: [{ region: 'us-east', checkout: admin, catalog: admin }], providers: [{ name: 'provider-a', admin }], carriers: [{ name: 'carrier', admin }] };
});
afterAll(() => fixture.stop());
afterEach(() => vi.useRealTimers());

describe('collectSnapshot', () => {
  it('keeps what was made in the millisecond the snapshot began and leaves out what came after', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    const snapshot = await collectSnapshot(endpoints, 2_000);
    expect(snapshot.takenAt).toBe(NOW);
    expect(snapshot.providers[0].charges.map((c) => c.id)).toEqual(['ch-earlier', 'ch-same-ms']);
    expect(snapshot.shipments.map((s) => s.id)).toEqual(['sh-same-ms']);
    expect(snapshot.regions[0].reservations.map((r) => r.reservationId)).toEqual(['r-same-ms']);
  });
});
