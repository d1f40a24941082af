import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Charge, ChargeList, Order, Product, ProductList } from '@keel/contracts';
import { connectStack, loadStackConfig, WORKSPACE_ROOT, type StackClient } from '@keel/stack';
import { call, EDGE, eventually, pidAlive, portClosed } from './http';

/**
 * The newcomer's walk-through as a test: start the real stack (separate OS processes), browse and
 * check out through edge, repeat the checkout, kill a whole region, keep shopping, stop it all.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'keel-e2e-'));
const env = { ...process.env, KEEL_STACK_DATA_DIR: dataDir };
const config = loadStackConfig();
const providerUrl = (name: string) => `http://${config.host}:${config.providers[name]}`;
const allPorts = [
  config.edge.port,
  config.controlPort,
  ...Object.values(config.providers),
  ...Object.values(config.regions).flatMap((ports) => Object.values(ports)),
  ...Object.values(config.kafka).flatMap((ports) => Object.values(ports)),
];

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['-r', '@swc-node/register', 'infra/local/src/cli.ts', ...args], {
    cwd: WORKSPACE_ROOT,
    env,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

async function chargesFor(reference: string): Promise<Charge[]> {
  const lists = await Promise.all(
    Object.keys(config.providers).map(async (name) => (await call<ChargeList>('GET', `${providerUrl(name)}/charges?reference=${encodeURIComponent(reference)}`)).body.items),
  );
  return lists.flat();
}

const cart = (productId: string) => ({ items: [{ productId, quantity: 1 }], customer: { email: 'e2e@example.com' } });

let stack: StackClient;
/** An order us-east took, read back through eu-west once us-east is gone. */
let usEastOrder: Order | undefined;
let pids: number[] = [];

beforeAll(async () => {
  const up = cli('up', '--detach');
  expect(up.status, up.out).toBe(0);
  process.env.KEEL_STACK_DATA_DIR = dataDir;
  stack = await connectStack({ dataDir });
  const { supervisorPid, instances } = await stack.raw();
  pids = [supervisorPid, ...instances.map((i) => i.pid).filter((pid): pid is number => typeof pid === 'number')];
}, 240_000);

afterAll(() => {
  // Whatever happened above, leave nothing running.
  cli('down');
}, 120_000);

