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

/**
 * One load run. Without a rate: one closed-loop autocannon run. With a rate: see `pacedLoad`.
 * Latency under a rate includes autocannon's coordinated-omission correction.
 */
export async function load(options: LoadOptions): Promise<LoadResult> {
  return options.rate ? pacedLoad(options, options.rate) : autocannonRun(options).then(summarise(options.seconds));
}

/**
 * autocannon paces a rate per connection per second: each connection may send `rate/connections`
 * requests, as fast as it can, from the start of each of its seconds. All connections start
 * together, so all of a second's requests arrive in a burst at its start: "1000 req/s" is 1000
 * requests at once, then silence, a far harsher overload than the rate says. Here the connections
 * are split into PACING_GROUPS autocannon runs started 1/PACING_GROUPS s apart, so the bursts are
 * that many times smaller and spread over the second. Each group sends exactly its rate × the
 * seconds, so the rate sent is the rate asked for (unless answers are too slow to keep up).
 */
async function pacedLoad(options: LoadOptions, rate: number): Promise<LoadResult> {
  const groups = Math.max(1, Math.min(PACING_GROUPS, options.connections, Math.floor(rate)));
  const share = (total: number, i: number) => Math.floor(total / groups) + (i < total % groups ? 1 : 0);
  const latencies: number[] = [];
  const results = await Promise.all(
    Array.from({ length: groups }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * 1_000) / groups));
      const groupRate = share(rate, i);
      return autocannonRun({ ...options, connections: share(options.connections, i), rate: groupRate }, latencies, groupRate * options.seconds);
    }),
  );
  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0;
  const statuses: Record<string, number> = {};
  for (const result of results) for (const [code, count] of Object.entries(result.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  const responses = Object.values(statuses).reduce((a, b) => a + b, 0);
  const sum = (pick: (r: RawRun) => number) => results.reduce((total, r) => total + pick(r), 0);
  // A group spends its budgets at 0, 1, … seconds − 1 s and ends once they are answered (autocannon
  // reports whole seconds): a run that kept up reads `seconds` or one less. Longer means answers (or
  // the load generator) fell behind, and the rates are then over the longer window, so they show it.
  const seconds = Math.max(options.seconds, sum((r) => r.durationS) / results.length - 1);
  return {
    reqPerSec: responses / seconds,
    okPerSec: sum((r) => r.ok) / seconds,
    // Answered or failed (timeouts, resets): autocannon's own `sent` adds an estimate per connection.
    sentPerSec: (responses + sum((r) => r.errors)) / seconds,
    // Over every response of every group, as measured (autocannon's own coordinated-omission
    // correction is per group and cannot be merged; the "sent" rate shows when clients fell behind).
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    responses,
    statuses,
    errors: sum((r) => r.errors),
    seconds,
  };
}

/** Connection groups a paced run is split into (see pacedLoad). */
const PACING_GROUPS = 20;

interface RawRun {
  durationS: number;
  statuses: Record<string, number>;
  responses: number;
  ok: number;
  sent: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/**
 * One autocannon run; with `latencies`, every response time (ms) is also pushed there. With
 * `amount`, the run sends exactly that many requests (and ends when they are answered) instead of
 * running for `seconds`: a timed run with a rate spends one more per-second budget as it ends.
 */
async function autocannonRun(options: LoadOptions, latencies?: number[], amount?: number): Promise<RawRun> {
  let next = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(amount ? { amount } : { duration: options.seconds }),
        overallRate: options.rate,
        timeout: options.timeoutSeconds ?? 10,
        requests: [{ setupRequest: (request) => ({ ...request, path: options.path(next++) }) }],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    if (latencies) instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const statuses: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stats.count ?? 0;
  return {
    durationS: result.duration,
    statuses,
    responses: Object.values(statuses).reduce((a, b) => a + b, 0),
    ok: result['2xx'],
    sent: result.requests.sent,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
  };
}

const summarise =
  (seconds: number) =>
  (run: RawRun): LoadResult => ({
    reqPerSec: run.responses / seconds,
    okPerSec: run.ok / seconds,
    sentPerSec: run.sent / seconds,
    p50Ms: run.p50Ms,
    p99Ms: run.p99Ms,
    responses: run.responses,
    statuses: run.statuses,
    errors: run.errors,
    seconds,
  });

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
