import { IDEMPOTENCY_KEY_HEADER, type Order } from '@keel/contracts';
import { sendJson, startFixtureServer, startServiceProcess, tempDir, type FixtureServer, type ServiceProcess } from '@keel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditError } from './audit-error';
import type { AuditEndpoints } from './endpoints';
import { runAudit } from './run-audit';

// The real apps as OS processes, wired as the stack wires one region: checkout → catalog, two providers, the carrier.
// One data dir for all: each keeps its own file in it (catalog.db, checkout.db, provider-a.db, provider-b.db, carrier.db).
const data = tempDir('keel-audit-');
let catalog: ServiceProcess;
let providerA: ServiceProcess;
let providerB: ServiceProcess;
let carrier: ServiceProcess;
let checkout: ServiceProcess;
let recommendations: FixtureServer;
let endpoints: AuditEndpoints;
const orders: Order[] = [];

const admin = (service: ServiceProcess) => ({ url: service.adminUrl, token: service.token });

async function post<T>(url: string, body: unknown, key: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', [IDEMPOTENCY_KEY_HEADER]: key }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as T };
}

beforeAll(async () => {
  recommendations = await startFixtureServer((_request, res) => sendJson(res, 202, { accepted: true }));
  [catalog, providerA, providerB, carrier] = await Promise.all([
    startServiceProcess('catalog', { env: { KEEL_REGION: 'us-east' }, dataDir: data.dir }),
    startServiceProcess('payment-provider', { env: { KEEL_INSTANCE: 'provider-a', KEEL_REGION: 'global' }, dataDir: data.dir }),
    startServiceProcess('payment-provider', { env: { KEEL_INSTANCE: 'provider-b', KEEL_REGION: 'global' }, dataDir: data.dir }),
    startServiceProcess('carrier', { env: { KEEL_INSTANCE: 'carrier', KEEL_REGION: 'global' }, dataDir: data.dir }),
  ]);
  checkout = await startServiceProcess('checkout', {
    dataDir: data.dir,
    env: {
      KEEL_REGION: 'us-east',
      KEEL_CATALOG_URL: catalog.url,
      KEEL_PROVIDER_A_URL: providerA.url,
      KEEL_PROVIDER_B_URL: providerB.url,
      KEEL_RECOMMENDATIONS_URL: recommendations.url,
      KEEL_CARRIER_URL: carrier.url,
    },
  });
  endpoints = {
    regions: [{ region: 'us-east', checkout: admin(checkout), catalog: admin(catalog) }],
    providers: [
      { name: 'provider-a', admin: admin(providerA) },
      { name: 'provider-b', admin: admin(providerB) },
    ],
    carriers: [{ name: 'carrier', admin: admin(carrier) }],
  };
  for (const [productId, quantity] of [['p-001', 2], ['p-002', 1]] as const) {
    const placed = await post<Order>(`${checkout.url}/orders`, { items: [{ productId, quantity }], customer: { email: 'audit@example.com' } }, `audit-${productId}`);
    if (placed.status !== 201 || placed.body.status !== 'confirmed') throw new Error(`order not confirmed: ${placed.status} ${JSON.stringify(placed.body)}\n${checkout.output()}`);
    orders.push(placed.body);
  }
  // Four processes compiling at once on a shared two-core machine: give them more than the default.
}, 120_000);

afterAll(async () => {
  await Promise.all([checkout, catalog, providerA, providerB, carrier].map((service) => service?.stop()));
  await recommendations?.stop();
  data.remove();
});

describe('runAudit against running services', () => {
  it('passes confirmed orders, their captures and their stock', async () => {
    const report = await runAudit({ endpoints });
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    const byName = Object.fromEntries(report.invariants.map((i) => [i.name, i]));
    expect(byName['orders-settled']).toMatchObject({ checked: 2, figures: { confirmed: 2, failed: 0, inFlight: 0 } });
    expect(byName['single-capture']).toMatchObject({ checked: 2, figures: { charges: 2 } });
    const value = orders.reduce((sum, order) => sum + order.totalCents, 0);
    expect(byName['money-conserved'].figures).toMatchObject({ capturedCents: value, refundedCents: 0, confirmedCents: value });
    // Catalog knows the 3 units the two orders hold, in two reservations; every seeded product is checked.
    expect(byName['stock-conserved'].figures).toMatchObject({ reserved: 3, reservations: 2 });
    expect(byName['stock-conserved'].checked).toBeGreaterThanOrEqual(52);
    expect(byName['shipments-match']).toMatchObject({ checked: 2, violations: [], figures: { liveShipments: 2, cancelledShipments: 0 } });
  });

  it('names an order captured a second time under another key, money taken for no order and stock held for none', async () => {
    const [first] = orders;
    const second = await post(`${providerB.url}/charges`, { amountCents: first.totalCents, currency: 'USD', reference: first.id }, `manual-${first.id}`);
    const stray = await post(`${providerA.url}/charges`, { amountCents: 1234, currency: 'USD', reference: 'no-such-order' }, 'stray-charge');
    const held = await post(`${catalog.url}/reservations`, { reservationId: 'no-such-order', items: [{ productId: 'p-009', quantity: 4 }] }, 'unused');
    const shipped = await post(`${carrier.url}/shipments`, { reference: 'no-such-order', items: [{ productId: 'p-009', quantity: 4 }] }, 'stray-shipment');
    expect([second.status, stray.status, held.status, shipped.status]).toEqual([201, 201, 201, 201]);

    const report = await runAudit({ endpoints });
    expect(report.ok).toBe(false);
    expect(report.violations.map((v) => [v.invariant, v.subject])).toEqual([
      ['single-capture', first.id],
      ['money-conserved', first.id],
      ['money-conserved', 'no-such-order'],
      ['stock-conserved', 'no-such-order'],
      ['shipments-match', 'no-such-order'],
    ]);
    expect(report.violations[0].message).toMatch(new RegExp(`${first.id} captured 2 times: provider-a ch_\\S+ \\(charge-${first.id}\\), provider-b ch_\\S+ \\(manual-${first.id}\\)`));
    expect(report.violations[2].message).toBe('$12.34 is captured for no-such-order, which is no order in either region');
    expect(report.violations[3].message).toBe('us-east holds 4 × p-009 for no-such-order, which is no order in us-east');
  });

  it('rejects with an AuditError naming the service it cannot reach', async () => {
    await providerB.stop();
    const failure = await runAudit({ endpoints, timeoutMs: 2_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AuditError);
    expect(failure).toMatchObject({ service: 'provider-b', message: expect.stringMatching(/^provider-b is unreachable at http:\/\/127\.0\.0\.1:\d+\/admin\/charges/) });
  });
});
