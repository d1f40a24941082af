import type { Product, StockLevel, StockReport } from '@keel/contracts';
import { eventually, startKafkaProcess, startServiceProcess, type KafkaProcess, type ServiceProcess } from '@keel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Two catalog processes, us-east and eu-west, on ONE real broker: each sees the other's events on
// the same topics, as it would through the replicator in the stack, so no replicator is needed.
let broker: KafkaProcess;
let usEast: ServiceProcess;
let euWest: ServiceProcess;

beforeAll(async () => {
  broker = await startKafkaProcess();
  const region = (name: string, peer: string) =>
    startServiceProcess('catalog', { env: { KEEL_REGION: name, KEEL_PEER_REGION: peer, KEEL_KAFKA_BROKERS: broker.brokers.join(',') }, readyTimeoutMs: 60_000 });
  [usEast, euWest] = await Promise.all([region('us-east', 'eu-west'), region('eu-west', 'us-east')]);
}, 180_000);

afterAll(async () => {
  const codes = await Promise.all([usEast?.stop(), euWest?.stop()]);
  await broker?.stop();
  expect(codes.filter((code) => code !== undefined && code !== 0), `${usEast?.output()}\n${euWest?.output()}`).toEqual([]);
}, 60_000);

async function level(region: ServiceProcess, productId: string): Promise<StockLevel> {
  const response = await region.admin('GET', '/admin/stock');
  const report = (await response.json()) as StockReport;
  return report.items.find((item) => item.productId === productId) as StockLevel;
}

describe('two regions on one broker', () => {
  it('moves a batch to the region that ran low, conserving every unit at every moment', async () => {
    const reserve = await fetch(`${usEast.url}/reservations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reservationId: 'two-regions-1', items: [{ productId: 'p-001', quantity: 111 }] }),
    });
    expect(reserve.status).toBe(201);

    const violations: string[] = [];
    let last: [StockLevel, StockLevel] | undefined;
    const arrived = await eventually(async () => {
      // The receiver first: a transfer it has received was sent before the sender is read, so no
      // snapshot counts the same units twice.
      const [east, west] = [await level(usEast, 'p-001'), await level(euWest, 'p-001')];
      last = [east, west];
      const owned = east.available + east.reserved + west.available + west.reserved;
      const inTransit = east.transferredOut + west.transferredOut - east.transferredIn - west.transferredIn;
      if (owned + inTransit !== east.seeded + west.seeded) violations.push(JSON.stringify(last));
      return east.transferredIn === 20;
    }, 45_000, 200);

    expect(arrived, `${JSON.stringify(last)}\n${usEast.output()}\n${euWest.output()}`).toBe(true);
    expect(violations).toEqual([]);
    const [east, west] = last as [StockLevel, StockLevel];
    expect(east).toEqual({ productId: 'p-001', seeded: 120, available: 29, reserved: 111, transferredIn: 20, transferredOut: 0 });
    expect(west).toEqual({ productId: 'p-001', seeded: 120, available: 100, reserved: 0, transferredIn: 0, transferredOut: 20 });
    const product = (await (await fetch(`${usEast.url}/products/p-001`)).json()) as Product;
    expect(product.stock).toBe(29);
  }, 60_000);

  it('shows a price changed in eu-west in us-east', async () => {
    const put = await euWest.admin('PUT', '/admin/products/p-001', { priceCents: 19900 });
    expect(put.status).toBe(200);
    const replicated = await eventually(async () => ((await (await fetch(`${usEast.url}/products/p-001`)).json()) as Product).priceCents === 19900, 30_000, 200);
    expect(replicated, usEast.output()).toBe(true);
    const here = (await (await fetch(`${euWest.url}/products/p-001`)).json()) as Product;
    expect(here.priceCents).toBe(19900);
  }, 45_000);
});
