import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CarrierLedger, FaultSettingsBody, Shipment, ShipmentList, ShipmentRequest } from '@keel/contracts';
import { startServiceProcess, type ServiceProcess } from '@keel/testing';

// The carrier as its own OS process, named as the stack names it.
let carrier: ServiceProcess & { setFaults(faults: FaultSettingsBody): Promise<void> };
let keyCounter = 0;
const newKey = () => `key-${process.pid}-${++keyCounter}`;

function post(path: string, body: unknown, key?: string): Promise<Response> {
  return fetch(`${carrier.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
}

const request = (reference: string, quantity = 1): ShipmentRequest => ({ reference, items: [{ productId: 'p-001', quantity }] });
const schedule = (reference: string, quantity = 1, key = newKey()) => post('/shipments', request(reference, quantity), key);
const scheduled = async (reference: string) => (await (await schedule(reference)).json()) as Shipment;
const cancel = (id: string) => fetch(`${carrier.url}/shipments/${id}/cancel`, { method: 'POST' });
const shipmentsFor = async (reference: string) => ((await (await fetch(`${carrier.url}/shipments?reference=${encodeURIComponent(reference)}`)).json()) as ShipmentList).items;
const typeOf = async (answer: Response) => ((await answer.json()) as { type: string }).type;
const ledger = async () => (await (await carrier.admin('GET', '/admin/shipments')).json()) as CarrierLedger;

beforeAll(async () => {
  const started = await startServiceProcess('carrier', { env: { KEEL_INSTANCE: 'carrier', KEEL_REGION: 'global' } });
  carrier = Object.assign(started, {
    // Throws when the carrier refuses the settings, so a test cannot run unfaulted by mistake.
    async setFaults(faults: FaultSettingsBody) {
      const answer = await started.admin('PUT', '/admin/faults', faults);
      if (!answer.ok) throw new Error(`carrier refused fault settings ${JSON.stringify(faults)}: ${answer.status} ${await answer.text()}`);
    },
  });
});

afterAll(async () => {
  await carrier?.stop();
});

afterEach(async () => {
  await carrier.setFaults({ mode: 'none' });
});

describe('scheduling', () => {
  it('schedules once per idempotency key: 201, then 200 with the same shipment and one row', async () => {
    const key = newKey();
    const body = { reference: 'ord-1', items: [{ productId: 'p-001', quantity: 2 }, { productId: 'p-002', quantity: 1 }] };
    const first = await post('/shipments', body, key);
    expect(first.status).toBe(201);
    const created = (await first.json()) as Shipment;
    expect(created).toMatchObject({ carrier: 'carrier', idempotencyKey: key, status: 'scheduled', ...body });
    expect(created.id).toMatch(/^shp_[0-9a-f-]{36}$/);
    expect(created.cancelledAt).toBeUndefined();
    const again = await post('/shipments', { items: body.items, reference: 'ord-1' }, key);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(created);
    expect(await shipmentsFor('ord-1')).toEqual([created]);
    expect((await ledger()).shipments.filter((s) => s.idempotencyKey === key)).toHaveLength(1);
    expect(await (await fetch(`${carrier.url}/shipments/${created.id}`)).json()).toEqual(created);
  });

  it('schedules exactly once when ten requests with one key arrive together', async () => {
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 10 }, () => schedule('ord-concurrent', 1, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as Shipment).id)));
    expect(ids.size).toBe(1);
    expect(await shipmentsFor('ord-concurrent')).toHaveLength(1);
  });

  it('lets keys decide: a second key for the same reference is a second shipment', async () => {
    expect((await schedule('ord-two-keys')).status).toBe(201);
    expect((await schedule('ord-two-keys')).status).toBe(201);
    expect(await shipmentsFor('ord-two-keys')).toHaveLength(2);
  });

  it('refuses a reused key with a different body (422), writing nothing', async () => {
    const key = newKey();
    expect((await schedule('ord-reuse', 1, key)).status).toBe(201);
    for (const other of [request('ord-reuse', 2), request('ord-reuse-elsewhere', 1)]) {
      const reused = await post('/shipments', other, key);
      expect(reused.status).toBe(422);
      expect(reused.headers.get('content-type')).toContain('application/problem+json');
      expect(await typeOf(reused)).toBe('/problems/idempotency-key-reused');
    }
    expect(await shipmentsFor('ord-reuse')).toHaveLength(1);
    expect(await shipmentsFor('ord-reuse-elsewhere')).toHaveLength(0);
  });

  it('needs an Idempotency-Key of 1..200 characters (400), writing nothing', async () => {
    for (const key of [undefined, '', '   ', 'k'.repeat(201)]) {
      const answer = await post('/shipments', request('ord-keyless'), key);
      expect(answer.status, JSON.stringify(key)).toBe(400);
      expect(await typeOf(answer)).toBe('/problems/idempotency-key-required');
    }
    expect((await post('/shipments', request('ord-long-key'), 'k'.repeat(200))).status).toBe(201);
    expect(await shipmentsFor('ord-keyless')).toHaveLength(0);
  });

  it('refuses bad bodies with a 400 problem, writing nothing', async () => {
    const before = (await ledger()).shipments.length;
    const item = { productId: 'p-001', quantity: 1 };
    const bad = [
      {},
      { reference: '', items: [item] },
      { reference: 'ord-bad', items: [] },
      { reference: 'ord-bad', items: Array.from({ length: 51 }, () => item) },
      { reference: 'ord-bad', items: [{ productId: 'p-001', quantity: 0 }] },
      { reference: 'ord-bad', items: [{ productId: 'p-001', quantity: 101 }] },
      { reference: 'ord-bad', items: [{ productId: 'p-001', quantity: 1.5 }] },
      { reference: 'ord-bad', items: [{ productId: '', quantity: 1 }] },
      { reference: 'ord-bad', items: [{ ...item, colour: 'red' }] },
      { reference: 'ord-bad', items: [item], express: true },
    ];
    for (const body of bad) {
      const answer = await post('/shipments', body, newKey());
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await post('/shipments', { reference: 'ord-edge', items: Array.from({ length: 50 }, () => ({ productId: 'p-001', quantity: 100 })) }, newKey())).status).toBe(201);
    expect((await ledger()).shipments.length).toBe(before + 1);
  });
});

describe('cancelling', () => {
  it('is idempotent: 200 cancelled, and again the same answer with the first cancelledAt', async () => {
    const shipment = await scheduled('ord-cancel');
    const first = await cancel(shipment.id);
    expect(first.status).toBe(200);
    const cancelled = (await first.json()) as Shipment;
    expect(cancelled).toMatchObject({ id: shipment.id, status: 'cancelled', createdAt: shipment.createdAt });
    expect(Date.parse(cancelled.cancelledAt ?? '')).toBeGreaterThanOrEqual(Date.parse(shipment.createdAt));
    const second = await cancel(shipment.id);
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(cancelled);
    expect(await shipmentsFor('ord-cancel')).toEqual([cancelled]);
  });

  it('accepts an empty JSON body too', async () => {
    const shipment = await scheduled('ord-cancel-body');
    const answer = await post(`/shipments/${shipment.id}/cancel`, {});
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as Shipment).status).toBe('cancelled');
  });

  it('does not revive a cancelled shipment when its schedule is replayed', async () => {
    const key = newKey();
    const shipment = (await (await schedule('ord-replay-after-cancel', 1, key)).json()) as Shipment;
    await cancel(shipment.id);
    const replay = await schedule('ord-replay-after-cancel', 1, key);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ id: shipment.id, status: 'cancelled' });
  });
});

describe('lookups', () => {
  it('answer 404 problems for unknown shipments and 400 without a reference', async () => {
    for (const answer of [await fetch(`${carrier.url}/shipments/shp_nope`), await cancel('shp_nope')]) {
      expect(answer.status).toBe(404);
      expect(await typeOf(answer)).toBe('/problems/shipment-not-found');
    }
    const noReference = await fetch(`${carrier.url}/shipments`);
    expect(noReference.status).toBe(400);
    expect(await typeOf(noReference)).toBe('/problems/reference-required');
    expect(await shipmentsFor('ord-never')).toEqual([]);
  });
});

describe('fault controls', () => {
  it('live on the admin port behind the token, never on the public port', async () => {
    expect((await fetch(`${carrier.adminUrl}/admin/faults`)).status).toBe(401);
    expect((await fetch(`${carrier.adminUrl}/admin/shipments`)).status).toBe(401);
    expect((await fetch(`${carrier.url}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"fail"}' })).status).toBe(404);
    expect((await fetch(`${carrier.url}/admin/shipments`)).status).toBe(404);
    expect((await schedule('ord-after-anonymous-put')).status).toBe(201);
    expect((await ledger()).carrier).toBe('carrier');
  });

  it('refuse bad settings with a 400 problem and keep the old ones', async () => {
    await carrier.setFaults({ mode: 'decline' });
    const bad = await carrier.admin('PUT', '/admin/faults', { mode: 'explode', rate: 7 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await (await carrier.admin('GET', '/admin/faults')).json()).toEqual({ mode: 'decline', rate: 1 });
  });

  it('fail: 503 on schedule and cancel, before validation, nothing written', async () => {
    const shipment = await scheduled('ord-fail-cancel');
    await carrier.setFaults({ mode: 'fail' });
    const answer = await schedule('ord-fail');
    expect(answer.status).toBe(503);
    expect(await typeOf(answer)).toBe('/problems/unavailable');
    expect((await post('/shipments', { nonsense: true }, newKey())).status).toBe(503);
    expect((await cancel(shipment.id)).status).toBe(503);
    await carrier.setFaults({ mode: 'none' });
    expect(await shipmentsFor('ord-fail')).toHaveLength(0);
    expect((await shipmentsFor('ord-fail-cancel'))[0].status).toBe('scheduled');
  });

  it('refuse: 429 with Retry-After on schedule and cancel', async () => {
    const shipment = await scheduled('ord-refuse-cancel');
    await carrier.setFaults({ mode: 'refuse' });
    const answer = await schedule('ord-refuse');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(await typeOf(answer)).toBe('/problems/too-many-requests');
    expect((await cancel(shipment.id)).status).toBe(429);
    await carrier.setFaults({ mode: 'none' });
    expect(await shipmentsFor('ord-refuse')).toHaveLength(0);
    expect((await shipmentsFor('ord-refuse-cancel'))[0].status).toBe('scheduled');
  });

  it('decline: 422 shipment-refused on schedule, while cancels and reads go through', async () => {
    const shipment = await scheduled('ord-decline-cancel');
    await carrier.setFaults({ mode: 'decline' });
    const answer = await schedule('ord-decline');
    expect(answer.status).toBe(422);
    expect(await typeOf(answer)).toBe('/problems/shipment-refused');
    const cancelled = await cancel(shipment.id);
    expect(cancelled.status).toBe(200);
    expect(((await cancelled.json()) as Shipment).status).toBe('cancelled');
    expect(await shipmentsFor('ord-decline')).toHaveLength(0);
  });

  it('slow: waits, then schedules and cancels', async () => {
    await carrier.setFaults({ mode: 'slow', delayMs: 250 });
    let started = performance.now();
    const answer = await schedule('ord-slow');
    expect(answer.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    started = performance.now();
    expect((await cancel(((await answer.json()) as Shipment).id)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('rate 0 hits nothing', async () => {
    await carrier.setFaults({ mode: 'fail', rate: 0 });
    expect((await schedule('ord-rate-0')).status).toBe(201);
  });
});
