import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addRouteHooks, type RouteTraits } from './route-hooks';

const seen: string[] = [];
const declared: RouteTraits[] = [];
const app = Fastify();

beforeAll(async () => {
  addRouteHooks(app, (route) => {
    declared.push(route);
    return { onRequest: (request, _reply, done) => void (seen.push(`first ${route.template} ${request.url}`), done()) };
  });
  addRouteHooks(app, (route) => ({ onRequest: (_request, _reply, done) => void (seen.push(`second ${route.template}`), done()) }));
  app.get('/products/:id', { config: { keelFeature: 'product-detail' } }, async () => ({ ok: true }));
  app.post('/orders', { onRequest: (_request, _reply, done) => void (seen.push('own'), done()) }, async () => ({ ok: true }));
  app.get('/health/live', async () => ({ ok: true }));
  app.get('/metrics', async () => 'ok');
  await app.ready();
});
afterAll(() => app.close());

describe('per-route hooks', () => {
  it('gives each route its facts once, when it is declared, and none to probes and scrapes', () => {
    // GET /products/:id, the HEAD route Fastify adds beside it, POST /orders.
    expect(declared.map((r) => `${r.template} ${r.feature ?? '-'}`)).toEqual(['/products/:id product-detail', '/products/:id product-detail', '/orders -']);
  });

  it('runs after the route’s own hooks, in the order the concerns were added', async () => {
    seen.length = 0;
    await app.inject({ method: 'POST', url: '/orders' });
    expect(seen).toEqual(['own', 'first /orders /orders', 'second /orders']);
    seen.length = 0;
    await app.inject('/products/p-1?x=1');
    expect(seen).toEqual(['first /products/:id /products/p-1?x=1', 'second /products/:id']);
  });

  it('runs nothing for probes, scrapes and unmatched requests', async () => {
    seen.length = 0;
    for (const url of ['/health/live', '/metrics', '/nowhere']) await app.inject(url);
    expect(seen).toEqual([]);
  });
});
