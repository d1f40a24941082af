import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEdgeHarness, type EdgeHarness } from '../testing/edge-harness';

/** Long enough that a region closed right after a passing check stays "up" for edge while a test runs. */
const HEALTH_INTERVAL_MS = 1_000;
let h: EdgeHarness;

beforeAll(async () => {
  h = await startEdgeHarness(HEALTH_INTERVAL_MS);
});

afterAll(async () => {
  await h?.close();
});

beforeEach(async () => {
  await h.usEast.restart();
  h.usEast.api = 'echo';
  expect(await h.routable('us-east')).toBe(true);
});

/** us-east goes away just after passing a health check: edge still believes it is up. */
async function closeUsEastBehindEdgesBack(): Promise<void> {
  await h.usEast.closeAfterNextHealthCheck();
}

const post = (headers: Record<string, string> = {}) =>
  h.request('/api/checkout', { method: 'POST', region: 'us-east', headers: { 'content-type': 'application/json', ...headers }, body: '{"items":[]}' });

describe('edge when a region refuses connections', () => {
  it('retries a GET once on the other region, which answers', async () => {
    await closeUsEastBehindEdgesBack();
    const euBefore = h.euWest.count('api');
    const response = await h.request('/api/products/p-001', { region: 'us-east' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-region')).toBe('eu-west');
    expect(response.headers.get('x-served-by')).toBe('eu-west/gateway@1.0.0');
    expect(h.euWest.count('api')).toBe(euBefore + 1);
    const metrics = await (await h.request('/metrics')).text();
    const retried = metrics.split('\n').find((line) => line.startsWith('edge_failovers_total{') && line.includes('from="us-east"') && line.includes('reason="retry"'));
    expect(retried).toMatch(/to="eu-west".* [1-9]\d*$/);
  });

  it('never retries a POST without an Idempotency-Key: it answers a problem', async () => {
    await closeUsEastBehindEdgesBack();
    const euBefore = h.euWest.count('api');
    const response = await post();
    expect([502, 503]).toContain(response.status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ type: '/problems/region-unreachable', region: 'us-east' });
    expect(h.euWest.count('api')).toBe(euBefore);
  });

  it('retries a POST carrying an Idempotency-Key on the other region', async () => {
    await closeUsEastBehindEdgesBack();
    const response = await post({ 'idempotency-key': 'retry-me' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-region')).toBe('eu-west');
    const echo = (await response.json()) as { headers: Record<string, string>; body: string };
    expect(echo.headers['idempotency-key']).toBe('retry-me');
    expect(echo.body).toBe('{"items":[]}');
  });
});

describe('edge when a region drops the connection mid-request', () => {
  it('retries a GET on the other region', async () => {
    h.usEast.api = 'reset';
    const response = await h.request('/api/products', { region: 'us-east' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-region')).toBe('eu-west');
  });

  it('does not retry a keyed POST elsewhere: the first region may have placed the order', async () => {
    h.usEast.api = 'reset';
    const euBefore = h.euWest.count('api');
    const response = await post({ 'idempotency-key': 'maybe-placed' });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ type: '/problems/region-unreachable', region: 'us-east' });
    expect(h.euWest.count('api')).toBe(euBefore);
  });
});

describe('edge when a region answers 503', () => {
  it('retries a GET elsewhere and sends the region nothing until a health check passes again', async () => {
    h.usEast.api = 'unavailable';
    const failedAt = h.usEast.seen.length;
    const response = await h.request('/api/products', { region: 'us-east' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-region')).toBe('eu-west');
    expect(h.usEast.seen.slice(failedAt).filter((r) => r.kind === 'api')).toHaveLength(1);
    h.usEast.api = 'echo';

    // Keep asking for us-east until its health check has passed again.
    const answeredBy: string[] = [];
    for (let i = 0; i < 200 && answeredBy.at(-1) !== 'us-east'; i++) {
      const next = await h.request('/api/products', { region: 'us-east' });
      answeredBy.push(next.headers.get('x-edge-region') ?? '');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(answeredBy.at(-1)).toBe('us-east');
    expect(answeredBy.filter((r) => r === 'eu-west').length).toBeGreaterThan(0);

    // In us-east's own log: after the failing request, a health check came before any more traffic.
    const after = h.usEast.seen.slice(failedAt + 1);
    const firstApi = after.findIndex((r) => r.kind === 'api');
    const firstHealth = after.findIndex((r) => r.kind === 'health');
    expect(firstHealth).toBeGreaterThanOrEqual(0);
    expect(firstHealth).toBeLessThan(firstApi);
  });

  it('passes a 503 through unretried for a POST without a key', async () => {
    h.usEast.api = 'unavailable';
    const euBefore = h.euWest.count('api');
    const response = await post();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.headers.get('x-served-by')).toBe('us-east/gateway@1.0.0');
    expect(h.euWest.count('api')).toBe(euBefore);
  });

  it('passes a shed 503 through: no retry elsewhere, and the region stays in rotation', async () => {
    h.usEast.api = 'shedding';
    const euBefore = h.euWest.count('api');
    const response = await h.request('/api/products/p-001', { region: 'us-east' });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(((await response.json()) as { type: string }).type).toBe('/problems/overloaded');
    expect(h.euWest.count('api')).toBe(euBefore);
    // Still in rotation: the very next request goes to us-east, not to eu-west until a health check.
    h.usEast.api = 'echo';
    const next = await h.request('/api/products/p-001', { region: 'us-east' });
    expect(next.headers.get('x-served-by')).toBe('us-east/gateway@1.0.0');
  });
});
