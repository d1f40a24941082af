import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Charge, ChargeList, ProviderFaults, ProviderLedger, Refund } from '@keel/contracts';
import { startServiceProcess, type ServiceProcess } from '@keel/testing';

// The provider as its own OS process, named as the stack names it.
let provider: ServiceProcess;
let keyCounter = 0;
const newKey = () => `key-${process.pid}-${++keyCounter}`;

function post(path: string, body: unknown, key?: string): Promise<Response> {
  return fetch(`${provider.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  });
}

const charge = (reference: string, amountCents = 1000, key = newKey()) => post('/charges', { amountCents, currency: 'USD', reference }, key);
const chargesFor = async (reference: string) => ((await (await fetch(`${provider.url}/charges?reference=${encodeURIComponent(reference)}`)).json()) as ChargeList).items;
const setFaults = (faults: ProviderFaults) => provider.admin('PUT', '/admin/faults', faults);

beforeAll(async () => {
  provider = await startServiceProcess('payment-provider', { env: { KEEL_INSTANCE: 'provider-a', KEEL_REGION: 'global' } });
});

afterAll(async () => {
  await provider?.stop();
});

afterEach(async () => {
  await setFaults({ mode: 'none' });
});

describe('charges', () => {
  it('capture once per idempotency key: 201, then 200 with the same charge', async () => {
    const key = newKey();
    const first = await charge('order-1', 2599, key);
    expect(first.status).toBe(201);
    const created = (await first.json()) as Charge;
    expect(created).toMatchObject({ provider: 'provider-a', amountCents: 2599, refundedCents: 0, currency: 'USD', reference: 'order-1', status: 'captured', idempotencyKey: key });
    const again = await charge('order-1', 2599, key);
    expect(again.status).toBe(200);
    expect(((await again.json()) as Charge).id).toBe(created.id);
    expect(await chargesFor('order-1')).toHaveLength(1);
    expect(((await (await fetch(`${provider.url}/charges/${created.id}`)).json()) as Charge).id).toBe(created.id);
  });

  it('capture exactly once when ten requests with one key arrive together', async () => {
    const key = newKey();
    const answers = await Promise.all(Array.from({ length: 10 }, () => charge('order-concurrent', 500, key)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(await Promise.all(answers.map(async (a) => ((await a.json()) as Charge).id)));
    expect(ids.size).toBe(1);
    expect(await chargesFor('order-concurrent')).toHaveLength(1);
  });

  it('refuse a reused key with a different body (422) and a write without a key (400), writing nothing', async () => {
    const key = newKey();
    expect((await charge('order-2', 100, key)).status).toBe(201);
    const reused = await charge('order-2', 200, key);
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await reused.json()) as { type: string }).type).toBe('/problems/idempotency-key-reused');
    const keyless = await post('/charges', { amountCents: 100, currency: 'USD', reference: 'order-keyless' });
    expect(keyless.status).toBe(400);
    expect(((await keyless.json()) as { type: string }).type).toBe('/problems/idempotency-key-required');
    expect(await chargesFor('order-2')).toHaveLength(1);
    expect(await chargesFor('order-keyless')).toHaveLength(0);
  });

  it('validate bodies and lookups', async () => {
    expect((await post('/charges', { amountCents: 0, currency: 'EUR', reference: '' }, newKey())).status).toBe(400);
    expect((await post('/charges', { amountCents: 1.5, currency: 'USD', reference: 'x' }, newKey())).status).toBe(400);
    expect((await fetch(`${provider.url}/charges`)).status).toBe(400);
    const missing = await fetch(`${provider.url}/charges/ch_nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { type: string }).type).toBe('/problems/charge-not-found');
  });
});

