import type { Meter } from '@opentelemetry/api';
import { DEADLINE_DEFAULTS } from '../deadline/defaults';
import type { Clock } from '../types';
import type { FailureClassifier } from './classify';

/**
 * Every policy option and its default, in one place. A dependency's policy is these defaults with
 * whatever the service overrides (`dependencyPolicy(name, { retry: { maxAttempts: 2 } })`);
 * a layer set to `false` is left out (the timeout cannot be: every call has one).
 */

export interface TimeoutOptions {
  /** Longest one attempt may take. Default 2000 ms (service-kit's HttpDependency default). */
  timeoutMs: number;
  /**
   * Share of the caller's remaining deadline one attempt may use: min(remaining × share,
   * timeoutMs). Default 0.9 (deadline/'s `hopShare`, the one place that number lives), so a hop
   * that times out still has a tenth left to answer its caller.
   */
  deadlineShare: number;
}

export interface RetryOptions {
  /** Attempts in total, the first included (not retries, unlike cockatiel). Default 3; at most 3. */
  maxAttempts: number;
  /** Scale of the decorrelated-jitter backoff: the first wait is ~0–1.4× this. Default 50 ms. */
  baseDelayMs: number;
  /** Longest single backoff wait. Default 1000 ms. */
  maxDelayMs: number;
  /**
   * Longest server-requested wait (`retryAfterMs` on the error) we will honour when the call has
   * no deadline; with a deadline, the wait must also end before it. Longer → give up. Default 2000 ms.
   */
  maxRetryAfterMs: number;
}

export interface RetryBudgetOptions {
  /** Retries allowed per original request over the window. Default 0.1: keel's choice, for ~1.1× load on a failing dependency (Finagle's default is 0.2 plus 10 retries/s). */
  ratio: number;
  /** Retries per second always allowed on top, so a quiet dependency can still retry. Default 3. */
  minRetriesPerSecond: number;
  /** Sliding window the ratio is measured over. Default 10 000 ms. */
  windowMs: number;
  /** Granularity of the window. Default 1000 ms. */
  bucketMs: number;
}

export interface BreakerOptions {
  /** Failures in a row that open the circuit. Default 5. */
  consecutiveFailures: number;
  /** Share of failed calls over the window that opens the circuit, in (0, 1]. Default 0.5. */
  failureRate: number;
  /** Calls needed in the window before the rate may open it (quiet traffic is noisy). Default 20. */
  minimumVolume: number;
  /** Window the failure rate is measured over. Default 10 000 ms. */
  windowMs: number;
  /** Granularity of that window. Default 1000 ms. */
  bucketMs: number;
  /** How long the circuit stays open before it lets probes through. Default 5000 ms. */
  openMs: number;
  /** Probes half-open admits at once; they must all succeed to close it. Default 1. */
  halfOpenProbes: number;
}

export interface BulkheadOptions {
  /** Calls in flight at once. Default 32 (HttpDependency's keep-alive connections). */
  maxConcurrent: number;
  /** Calls that may wait for a slot; beyond that, rejected at once. Default 64. */
  maxQueued: number;
  /** Longest wait for a slot (cut to the deadline). Default 200 ms. */
  queueTimeoutMs: number;
}

export interface DependencyPolicyOptions {
  timeout?: Partial<TimeoutOptions>;
  retry?: Partial<RetryOptions> | false;
  budget?: Partial<RetryBudgetOptions> | false;
  breaker?: Partial<BreakerOptions> | false;
  bulkhead?: Partial<BulkheadOptions> | false;
  /** What a failure says about the dependency. Default `classifyFailure` (classify.ts). */
  classify?: FailureClassifier;
  /** Default `systemClock`; tests pass a manual one. */
  clock?: Clock;
  /** Where metrics go. Default `metrics.getMeter('keel')` at creation; `false` records none. */
  meter?: Meter | false;
}

/** Node fires a timer longer than this after 1 ms, so no wait may be configured above it. */
const MAX_TIMER_MS = 2_147_483_647;

/** The platform's ceiling on attempts: more only multiplies load on a dependency already failing. */
export const MAX_ATTEMPTS_CEILING = 3;

