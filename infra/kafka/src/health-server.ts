import { createServer, type Server, type ServerResponse } from 'node:http';
import type { ClusterDescription } from './metadata-probe';

export interface HealthOptions {
  /** Is the broker process still running? (live) */
  alive: () => boolean;
  /** Asks the broker itself; rejects when it cannot serve clients. (ready) */
  describe: () => Promise<ClusterDescription>;
  /** `x-served-by`, as every keel service sends. */
  servedBy: string;
  /** How long one readiness answer is reused: probes from the stack, edge and tests add up. */
  cacheMs?: number;
}

type Readiness = { ok: true; cluster: ClusterDescription } | { ok: false; reason: string };

/**
 * The keel health endpoints in front of a broker, on plain node:http: the stack, `status` and
 * tests see a broker exactly as they see any service. Ready means a client's `describeCluster`
 * would succeed now; startup turns 200 on the first ready and stays there.
 */
export function healthServer(options: HealthOptions): Server {
  const cacheMs = options.cacheMs ?? 1000;
  let cached: { at: number; answer: Promise<Readiness> } | undefined;
  let started = false;
  const readiness = (): Promise<Readiness> => {
    if (!options.alive()) return Promise.resolve({ ok: false, reason: 'the broker process is not running' });
    if (cached && Date.now() - cached.at < cacheMs) return cached.answer;
    const answer = options.describe().then(
      (cluster): Readiness => (cluster.brokers.length > 0 ? { ok: true, cluster } : { ok: false, reason: 'no unfenced broker in the cluster metadata yet' }),
      (error: Error): Readiness => ({ ok: false, reason: error.message }),
    );
    cached = { at: Date.now(), answer };
    return answer;
  };

  return createServer((req, res) => {
    res.setHeader('x-served-by', options.servedBy);
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { status: 'error', reason: 'GET only' });
    if (path === '/health/live') {
      return options.alive() ? send(res, 200, { status: 'ok' }) : send(res, 503, { status: 'error', reason: 'the broker process is not running' });
    }
    if (path === '/health/ready' || path === '/health/startup') {
      if (path === '/health/startup' && started) return send(res, 200, { status: 'ok' });
      void readiness().then((answer) => {
        if (!answer.ok) return send(res, 503, { status: 'error', reason: answer.reason });
        started = true;
        send(res, 200, { status: 'ok', ...answer.cluster });
      });
      return;
    }
    send(res, 404, { status: 'error', reason: `no route ${path}` });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
