/**
 * Background traffic for the local stack (`npm start -- --traffic`, `npm run stack -- traffic
 * on|off`): the shopper mix at a gentle rate, forever, so metrics and the dashboard have
 * something to show. It behaves like a keel service from outside: /health/live and
 * /health/ready on PORT, JSON log lines, and SIGTERM ends it promptly with exit 0.
 *
 * env: KEEL_TRAFFIC_TARGET  base URL of the public API (default http://127.0.0.1:8080, the edge)
 *      KEEL_TRAFFIC_RATE    total requests per second, a whole number (default 5)
 *      KEEL_TRAFFIC_ROUND_S seconds between summary log lines (default 30)
 *      PORT, KEEL_HOST      where the health routes listen (default 0 = any free port, 127.0.0.1)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TrafficGenerator } from './traffic';

const env = process.env;
const instance = env.KEEL_INSTANCE ?? 'traffic';

function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, service: 'traffic', instance, msg, ...fields })}\n`);
}

function wholeNumber(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    log('error', `${name} must be a whole number ≥ 1, got '${raw}'`);
    process.exit(1);
  }
  return n;
}

const target = env.KEEL_TRAFFIC_TARGET || 'http://127.0.0.1:8080';
const rate = wholeNumber('KEEL_TRAFFIC_RATE', 5);
const generator = new TrafficGenerator({ target, rate, roundS: wholeNumber('KEEL_TRAFFIC_ROUND_S', 30), log });

const server = createServer((req, res) => {
  const path = (req.url ?? '/').split('?')[0];
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET') return send(405, { type: 'about:blank', title: 'Method not allowed', status: 405 });
  if (path === '/health/live' || path === '/health/startup') return send(200, { status: 'up' });
  // Ready = generating. The totals show at a glance whether the traffic gets through.
  if (path === '/health/ready') return send(200, { status: 'up', target, rate, ...generator.totals });
  return send(404, { type: 'about:blank', title: 'Not found', status: 404 });
});

server.listen(Number(env.PORT ?? 0), env.KEEL_HOST ?? '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  log('info', `traffic: ${rate} req/s to ${target}; health on port ${port}`, { port, target, rate });
  generator.start();
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log('info', `${signal}: stopping`, { totals: generator.totals });
    // Exit 0 within a second even if a request or a connection lingers.
    setTimeout(() => process.exit(0), 1000).unref();
    server.closeAllConnections();
    server.close();
    void generator.stop().then(() => process.exit(0));
  });
}