describe('refunds', () => {
  it('never add up to more than the charge, and mark it refunded when complete', async () => {
    const created = (await (await charge('order-refund', 1000)).json()) as Charge;
    const firstKey = newKey();
    const first = await post(`/charges/${created.id}/refunds`, { amountCents: 600 }, firstKey);
    expect(first.status).toBe(201);
    const refund = (await first.json()) as Refund;
    expect(refund).toMatchObject({ chargeId: created.id, amountCents: 600 });
    const replay = await post(`/charges/${created.id}/refunds`, { amountCents: 600 }, firstKey);
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as Refund).id).toBe(refund.id);
    const tooMuch = await post(`/charges/${created.id}/refunds`, { amountCents: 401 }, newKey());
    expect(tooMuch.status).toBe(409);
    expect(await tooMuch.json()).toMatchObject({ type: '/problems/refund-exceeds-charge', refundableCents: 400 });
    expect((await post(`/charges/${created.id}/refunds`, { amountCents: 400 }, newKey())).status).toBe(201);
    const after = (await (await fetch(`${provider.url}/charges/${created.id}`)).json()) as Charge;
    expect(after).toMatchObject({ refundedCents: 1000, status: 'refunded' });
    expect((await post(`/charges/${created.id}/refunds`, { amountCents: 1 }, newKey())).status).toBe(409);
  });

  it('need a key, a known charge, and a key not already spent on something else', async () => {
    const chargeKey = newKey();
    const created = (await (await charge('order-refund-2', 1000, chargeKey)).json()) as Charge;
    expect((await post(`/charges/${created.id}/refunds`, { amountCents: 1 })).status).toBe(400);
    expect((await post('/charges/ch_nope/refunds', { amountCents: 1 }, newKey())).status).toBe(404);
    const reused = await post(`/charges/${created.id}/refunds`, { amountCents: 1 }, chargeKey);
    expect(reused.status).toBe(422);
    const ledger = (await (await provider.admin('GET', '/admin/charges')).json()) as ProviderLedger;
    expect(ledger.refunds.filter((r) => r.chargeId === created.id)).toHaveLength(0);
  });
});

describe('fault controls', () => {
  it('live on the admin port behind the token, never on the public port', async () => {
    expect((await fetch(`${provider.adminUrl}/admin/faults`)).status).toBe(401);
    expect((await fetch(`${provider.adminUrl}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"fail"}' })).status).toBe(401);
    expect((await fetch(`${provider.url}/admin/faults`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"mode":"fail"}' })).status).toBe(404);
    expect((await fetch(`${provider.url}/admin/charges`)).status).toBe(404);
    expect((await charge('order-after-anonymous-put')).status).toBe(201);
  });

  it('refuse bad settings with a 400 problem and keep the old ones', async () => {
    expect((await setFaults({ mode: 'decline' })).status).toBe(200);
    const bad = await provider.admin('PUT', '/admin/faults', { mode: 'explode', rate: 7 });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(await (await provider.admin('GET', '/admin/faults')).json()).toEqual({ mode: 'decline', rate: 1 });
  });

  it('fail: 503 and nothing written', async () => {
    await setFaults({ mode: 'fail' });
    const answer = await charge('order-fail');
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { type: string }).type).toBe('/problems/provider-unavailable');
    await setFaults({ mode: 'none' });
    expect(await chargesFor('order-fail')).toHaveLength(0);
  });

  it('refuse: 429 with Retry-After, and refunds are faulted too', async () => {
    const created = (await (await charge('order-refuse')).json()) as Charge;
    await setFaults({ mode: 'refuse' });
    const answer = await charge('order-refuse-2');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect((await post(`/charges/${created.id}/refunds`, { amountCents: 1 }, newKey())).status).toBe(429);
    await setFaults({ mode: 'none' });
    expect(((await (await fetch(`${provider.url}/charges/${created.id}`)).json()) as Charge).refundedCents).toBe(0);
  });

  it('decline: 402 payment-declined, while reads stay unfaulted', async () => {
    await setFaults({ mode: 'decline' });
    const answer = await charge('order-decline');
    expect(answer.status).toBe(402);
    expect(((await answer.json()) as { type: string }).type).toBe('/problems/payment-declined');
    expect(await chargesFor('order-decline')).toHaveLength(0);
  });

  it('slow: waits, then captures', async () => {
    await setFaults({ mode: 'slow', delayMs: 300 });
    const started = performance.now();
    const answer = await charge('order-slow');
    expect(answer.status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rate 0 hits nothing', async () => {
    await setFaults({ mode: 'fail', rate: 0 });
    expect((await charge('order-rate-0')).status).toBe(201);
  });
});
