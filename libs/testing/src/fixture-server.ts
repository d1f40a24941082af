import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a fixture saw it, the body read whole as text. */
export interface FixtureRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Answers one recorded request on `res`, now or later (it must end `res` eventually). */
export type FixtureResponder = (request: FixtureRequest, res: ServerResponse) => void;

/**
 * A plain node:http server on 127.0.0.1 for stand-ins of other services: it records every
 * request in arrival order, hands it to `respond`, and can die (refuse connections) and come
 * back on the same port, so tests can take a dependency away and give it back. Use it through
 * `startFixtureServer`, or extend it for a stand-in with state of its own (pass `respond` to super).
 */
export class FixtureServer {
  /** Every request so far, health probes included, in arrival order. */
  readonly requests: FixtureRequest[] = [];
  private readonly server: Server;
  private port = 0;

  constructor(respond: FixtureResponder) {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        this.requests.push(request);
        respond(request, res);
      });
    });
  }

  /** `http://127.0.0.1:<port>`; the same after a stop and start. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens: on a port the OS picks the first time, on that same port after `stop()`. */
  async start(): Promise<this> {
    if (this.server.listening) return this;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Closes the listener and every open connection: new connections are refused until `start()`. */
  async stop(): Promise<void> {
    if (!this.server.listening) return;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }
}

/** A fixture server already listening on a free port. */
export function startFixtureServer(respond: FixtureResponder): Promise<FixtureServer> {
  return new FixtureServer(respond).start();
}

/**
 * Answers `body` as JSON (nothing when undefined), typed as a problem (RFC 9457) from status 400
 * up, as keel services answer; `headers` add to that and win.
 */
export function sendJson(res: ServerResponse, status: number, body?: unknown, headers: OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}
