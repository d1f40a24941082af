import type { RouteStats } from './route-stats';
import type { Threshold } from './scenario';

/** One threshold's verdict. */
export interface Check {
  /** How it reads: `Tier-1 p99 < 1000 ms`, prefixed with the stage for stage thresholds. */
  name: string;
  /** What was checked; absent for the stress knee, which is not a single threshold. */
  threshold?: Threshold;
  /** The measured value (ms or a ratio); null when nothing in scope answered. */
  value: number | null;
  /** For latency: the route that decided (the slowest in scope). */
  route?: string;
  pass: boolean;
}

export function describeThreshold({ metric, tier, below }: Threshold): string {
  const scope = tier === undefined ? '' : `Tier-${tier} `;
  return metric === 'errorRate' ? `${scope}error rate < ${formatRatio(below)}` : `${scope}${metric} < ${below} ms`;
}

export const formatRatio = (ratio: number): string => `${Number((ratio * 100).toFixed(2))}%`;

/**
 * Judges stats against thresholds. Latency: every route in scope must be below the limit (the
 * slowest is reported); a route in scope with no answer at all fails, since silence is not
 * fast. Error rate: errors over attempts of all routes in scope together.
 */
export function evaluate(thresholds: readonly Threshold[], stats: readonly RouteStats[], prefix = ''): Check[] {
  return thresholds.map((threshold) => {
    const name = `${prefix}${describeThreshold(threshold)}`;
    const inScope = stats.filter((s) => threshold.tier === undefined || s.tier === threshold.tier);
    if (threshold.metric === 'errorRate') {
      const errors = inScope.reduce((sum, s) => sum + s.errors.total, 0);
      const attempts = inScope.reduce((sum, s) => sum + s.requests + s.errors.connection + s.errors.timeouts, 0);
      const value = attempts > 0 ? errors / attempts : null;
      return { name, threshold, value, pass: value !== null && value < threshold.below };
    }
    const metric = threshold.metric;
    const measured = inScope.map((s) => ({ route: s.route, value: s.latencyMs ? s.latencyMs[metric] : null }));
    const worst = measured.find((m) => m.value === null) ?? [...measured].sort((a, b) => (b.value ?? 0) - (a.value ?? 0))[0];
    if (!worst) return { name, threshold, value: null, pass: false };
    return { name, threshold, value: worst.value, route: worst.route, pass: worst.value !== null && worst.value < threshold.below };
  });
}
