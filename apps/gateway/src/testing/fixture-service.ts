import { FixtureServer, sendJson, type FixtureRequest } from '@keel/testing';

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
 * A stand-in for a keel service in tests: a `/health/ready` that can be flipped, answers from a
 * handler a test may swap, a log of every request it saw, and a way to die (refuse connections)
 * and come back on the same port.
 */
export class FixtureService extends FixtureServer {
  ready = true;

  private constructor(public handler: FixtureHandler) {
    super((request, res) => {
      const reply = this.reply(request);
      const send = () => sendJson(res, reply.status ?? 200, reply.body, reply.headers);
      if (reply.delayMs) setTimeout(send, reply.delayMs);
      else send();
    });
  }

  static start(handler: FixtureHandler): Promise<FixtureService> {
    return new FixtureService(handler).start();
  }

  /** Requests other than health probes: what the code under test really sent. */
  calls(): FixtureRequest[] {
    return this.requests.filter((r) => !r.url.startsWith('/health/'));
  }

  /** Listens again on the same port after `stop()`. */
  async restart(): Promise<void> {
    await this.start();
  }

  private reply(request: FixtureRequest): FixtureReply {
    if (request.url === '/health/ready') return { status: this.ready ? 200 : 503, body: { status: this.ready ? 'ok' : 'error' } };
    return this.handler(request) ?? { status: 404, body: { type: '/problems/not-found', title: 'Not found', status: 404, detail: request.url } };
  }
}