export const POLICY_DEFAULTS = {
  timeout: { timeoutMs: 2_000, deadlineShare: DEADLINE_DEFAULTS.hopShare },
  retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 1_000, maxRetryAfterMs: 2_000 },
  budget: { ratio: 0.1, minRetriesPerSecond: 3, windowMs: 10_000, bucketMs: 1_000 },
  breaker: { consecutiveFailures: 5, failureRate: 0.5, minimumVolume: 20, windowMs: 10_000, bucketMs: 1_000, openMs: 5_000, halfOpenProbes: 1 },
  bulkhead: { maxConcurrent: 32, maxQueued: 64, queueTimeoutMs: 200 },
} as const satisfies {
  timeout: TimeoutOptions;
  retry: RetryOptions;
  budget: RetryBudgetOptions;
  breaker: BreakerOptions;
  bulkhead: BulkheadOptions;
};

export interface ResolvedOptions {
  timeout: TimeoutOptions;
  retry?: RetryOptions;
  budget?: RetryBudgetOptions;
  breaker?: BreakerOptions;
  bulkhead?: BulkheadOptions;
}

/** Merges overrides onto the defaults and rejects values that would silently misbehave. */
export function resolveOptions(options: DependencyPolicyOptions): ResolvedOptions {
  const timeout = { ...POLICY_DEFAULTS.timeout, ...options.timeout };
  const retry = options.retry === false ? undefined : { ...POLICY_DEFAULTS.retry, ...options.retry };
  const budget = options.budget === false || !retry ? undefined : { ...POLICY_DEFAULTS.budget, ...options.budget };
  const breaker = options.breaker === false ? undefined : { ...POLICY_DEFAULTS.breaker, ...options.breaker };
  const bulkhead = options.bulkhead === false ? undefined : { ...POLICY_DEFAULTS.bulkhead, ...options.bulkhead };
  check(timeout.timeoutMs > 0 && timeout.timeoutMs <= MAX_TIMER_MS, 'timeout.timeoutMs must be in (0, 2^31 - 1]');
  check(timeout.deadlineShare > 0 && timeout.deadlineShare <= 1, 'timeout.deadlineShare must be in (0, 1]');
  if (retry) {
    check(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1 && retry.maxAttempts <= MAX_ATTEMPTS_CEILING, `retry.maxAttempts must be 1..${MAX_ATTEMPTS_CEILING}`);
    check(retry.baseDelayMs >= 0 && retry.maxDelayMs >= retry.baseDelayMs && retry.maxDelayMs <= MAX_TIMER_MS, 'retry delays must satisfy 0 <= baseDelayMs <= maxDelayMs <= 2^31 - 1');
    check(retry.maxRetryAfterMs >= 0 && retry.maxRetryAfterMs <= MAX_TIMER_MS, 'retry.maxRetryAfterMs must be in [0, 2^31 - 1]');
  }
  if (budget) {
    check(budget.ratio >= 0 && budget.minRetriesPerSecond >= 0, 'budget.ratio and minRetriesPerSecond must be >= 0');
    check(budget.bucketMs > 0 && budget.windowMs >= budget.bucketMs, 'budget.windowMs must be >= bucketMs > 0');
  }
  if (breaker) {
    check(breaker.consecutiveFailures >= 1, 'breaker.consecutiveFailures must be >= 1');
    check(breaker.failureRate > 0 && breaker.failureRate <= 1, 'breaker.failureRate must be in (0, 1]');
    check(breaker.bucketMs > 0 && breaker.windowMs >= breaker.bucketMs, 'breaker.windowMs must be >= bucketMs > 0');
    check(breaker.openMs > 0 && Number.isInteger(breaker.halfOpenProbes) && breaker.halfOpenProbes >= 1, 'breaker.openMs must be > 0, halfOpenProbes >= 1');
  }
  if (bulkhead) {
    check(Number.isInteger(bulkhead.maxConcurrent) && bulkhead.maxConcurrent >= 1, 'bulkhead.maxConcurrent must be >= 1');
    check(Number.isInteger(bulkhead.maxQueued) && bulkhead.maxQueued >= 0, 'bulkhead.maxQueued must be >= 0');
    check(bulkhead.queueTimeoutMs > 0 && bulkhead.queueTimeoutMs <= MAX_TIMER_MS, 'bulkhead.queueTimeoutMs must be in (0, 2^31 - 1]');
  }
  return { timeout, retry, budget, breaker, bulkhead };
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}
