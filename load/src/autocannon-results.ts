import autocannon from 'autocannon';

/**
 * What one autocannon run hands back with `skipAggregateResult`: counts plus histograms still
 * encoded, so runs can be merged later (one route over several stages) without losing the
 * latency distribution. @types/autocannon does not describe this shape or `aggregateResult`
 * (both are in autocannon's README), hence the declarations here.
 */
export interface RawResult {
  latencies: string;
  totalCompletedRequests: number;
  totalRequests: number;
  /** Connection errors and timeouts (timeouts are counted in both). */
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  /** Seconds. */
  duration: number;
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const { aggregateResult } = autocannon as unknown as {
  aggregateResult(results: RawResult[], opts: { url: string }): autocannon.Result;
};

/**
 * The latency distribution of several runs together, in ms; null when none got an answer.
 * The runs are copied first: autocannon's merge adds into the first run's status counts.
 */
export function mergedLatency(url: string, runs: readonly RawResult[]): Latency | null {
  const answered = runs.filter((r) => r.totalCompletedRequests > 0);
  if (answered.length === 0) return null;
  const { latency } = aggregateResult(structuredClone(answered), { url });
  return { p50: latency.p50, p90: latency.p90, p99: latency.p99, max: latency.max };
}

/** Responses by status code over several runs. */
export function mergedStatuses(runs: readonly RawResult[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const run of runs) {
    for (const [status, { count }] of Object.entries(run.statusCodeStats)) out[status] = (out[status] ?? 0) + count;
  }
  return out;
}