describe('the two-region stack', () => {
  it('reports every instance live and ready', async () => {
    const rows = await stack.status();
    expect(rows.map((r) => r.id).sort()).toEqual(
      [
        'global/carrier',
        'global/edge',
        'global/provider-a',
        'global/provider-b',
        ...['us-east', 'eu-west'].flatMap((r) => ['catalog', 'checkout', 'gateway', 'kafka', 'recommendations', 'replicator'].map((s) => `${r}/${s}`)),
      ].sort(),
    );
    for (const row of rows) expect(row, row.id).toMatchObject({ live: true, ready: true });
  });

  let product: Product;
  it('browses products through edge, served by us-east', async () => {
    const list = await call<ProductList>('GET', `${EDGE}/api/products?limit=100`);
    expect(list.status).toBe(200);
    expect(list.servedBy).toMatch(/^us-east\/gateway@/);
    expect(list.body.total).toBeGreaterThanOrEqual(50);
    expect(new Set(list.body.items.map((p) => p.category)).size).toBeGreaterThan(2);
    product = list.body.items[0];
  });

  it('opens a product page with recommendations', async () => {
    const page = await call<{ product: Product; recommendations: { category: string }[]; degraded: string[] }>('GET', `${EDGE}/api/products/${product.id}`);
    expect(page.status).toBe(200);
    expect(page.body.product.id).toBe(product.id);
    expect(page.body.recommendations.length).toBeGreaterThan(0);
    expect(page.body.recommendations.every((r) => r.category === product.category)).toBe(true);
    expect(page.body.degraded).toEqual([]);
  });

  it('answers bad input with problem JSON and writes nothing', async () => {
    const noKey = await call('POST', `${EDGE}/api/checkout`, cart(product.id));
    expect(noKey.status).toBe(400);
    expect(noKey.headers.get('content-type')).toContain('application/problem+json');
  });

  it('checks out, and the same Idempotency-Key returns the same order with one charge', async () => {
    const key = `e2e-${randomUUID()}`;
    const first = await call<Order>('POST', `${EDGE}/api/checkout`, cart(product.id), { 'idempotency-key': key });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.status).toBe('confirmed');
    expect(first.body.region).toBe('us-east');
    const again = await call<Order>('POST', `${EDGE}/api/checkout`, cart(product.id), { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    const charges = await chargesFor(first.body.id);
    expect(charges).toHaveLength(1);
    expect(charges[0].amountCents).toBe(first.body.totalCents);
    const read = await call<Order>('GET', `${EDGE}/api/orders/${first.body.id}`);
    expect(read.body).toMatchObject({ id: first.body.id, status: 'confirmed' });
    expect(read.headers.get('x-order-source')).toBe('home');
    usEastOrder = first.body;
    // Its events reach eu-west through the replicator: eu-west's checkout soon holds a replica of it.
    const replicaUrl = `http://${config.host}:${config.regions['eu-west'].checkout}/orders/${first.body.id}`;
    const deadline = Date.now() + 20_000;
    let replica = await call<Order>('GET', replicaUrl);
    while (!(replica.status === 200 && replica.body.status === 'confirmed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      replica = await call<Order>('GET', replicaUrl);
    }
    expect(replica.status, JSON.stringify(replica.body)).toBe(200);
    expect(replica.headers.get('x-order-source')).toBe('replica');
    expect(replica.body).toMatchObject({ id: first.body.id, region: 'us-east', status: 'confirmed', payment: first.body.payment, shipment: first.body.shipment });
  });

  type Page = { product: Product; recommendations: { id: string; category: string }[]; degraded: string[] };

  it('serves recommendations from the other region, marked degraded, when this region\'s are stopped', async () => {
    await stack.stop('us-east/recommendations');
    try {
      const other = (await call<ProductList>('GET', `${EDGE}/api/products?limit=100`)).body.items.find((p) => p.category === product.category && p.id !== product.id);
      const page = await call<Page>('GET', `${EDGE}/api/products/${other?.id}`);
      expect(page.status).toBe(200);
      expect(page.servedBy).toMatch(/^us-east\/gateway@/);
      expect(page.body.degraded).toEqual(['recommendations']);
      expect(page.headers.get('x-degraded')).toBe('recommendations');
      expect(page.body.recommendations.length).toBeGreaterThan(0);
      expect(page.body.recommendations.every((r) => r.category === product.category)).toBe(true);

      // Both regions' recommendations down, a product never shown before (nothing cached): the
      // page still answers, with recommendations left out and marked.
      await stack.stop('eu-west/recommendations');
      const unseen = (await call<ProductList>('GET', `${EDGE}/api/products?limit=100`)).body.items.at(-1);
      const bare = await call<Page>('GET', `${EDGE}/api/products/${unseen?.id}`);
      expect(bare.status).toBe(200);
      expect(bare.body.product.id).toBe(unseen?.id);
      expect(bare.body.recommendations).toEqual([]);
      expect(bare.body.degraded).toEqual(['recommendations']);
    } finally {
      await stack.start('us-east/recommendations');
      await stack.start('eu-west/recommendations');
    }
  });

  it('keeps browsing and checkout up through edge when every us-east process is killed', async () => {
    const killed = await stack.kill('us-east', { hold: true });
    expect(killed.map((i) => i.id).sort()).toEqual(['us-east/catalog', 'us-east/checkout', 'us-east/gateway', 'us-east/kafka', 'us-east/recommendations', 'us-east/replicator']);
    for (const service of ['gateway', 'catalog', 'recommendations', 'checkout'] as const) {
      expect(await portClosed(config.regions['us-east'][service]), `us-east ${service} still answers`).toBe(true);
    }
    // The broker's JVM went with its wrapper (the stack kills the process group).
    expect(await portClosed(config.kafka['us-east'].broker), 'the us-east broker still answers').toBe(true);
    const list = await call<ProductList>('GET', `${EDGE}/api/products`);
    expect(list.status).toBe(200);
    expect(list.servedBy).toMatch(/^eu-west\/gateway@/);
    const page = await call<{ product: Product }>('GET', `${EDGE}/api/products/${product.id}`);
    expect(page.status).toBe(200);
    expect(page.servedBy).toMatch(/^eu-west\//);
    const order = await call<Order>('POST', `${EDGE}/api/checkout`, cart(product.id), { 'idempotency-key': `e2e-${randomUUID()}` });
    expect(order.status, JSON.stringify(order.body)).toBe(201);
    expect(order.body).toMatchObject({ status: 'confirmed', region: 'eu-west' });
    expect(await chargesFor(order.body.id)).toHaveLength(1);
    // The order us-east took before it died is still readable, from eu-west's replica.
    const earlier = await call<Order>('GET', `${EDGE}/api/orders/${usEastOrder?.id}`);
    expect(earlier.status, JSON.stringify(earlier.body)).toBe(200);
    expect(earlier.servedBy).toMatch(/^eu-west\/gateway@/);
    expect(earlier.headers.get('x-order-source')).toBe('replica');
    expect(earlier.body).toMatchObject({ id: usEastOrder?.id, region: 'us-east', status: 'confirmed' });
  });

  // A SIGKILLed broker takes ~11 s to come back (its old registration must expire first), and the
  // region's services start after it.
  it('brings us-east back and edge routes to it again', { timeout: 60_000 }, async () => {
    await stack.start('us-east');
    const back = await eventually(async () => (await call('GET', `${EDGE}/api/products`)).servedBy?.startsWith('us-east/') ?? false);
    expect(back).toBe(true);
  });

  it('stops everything and leaves no process or port behind', async () => {
    pids.push(...(await stack.instances()).map((i) => i.pid).filter((pid): pid is number => typeof pid === 'number'));
    const down = cli('down');
    expect(down.status, down.out).toBe(0);
    expect(pids.filter(pidAlive)).toEqual([]);
    for (const port of allPorts) expect(await portClosed(port), `port ${port} still open`).toBe(true);
  });
});
