import type { IncomingHttpHeaders } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { context, propagation } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import { IDEMPOTENCY_KEY_HEADER, SHED_TIER_HEADER } from '@keel/contracts';
import { problem, ProblemException } from '@keel/service-kit';
import { startClientSpan } from '@keel/telemetry';
import { EdgeMetrics, type ProxyOutcome } from '../edge-metrics';
import { RegionPools } from '../regions/region-pools';
import { RegionTable } from '../regions/region-table';
import { upstreamRequestHeaders, type ClientFacts } from './forwarded-headers';

export interface ProxyRequest {
  method: string;
  /** Path and query, as the client sent them. */
  url: string;
  headers: IncomingHttpHeaders;
  body?: Buffer;
  client: ClientFacts;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/** The answer of the region that answered, or edge's own problem (the region tried, if any, is in its body). */
export type ProxyResult = { region: string; response: Dispatcher.ResponseData } | { problem: ProblemException };

/** A gateway gets this long to start answering; edge is not the place for tighter deadlines. */
const HEADERS_TIMEOUT_MS = 15_000;
const BODY_TIMEOUT_MS = 30_000;
const CLIENT_REGION_HEADER = 'x-client-region';

/** Errors meaning the request never reached a working gateway: the region is down, not slow. */
const CONNECTION_FAILURES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * How one try at a region went. `unreachable` is the region's fault (taken out, retried);
 * `timeout` may be one slow request (neither); `error` is edge failing to send it at all (neither).
 */
type Attempt = { kind: 'answered'; response: Dispatcher.ResponseData } | { kind: 'unreachable' | 'timeout' | 'aborted' | 'error'; reason: string };

/**
 * Sends a request to one region's gateway, and at most once more to another: the global load
 * balancer's whole policy. A region that refuses the connection or answers 502/503 is taken out
 * of rotation at once. The request is retried elsewhere only when doing it twice cannot do harm:
 * GET and HEAD, or a request carrying an Idempotency-Key (the same key yields the same order).
 */
@Injectable()
export class EdgeProxy {
  private readonly logger = new Logger(EdgeProxy.name);

  constructor(
    private readonly regions: RegionTable,
    private readonly pools: RegionPools,
    private readonly metrics: EdgeMetrics,
  ) {}

  async forward(request: ProxyRequest): Promise<ProxyResult> {
    const asked = request.headers[CLIENT_REGION_HEADER];
    const preferred = typeof asked === 'string' && this.regions.isKnown(asked) ? asked : this.regions.defaultRegion;
    const first = this.regions.choose(preferred);
    if (!first) return this.noRegion();
    if (first !== preferred) this.metrics.failover(preferred, first, 'unroutable');
    const headers = upstreamRequestHeaders(request.headers, request.client);

    const attempt = await this.send(first, request, headers);
    if (!regionFailure(attempt)) return this.finish(first, attempt);
    const second = mayRetry(request, attempt) ? this.regions.choose(preferred, [first]) : undefined;
    if (!second) return this.finish(first, attempt);
    if (attempt.kind === 'answered') await attempt.response.body.dump();
    this.metrics.failover(first, second, 'retry');
    this.logger.warn({ method: request.method, url: request.url, from: first, to: second }, 'retrying on another region');
    return this.finish(second, await this.send(second, request, headers));
  }

  private async send(region: string, request: ProxyRequest, headers: Record<string, string | string[]>): Promise<Attempt> {
    let attempt: Attempt;
    // Each attempt is a span of edge's request trace; the client's own baggage is not passed on.
    const span = startClientSpan(this.pools.targetOf(region), request.method, request.url, propagation.deleteBaggage(context.active()));
    try {
      const response = await this.pools.trafficTo(region).request({
        method: request.method as Dispatcher.HttpMethod,
        path: request.url,
        headers: { ...headers, ...span.headers },
        body: request.body?.length ? request.body : undefined,
        signal: request.signal,
        headersTimeout: HEADERS_TIMEOUT_MS,
        bodyTimeout: BODY_TIMEOUT_MS,
      });
      attempt = { kind: 'answered', response };
      span.end({ status: response.statusCode });
    } catch (error) {
      attempt = classify(error, request.signal);
      span.end({ error: attempt.kind });
    }
    const failure = regionFailure(attempt);
    if (failure) this.regions.markFailed(region, failure);
    return attempt;
  }

  private finish(region: string, attempt: Attempt): ProxyResult {
    this.metrics.request(region, outcomeOf(attempt));
    switch (attempt.kind) {
      case 'answered':
        return { region, response: attempt.response };
      case 'unreachable':
        return { problem: problem(502, 'region-unreachable', 'Region unreachable', `region ${region} could not be reached`, { region }) };
      case 'timeout':
        return { problem: problem(504, 'deadline-exceeded', 'Region did not answer in time', `region ${region} did not answer in time`, { region }) };
      case 'aborted':
        return { problem: problem(499, 'client-closed-request', 'Client closed the request') };
      case 'error':
        return { problem: problem(502, 'bad-gateway', 'Request could not be forwarded', `request could not be sent to region ${region}`, { region }) };
    }
  }

  private noRegion(): ProxyResult {
    this.metrics.request(undefined, 'no-region');
    const unavailable = problem(503, 'no-region-available', 'No region available', 'every region is out of rotation; retry shortly');
    // Health checks run at least once a second, so a second is when the answer may change.
    return { problem: new ProblemException(unavailable.problem, { 'retry-after': '1' }) };
  }
}

/**
 * Whether a second region may get the request. GET and HEAD: always. A request with an
 * Idempotency-Key: only when the first region certainly did not act on it — the connection was
 * refused, or its gateway answered 502/503. A connection dropped mid-request may have placed an
 * order there, and the other region keeps its own idempotency records, so a retry could charge
 * twice (issue 4 makes keys global through order homing and replication).
 */
function mayRetry(request: ProxyRequest, attempt: Attempt): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return true;
  if (!request.headers[IDEMPOTENCY_KEY_HEADER]) return false;
  return attempt.kind === 'answered' || attempt.reason.startsWith('ECONNREFUSED');
}

/**
 * Why the region itself failed (refused or dropped the connection, or said it cannot serve), if it
 * did. A 503 from the region's load shedder is not a failure: the region is overloaded and said
 * so, and moving its traffic (or this request) to the other region would move the overload there
 * and make both regions flap. The client gets the refusal and its Retry-After.
 */
function regionFailure(attempt: Attempt): string | undefined {
  if (attempt.kind === 'unreachable') return attempt.reason;
  if (attempt.kind !== 'answered') return undefined;
  const status = attempt.response.statusCode;
  if (status === 503 && attempt.response.headers[SHED_TIER_HEADER] !== undefined) return undefined;
  if (status === 502 || status === 503) return `answered ${status}`;
  return undefined;
}

function classify(error: unknown, signal: AbortSignal): Attempt {
  const code = (error as { code?: string }).code ?? '';
  const reason = `${code || 'error'}: ${(error as Error).message}`;
  if (signal.aborted) return { kind: 'aborted', reason };
  if (CONNECTION_FAILURES.has(code)) return { kind: 'unreachable', reason };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return { kind: 'timeout', reason };
  return { kind: 'error', reason };
}

function outcomeOf(attempt: Attempt): ProxyOutcome {
  if (attempt.kind !== 'answered') return attempt.kind;
  const status = attempt.response.statusCode;
  return status >= 500 ? 'server-error' : status >= 400 ? 'client-error' : 'ok';
}
