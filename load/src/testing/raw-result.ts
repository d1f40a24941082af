import { createRequire } from 'node:module';
import type { RawResult } from '../autocannon-results';

interface Histogram {
  recordValue(value: number): void;
}
// autocannon's own histogram helpers, so a made-up run merges exactly like a measured one.
const histUtil = createRequire(`${process.cwd()}/`)('autocannon/lib/histUtil') as {
  getHistograms(): { latencies: Histogram };
  encodeHist(h: Histogram): string;
};

/** A run as autocannon would report it: these latencies (ms), these statuses, these connection errors. */
export function rawResult(answers: Array<{ status: number; ms: number }>, errors = { connection: 0, timeouts: 0 }, durationS = 10): RawResult {
  const { latencies } = histUtil.getHistograms();
  const statusCodeStats: Record<string, { count: number }> = {};
  for (const { status, ms } of answers) {
    latencies.recordValue(ms);
    statusCodeStats[status] = { count: (statusCodeStats[status]?.count ?? 0) + 1 };
  }
  return {
    latencies: histUtil.encodeHist(latencies),
    totalCompletedRequests: answers.length,
    totalRequests: answers.length + errors.connection + errors.timeouts,
    errors: errors.connection + errors.timeouts,
    timeouts: errors.timeouts,
    statusCodeStats,
    duration: durationS,
  };
}

/** `n` answers of one status at one latency. */
export const answers = (n: number, status: number, ms: number) => Array.from({ length: n }, () => ({ status, ms }));
