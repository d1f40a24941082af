/**
 * The benchmark's stand-ins for the services behind a gateway, one role per OS process so their
 * work never lands on the measured process's event loop:
 *
 *   node -r @swc-node/register bench/support/downstream.ts catalog|recommendations|otlp-sink
 *
 * catalog answers `GET /products/:id`, recommendations `GET /recommendations/:id?limit=4`, both
 * with small JSON shaped like the real services' (`@keel/contracts`), built once up front so a
 * request costs a lookup and a write. otlp-sink accepts OTLP/HTTP protobuf trace exports, counts
 * the spans in them and answers an empty success, as a collector would. Every role answers
 * `/health/ready` (the gateway probes its dependencies) and `GET /stats`. Prints
 * `listening <url>` once it listens on 127.0.0.1 on a port the OS picked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Product, RecommendationList } from '@keel/contracts';
import { countOtlpSpans } from './otlp-spans';

export const PRODUCT_COUNT = 100;
const CATEGORIES = ['audio', 'video', 'home', 'outdoor'];

export const productId = (n: number): string => `p-${String((n % PRODUCT_COUNT) + 1).padStart(3, '0')}`;

function product(n: number): Product {
  return {
    id: productId(n),
    name: `Product ${n + 1} ${CATEGORIES[n % CATEGORIES.length]} edition`,
    description: 'A realistic, short product description of about the length a catalog keeps for a card.',
    category: CATEGORIES[n % CATEGORIES.length],
    priceCents: 1_000 + ((n * 7_919) % 50_000),
    currency: 'USD',
    stock: (n * 31) % 250,
  };
}

function recommendations(n: number): RecommendationList {
  const items = [1, 2, 3, 4].map((k) => {
    const other = product(n + k * 13);
    return { id: other.id, name: other.name, category: other.category, priceCents: other.priceCents, score: 1 - k / 10 };
  });
  return { productId: productId(n), items };
}

const index = (text: string): Map<string, string> => {
  const all = new Map<string, string>();
  for (let n = 0; n < PRODUCT_COUNT; n++) all.set(productId(n), text === 'catalog' ? JSON.stringify(product(n)) : JSON.stringify(recommendations(n)));
  return all;
};

const JSON_HEADERS = { 'content-type': 'application/json' };

function answer(res: ServerResponse, status: number, body: string, headers: Record<string, string> = JSON_HEADERS): void {
  res.writeHead(status, headers);
  res.end(body);
}

function serveData(role: 'catalog' | 'recommendations'): (req: IncomingMessage, res: ServerResponse) => void {
  const bodies = index(role);
  const route = role === 'catalog' ? /^\/products\/([^/?]+)$/ : /^\/recommendations\/([^/?]+)/;
  let served = 0;
  return (req, res) => {
    const url = req.url ?? '/';
    if (url === '/health/ready') return answer(res, 200, '{"status":"ok"}');
    if (url === '/stats') return answer(res, 200, JSON.stringify({ served }));
    const id = route.exec(url)?.[1];
    const body = id === undefined ? undefined : bodies.get(id);
    if (body === undefined) return answer(res, 404, JSON.stringify({ type: '/problems/not-found', title: 'Not found', status: 404, detail: url }), { 'content-type': 'application/problem+json' });
    served++;
    answer(res, 200, body);
  };
}

function serveOtlpSink(): (req: IncomingMessage, res: ServerResponse) => void {
  const stats = { exports: 0, bytes: 0, spans: 0, undecodable: 0 };
  return (req, res) => {
    if (req.url === '/health/ready') return answer(res, 200, '{"status":"ok"}');
    if (req.url === '/stats') return answer(res, 200, JSON.stringify(stats));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      stats.exports++;
      stats.bytes += body.length;
      try {
        stats.spans += countOtlpSpans(body);
      } catch {
        stats.undecodable++;
      }
      // An empty ExportTraceServiceResponse: everything accepted.
      answer(res, 200, '', { 'content-type': 'application/x-protobuf' });
    });
  };
}

function main(): void {
  const role = process.argv[2];
  if (role !== 'catalog' && role !== 'recommendations' && role !== 'otlp-sink') {
    console.error('usage: downstream.ts catalog|recommendations|otlp-sink');
    process.exit(2);
  }
  const server = createServer({ keepAliveTimeout: 60_000 }, role === 'otlp-sink' ? serveOtlpSink() : serveData(role));
  server.listen(0, '127.0.0.1', () => console.log(`listening http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

if (require.main === module) main();
