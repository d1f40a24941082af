import { request as httpRequest } from 'node:http';
import { eventually } from '@keel/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeHarness, type EdgeHarness } from '../testing/edge-harness';

let h: EdgeHarness;

/** GET with the path sent exactly as written: fetch would resolve `..` segments before sending. */
function rawGet(path: string): Promise<{ status: number; contentType?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${h.edge.url}${path}`, { method: 'GET', path }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}
interface Echo {
  region: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

beforeAll(async () => {
  h = await startEdgeHarness(200);
});

afterAll(async () => {
  await h?.close();
});

describe('edge routing', () => {
  it('sends a client to the region it names, keeping the gateway’s x-served-by', async () => {
    const response = await h.request('/api/products?limit=2', { region: 'eu-west' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-region')).toBe('eu-west');
    expect(response.headers.get('x-served-by')).toBe('eu-west/gateway@1.0.0');
    expect(response.headers.get('x-fixture-header')).toBe('kept');
    expect(((await response.json()) as Echo).url).toBe('/api/products?limit=2');
  });

  it('sends a client that names no known region to the default region', async () => {
    for (const region of [undefined, 'mars']) {
      const response = await h.request('/api/products', { region });
      expect(response.headers.get('x-edge-region'), String(region)).toBe('us-east');
      expect(response.headers.get('x-served-by')).toBe('us-east/gateway@1.0.0');
    }
  });

  it('passes method, body and end-to-end headers, sets x-forwarded-*, and strips outside baggage', async () => {
    const response = await h.request('/api/checkout', {
      method: 'POST',
      region: 'us-east',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'key-1', baggage: 'keel.deadline=9999999999999', 'x-forwarded-for': '10.9.9.9', 'x-trace-me': 'yes' },
      body: JSON.stringify({ items: [{ productId: 'p-001', quantity: 1 }] }),
    });
    const echo = (await response.json()) as Echo;
    expect(echo.method).toBe('POST');
    expect(JSON.parse(echo.body)).toEqual({ items: [{ productId: 'p-001', quantity: 1 }] });
    expect(echo.headers['content-type']).toBe('application/json');
    expect(echo.headers['idempotency-key']).toBe('key-1');
    expect(echo.headers['x-trace-me']).toBe('yes');
    expect(echo.headers['x-client-region']).toBe('us-east');
    expect(echo.headers.baggage).toBeUndefined();
    expect(echo.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(echo.headers['x-forwarded-proto']).toBe('http');
  });

  it('passes a body of any content type through unchanged', async () => {
    const response = await h.request('/api/upload', { method: 'PUT', headers: { 'content-type': 'text/csv', 'idempotency-key': 'k' }, body: 'a,b\n1,2\n' });
    expect(((await response.json()) as Echo).body).toBe('a,b\n1,2\n');
    const untyped = await h.request('/api/upload', { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(untyped.status).toBe(200);
  });

  it('answers HEAD with the gateway’s status and headers', async () => {
    const response = await h.request('/api/products', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-edge-region')).toBe('us-east');
  });

  it('never reaches gateway admin or health routes, and serves its own health and metrics', async () => {
    const before = h.usEast.count('other') + h.euWest.count('other');
    for (const path of ['/admin/info', '/health/ready/../../admin/info', '/api/../admin/info', '/api/%2e%2e/admin/info', '/api/.%2E/health/ready', '/gateway/health/ready']) {
      const response = await rawGet(path);
      expect([400, 404], path).toContain(response.status);
      expect(response.contentType, path).toContain('application/problem+json');
    }
    const health = await h.request('/health/ready');
    expect(health.status).toBe(200);
    expect(health.headers.get('x-served-by')).toBe('global/edge@1.0.0');
    expect(h.usEast.count('other') + h.euWest.count('other')).toBe(before);
  });

  it('fails over while a region’s health check fails, and comes back when it passes', async () => {
    h.usEast.ready = false;
    try {
      expect(await h.routable('us-east', false)).toBe(true);
      const response = await h.request('/api/products', { region: 'us-east' });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-edge-region')).toBe('eu-west');
    } finally {
      h.usEast.ready = true;
    }
    expect(await eventually(async () => (await h.request('/api/products')).headers.get('x-edge-region') === 'us-east', 2_000)).toBe(true);
  });

  it('answers 503 with Retry-After when no region is routable', async () => {
    h.usEast.ready = false;
    h.euWest.ready = false;
    try {
      expect(await h.routable('us-east', false)).toBe(true);
      expect(await h.routable('eu-west', false)).toBe(true);
      const apiBefore = h.usEast.count('api') + h.euWest.count('api');
      const response = await h.request('/api/products');
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ type: '/problems/no-region-available', status: 503 });
      expect(h.usEast.count('api') + h.euWest.count('api')).toBe(apiBefore);
    } finally {
      h.usEast.ready = true;
      h.euWest.ready = true;
    }
    expect(await h.routable('us-east')).toBe(true);
  });

  it('exports requests by region and outcome, failovers and region up/down', async () => {
    await h.request('/api/products', { region: 'eu-west' });
    const text = await (await h.request('/metrics')).text();
    expect(text).toMatch(/edge_requests_total\{[^}]*region="eu-west"[^}]*outcome="ok"[^}]*\} [1-9]/);
    expect(text).toMatch(/edge_failovers_total\{[^}]*from="us-east"[^}]*to="eu-west"[^}]*\} [1-9]/);
    expect(text).toMatch(/edge_region_up\{[^}]*region="us-east"[^}]*\} 1/);
  });
});
