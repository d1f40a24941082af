import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FixtureReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Answer this late (to exercise timeouts). */
  delayMs?: number;
}

/** Answers a request, or returns undefined for a 404 problem. */
export type FixtureHandler = (request: FixtureRequest) => FixtureReply | undefined;

/**
 * A stand-in for a keel service in tests: plain node:http, a `/health/ready` that can be flipped,
 * a log of every request it saw, and a way to die (refuse connections) and come back on the same port.
 */
export class FixtureServer {
  readonly requests: FixtureRequest[] = [];
  ready = true;
  private server: Server;
  private port = 0;

  private constructor(public handler: FixtureHandler) {
    this.server = this.create();
  }

  static async start(handler: FixtureHandler): Promise<FixtureServer> {
    const fixture = new FixtureServer(handler);
    await fixture.listen();
    return fixture;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests other than health probes: what the code under test really sent. */
  calls(): FixtureRequest[] {
    return this.requests.filter((r) => !r.url.startsWith('/health/'));
  }

  /** Closes the listener and every open connection: new connections are refused. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port after `stop()`. */
  async restart(): Promise<void> {
    this.server = this.create();
    await this.listen();
  }

  private create(): Server {
    return createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(request);
        const reply =
          request.url === '/health/ready'
            ? { status: this.ready ? 200 : 503, body: { status: this.ready ? 'ok' : 'error' } }
            : (this.handler(request) ?? { status: 404, body: { type: '/problems/not-found', title: 'Not found', status: 404, detail: request.url } });
        const send = () => {
          const status = reply.status ?? 200;
          const type = status >= 400 ? 'application/problem+json' : 'application/json';
          res.writeHead(status, { 'content-type': type, ...reply.headers });
          res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
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
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 5_000, everyMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return false;
}
