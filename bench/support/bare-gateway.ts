/**
 * The peer keel's gateway is measured against: the same product page with nothing keel adds.
 * Fastify, two undici keep-alive pools (32 connections each, as keel's HttpDependency), the same
 * two downstream calls in parallel, the same JSON parsing and composition, and the same answer
 * shape — no Nest, no validation, no resilience policies, no deadline, no telemetry, no logging.
 *
 *   CATALOG_URL=… RECOMMENDATIONS_URL=… node -r @swc-node/register bench/support/bare-gateway.ts
 *
 * Prints `listening <url>` once it listens on 127.0.0.1 on a port the OS picked.
 */
import Fastify from 'fastify';
import { Pool } from 'undici';
import type { Product, RecommendationList } from '@keel/contracts';

async function getJson<T>(pool: Pool, path: string): Promise<{ status: number; body: T }> {
  const response = await pool.request({ method: 'GET', path, headers: { accept: 'application/json' } });
  return { status: response.statusCode, body: JSON.parse(await response.body.text()) as T };
}

async function main(): Promise<void> {
  const catalog = new Pool(process.env.CATALOG_URL ?? '', { connections: 32, pipelining: 1 });
  const recommendations = new Pool(process.env.RECOMMENDATIONS_URL ?? '', { connections: 32, pipelining: 1 });
  const app = Fastify({ logger: false });

  app.get<{ Params: { id: string } }>('/api/products/:id', async (request, reply) => {
    const id = encodeURIComponent(request.params.id);
    const [product, list] = await Promise.all([getJson<Product>(catalog, `/products/${id}`), getJson<RecommendationList>(recommendations, `/recommendations/${id}?limit=4`)]);
    if (product.status !== 200) return reply.code(product.status).send(product.body);
    const items = list.status === 200 && Array.isArray(list.body.items) ? list.body.items : [];
    return { product: product.body, recommendations: items, degraded: [] };
  });

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  console.log(`listening ${url}`);
  process.on('SIGTERM', () => {
    void app.close().then(() => Promise.all([catalog.close(), recommendations.close()])).then(() => process.exit(0));
  });
}

void main();
