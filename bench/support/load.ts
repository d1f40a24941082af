import autocannon from 'autocannon';
import { productId } from './downstream';

/** What one load run measured, in the units the reports use. */
export interface LoadResult {
  /** Completed responses per second, any status. */
  reqPerSec: number;
  /** 2xx responses per second. */
  okPerSec: number;
  /** Requests sent per second (under a rate: what was really offered). */
  sentPerSec: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  seconds: number;
}

export interface LoadOptions {
  /** Base URL; `path(n)` is appended for the n-th request a connection sends. */
  url: string;
  path: (n: number) => string;
  connections: number;
  seconds: number;
  /** Requests per second across all connections (open-loop-ish; see overload.bench.ts); none: as fast as answered. */
  rate?: number;
  /** Seconds without an answer before autocannon gives up on a request. */
  timeoutSeconds?: number;
}

/** The product pages the benchmarks ask for, cycling through every product the fixtures know. */
export const productPage = (n: number): string => `/api/products/${productId(n)}`;
export const recommendationsWidget = (n: number): string => `/api/products/${productId(n)}/recommendations`;

/** One autocannon run. Latency under a rate includes autocannon's coordinated-omission correction. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    overallRate: options.rate,
    timeout: options.timeoutSeconds ?? 10,
    requests: [{ setupRequest: (request) => ({ ...request, path: options.path(next++) }) }],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stats.count ?? 0;
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  const seconds = result.duration;
  return {
    reqPerSec: responses / seconds,
    okPerSec: result['2xx'] / seconds,
    sentPerSec: result.requests.sent / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    responses,
    statuses,
    errors: result.errors,
    seconds,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
