import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEADLINE_BAGGAGE } from '@keel/resilience';
import { startFixtureServer, type FixtureServer } from '@keel/testing';
import { bootstrapService, type RunningService } from '../bootstrap';
import type { BaseEnv } from '../env';
import { DeadlineProbeModule, type HopReport } from '../testing/deadline-probe';

let lastHop: FixtureServer;
let gateway: RunningService<BaseEnv>;
let service: RunningService<BaseEnv>;
const environment = (name: string) => ({ KEEL_SERVICE: name, KEEL_REGION: 'test', PORT: '0', KEEL_LOG_LEVEL: 'silent' });

beforeAll(async () => {
  lastHop = await startFixtureServer((_request, res) => res.end('{}'));
  [gateway, service] = await Promise.all([
    bootstrapService({ module: DeadlineProbeModule, environment: environment('gateway'), trustBoundary: { deadlines: { readMs: 1_000, routes: { 'POST /hop': 3_000 } } } }),
    bootstrapService({ module: DeadlineProbeModule, environment: environment('inner') }),
  ]);
});

afterAll(async () => {
  await Promise.all([gateway?.app.close(), service?.app.close(), lastHop?.stop()]);
});

let ids = 0;
/** Calls `base/hop`, which calls on to the last hop; returns its report and the baggage the last hop saw. */
async function viaHop(base: string, init: { headers?: Record<string, string>; sleep?: number } = {}) {
  const id = `r${++ids}`;
  const response = await fetch(`${base}/hop?sleep=${init.sleep ?? 0}&next=${encodeURIComponent(`${lastHop.url}/last?id=${id}`)}`, { headers: init.headers });
  const seen = lastHop.requests.find((r) => r.url === `/last?id=${id}`);
  const baggage = new URLSearchParams([seen?.headers.baggage ?? ''].flat().join(',').replaceAll(',', '&'));
  return { response, body: (await response.json()) as HopReport & { type?: string }, reached: Boolean(seen), baggage };
}

describe('a service inside the platform', () => {
  it('makes the deadline it receives in baggage current in the handler', async () => {
    const { body, baggage } = await viaHop(service.url, { headers: { baggage: `${DEADLINE_BAGGAGE.budget}=500` } });
    expect(body.remainingAtStart).toBeGreaterThan(400);
    expect(body.remainingAtStart).toBeLessThanOrEqual(500);
    expect(Number(baggage.get(DEADLINE_BAGGAGE.budget))).toBeLessThanOrEqual(450);
  });

  it('keeps the deadline current through body parsing', async () => {
    const response = await fetch(`${service.url}/hop`, { method: 'POST', headers: { 'content-type': 'application/json', baggage: `${DEADLINE_BAGGAGE.budget}=700` }, body: '{"x":1}' });
    const body = (await response.json()) as HopReport;
    expect(body.remainingAtStart).toBeGreaterThan(500);
    expect(body.remainingAtStart).toBeLessThanOrEqual(700);
  });

  it('answers 504 without running the handler when the deadline has already passed', async () => {
    const { response, body, reached } = await viaHop(service.url, { headers: { baggage: `${DEADLINE_BAGGAGE.budget}=0` } });
    expect(response.status).toBe(504);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(body.type).toBe('/problems/deadline-exceeded');
    expect(reached).toBe(false);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/keel_deadline_expired_total\{[^}]*stage="inbound"[^}]*\} [1-9]/);
  });

  it('does not start a downstream call once the deadline has passed mid-handler', async () => {
    const { response, body, reached } = await viaHop(service.url, { headers: { baggage: `${DEADLINE_BAGGAGE.budget}=200` }, sleep: 300 });
    expect(response.status).toBe(200);
    expect(body.next).toEqual({ status: 504, type: '/problems/deadline-exceeded' });
    expect(reached).toBe(false);
  });

  it('has no deadline, and passes none on, when none came', async () => {
    const { body, baggage, reached } = await viaHop(service.url);
    expect(body.remainingAtStart).toBeNull();
    expect(reached).toBe(true);
    expect(baggage.get(DEADLINE_BAGGAGE.budget)).toBeNull();
  });
});

describe('the trust boundary (gateway)', () => {
  it('ignores and drops baggage from outside, and sets the route deadline instead', async () => {
    const { response, body, baggage } = await viaHop(gateway.url, { headers: { baggage: `${DEADLINE_BAGGAGE.budget}=0,tenant=evil` } });
    expect(response.status).toBe(200);
    expect(body.remainingAtStart).toBeGreaterThan(900);
    expect(baggage.get('tenant')).toBeNull();
    const budget = Number(baggage.get(DEADLINE_BAGGAGE.budget));
    expect(budget).toBeGreaterThan(800);
    expect(budget).toBeLessThanOrEqual(900);
  });

  it('uses a per-route deadline where one is configured', async () => {
    const response = await fetch(`${gateway.url}/hop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(((await response.json()) as HopReport).remainingAtStart).toBeGreaterThan(2_800);
  });

  it('lets a client ask for less with Request-Timeout (seconds), never more', async () => {
    const shorter = await viaHop(gateway.url, { headers: { 'request-timeout': '0.3' } });
    expect(shorter.body.remainingAtStart).toBeLessThanOrEqual(300);
    expect(Number(shorter.baggage.get(DEADLINE_BAGGAGE.budget))).toBeLessThanOrEqual(270);
    const longer = await viaHop(gateway.url, { headers: { 'request-timeout': '60' } });
    expect(longer.body.remainingAtStart).toBeLessThanOrEqual(1_000);
  });

  it('refuses a Request-Timeout that is not a positive number of seconds', async () => {
    for (const value of ['soon', '0', '-1', '1e3']) {
      const { response, body, reached } = await viaHop(gateway.url, { headers: { 'request-timeout': value } });
      expect(response.status, value).toBe(400);
      expect(body.type).toBe('/problems/invalid-request-timeout');
      expect(reached).toBe(false);
    }
  });

  it('never puts a deadline on probes or metrics', async () => {
    for (const path of ['/health/live', '/health/ready', '/metrics']) {
      expect((await fetch(`${gateway.url}${path}`, { headers: { 'request-timeout': 'soon' } })).status, path).toBe(200);
    }
  });
});
