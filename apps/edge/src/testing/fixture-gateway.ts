import type { ServerResponse } from 'node:http';
import { SHED_TIER_HEADER } from '@keel/contracts';
import { FixtureServer, sendJson, type FixtureRequest } from '@keel/testing';

export interface SeenRequest extends FixtureRequest {
  /** Position in the order all requests reached this fixture. */
  seq: number;
  kind: 'health' | 'api' | 'other';
}

/** What a fixture gateway's `/api/*` does: echo the request, answer a 503 problem (unavailable, or shed as overloaded), or drop the connection mid-request. */
export type ApiMode = 'echo' | 'unavailable' | 'shedding' | 'reset';

const kindOf = (url: string): SeenRequest['kind'] => (url === '/health/ready' ? 'health' : url.startsWith('/api/') ? 'api' : 'other');

/**
 * A stand-in for one region's gateway: `/health/ready` that can be flipped, `/api/*` that echoes
 * the request with `x-served-by: <region>/gateway@1.0.0`, an `/admin/info` edge must never reach,
 * and a log of every request in arrival order, to count what edge sent where.
 */
export class FixtureGateway extends FixtureServer {
  ready = true;
  api: ApiMode = 'echo';
  private afterHealthCheck?: () => void;

  private constructor(readonly region: string) {
    super((request, res) => this.answer(request, res));
  }

  static start(region: string): Promise<FixtureGateway> {
    return new FixtureGateway(region).start();
  }

  get seen(): SeenRequest[] {
    return this.requests.map((request, seq) => ({ ...request, seq, kind: kindOf(request.url) }));
  }

  count(kind: SeenRequest['kind']): number {
    return this.seen.filter((r) => r.kind === kind).length;
  }

  /** Listens again on the same port after `stop()`. */
  async restart(): Promise<void> {
    await this.start();
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

  private answer(request: FixtureRequest, res: ServerResponse): void {
    const servedBy = { 'x-served-by': `${this.region}/gateway@1.0.0` };
    const kind = kindOf(request.url);
    if (kind === 'health') {
      const then = this.afterHealthCheck;
      this.afterHealthCheck = undefined;
      if (then) res.once('finish', then);
      // Plain JSON even as a 503, as a real service's terminus health body is.
      sendJson(res, this.ready ? 200 : 503, { status: this.ready ? 'ok' : 'error' }, { 'content-type': 'application/json', ...servedBy });
    } else if (kind === 'api' && this.api === 'reset') {
      // The request arrived (and may have taken effect); the answer never leaves.
      res.socket?.destroy();
    } else if (kind === 'api' && this.api === 'shedding') {
      sendJson(res, 503, { type: '/problems/overloaded', title: 'Service overloaded', status: 503 }, { 'retry-after': '2', [SHED_TIER_HEADER]: '2', ...servedBy });
    } else if (kind === 'api' && this.api === 'unavailable') {
      sendJson(res, 503, { type: '/problems/unavailable', title: 'Unavailable', status: 503 }, { 'retry-after': '1', ...servedBy });
    } else {
      const { method, url, headers, body } = request;
      sendJson(res, 200, { region: this.region, method, url, headers, body }, { 'x-fixture-header': 'kept', ...servedBy });
    }
  }
}
