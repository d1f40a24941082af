import type { CriticalityTier } from '@keel/resilience';
import { type Latency, mergedLatency, mergedStatuses } from './autocannon-results';
import type { RouteRun } from './engine';
import { isErrorStatus, type RouteName } from './routes';

/** What one route did over a stage or a whole run: the rows of the summary table. */
export interface RouteStats {
  route: RouteName;
  label: string;
  tier: CriticalityTier;
  /** Requests per second asked for (summed over stages, weighted by their length). */
  plannedRate: number;
  /** Answers received, any status. */
  requests: number;
  /** Answers per second achieved. */
  rate: number;
  /** Milliseconds, over every answer (errors too); null when nothing answered. */
  latencyMs: Latency | null;
  /** Answers by status code. */
  statuses: Record<string, number>;
  errors: {
    /** Error statuses + connection errors + timeouts. */
    total: number;
    /** Answers with a status that counts as an error (5xx, unexpected 4xx), by status. */
    byStatus: Record<string, number>;
    /** Connection errors other than timeouts (refused, reset). */
    connection: number;
    timeouts: number;
  };
  /** `errors.total / (requests + connection errors + timeouts)`; 0 when nothing was tried. */
  errorRate: number;
  /** Non-2xx answers that are the shop working (409 out of stock), by status. */
  business: Record<string, number>;
  /** Answers carrying `x-degraded` (something left out or stale). */
  degraded: number;
  /** A stage gave up after too many connection errors (the target went away). */
  bailedOut: boolean;
}

/** Sums one route's runs (one per stage, or one) into its stats. `durationS` is the time they covered. */
export function routeStats(target: string, runs: RouteRun[], durationS: number): RouteStats {
  const { route } = runs[0];
  const statuses = mergedStatuses(runs.map((r) => r.raw));
  const byStatus: Record<string, number> = {};
  const business: Record<string, number> = {};
  for (const [status, count] of Object.entries(statuses)) {
    const code = Number(status);
    if (isErrorStatus(route, code)) byStatus[status] = count;
    else if (code < 200 || code >= 300) business[status] = count;
  }
  const requests = runs.reduce((sum, r) => sum + r.raw.totalCompletedRequests, 0);
  const timeouts = runs.reduce((sum, r) => sum + r.raw.timeouts, 0);
  const connection = runs.reduce((sum, r) => sum + r.raw.errors, 0) - timeouts;
  const total = Object.values(byStatus).reduce((a, b) => a + b, 0) + connection + timeouts;
  const attempts = requests + connection + timeouts;
  const plannedSeconds = runs.reduce((sum, r) => sum + r.plannedRate * r.stageS, 0);
  const ranSeconds = runs.reduce((sum, r) => sum + r.stageS, 0);
  return {
    route: route.name,
    label: route.label,
    tier: route.tier,
    plannedRate: ranSeconds > 0 ? round(plannedSeconds / ranSeconds) : runs[0].plannedRate,
    requests,
    rate: durationS > 0 ? round(requests / durationS) : 0,
    latencyMs: mergedLatency(target, runs.map((r) => r.raw)),
    statuses,
    errors: { total, byStatus, connection, timeouts },
    errorRate: attempts > 0 ? total / attempts : 0,
    business,
    degraded: runs.reduce((sum, r) => sum + r.degraded, 0),
    bailedOut: runs.some((r) => r.bailedOut),
  };
}

const round = (n: number) => Math.round(n * 10) / 10;
