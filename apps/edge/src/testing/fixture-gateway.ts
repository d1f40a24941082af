import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  /** Position in the order all requests reached this fixture. */
  seq: number;
  kind: 'health' | 'api' | 'other';
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a fixture gateway's `/api/*` answers: an echo of the request, or a 503 problem. */
export type ApiMode = 'echo' | 'unavailable';

/**
 * A stand-in for one region's gateway: `/health/ready` that can be flipped, `/api/*` that echoes
 * the request with `x-served-by: <region>/gateway@1.0.0`, an `/admin/info` edge must never reach,
 * and a log of every request in arrival order, to count what edge sent where.
 */
export class FixtureGateway {
  readonly seen: SeenRequest[] = [];
  ready = true;
  api: ApiMode = 'echo';
  private server: Server;
  private port = 0;
  private afterHealthCheck?: () => void;

  private constructor(readonly region: string) {
    this.server = this.create();
  }

  static async start(region: string): Promise<FixtureGateway> {
    const fixture = new FixtureGateway(region);
    await fixture.listen();
    return fixture;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  count(kind: SeenRequest['kind']): number {
    return this.seen.filter((r) => r.kind === kind).length;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async restart(): Promise<void> {
    if (this.server.listening) return;
    this.server = this.create();
    await this.listen();
  }

  /**
   * Answers the next health check "ready", then closes (connections refused from then on). Edge
   * then believes the region is up for a whole health interval while it is gone: the window in
   * which a request meets a refused connection.
   */
  closeAfterNextHealthCheck(): Promise<void> {
    return new Promise((resolve) => {
      this.afterHealthCheck = () => void this.stop().then(resolve);
    });
  }

  private create(): Server {
    return createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = req.url ?? '/';
        const kind = url === '/health/ready' ? 'health' : url.startsWith('/api/') ? 'api' : 'other';
        const request: SeenRequest = { seq: this.seen.length, kind, method: req.method ?? 'GET', url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.seen.push(request);
        const servedBy = { 'x-served-by': `${this.region}/gateway@1.0.0` };
        if (kind === 'health') {
          const then = this.afterHealthCheck;
          this.afterHealthCheck = undefined;
          res.writeHead(this.ready ? 200 : 503, { 'content-type': 'application/json', ...servedBy });
          res.end(JSON.stringify({ status: this.ready ? 'ok' : 'error' }), then);
        } else if (kind === 'api' && this.api === 'unavailable') {
          res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1', ...servedBy });
          res.end(JSON.stringify({ type: '/problems/unavailable', title: 'Unavailable', status: 503 }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json', 'x-fixture-header': 'kept', ...servedBy });
          res.end(JSON.stringify({ region: this.region, method: request.method, url, headers: req.headers, body: request.body }));
        }
      });
    });
  }

  private async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }
}

/** Polls `probe` until it returns true, at most `timeoutMs`; false if it never did. */
export async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 5_000, everyMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}
