import { metrics } from '@opentelemetry/api';
import type { Event, IDisposable } from 'cockatiel';
import { systemClock, type CallOptions } from '../types';
import { Bulkhead, type BulkheadRejectedEvent } from './bulkhead';
import { CircuitBreaker, type CircuitState, type StateChangeEvent } from './circuit-breaker';
import { classifyFailure } from './classify';
import { resolveOptions, type DependencyPolicyOptions } from './defaults';
import { BrokenCircuitError } from './errors';
import { instrumentPolicy } from './metrics';
import type { Operation } from './operation';
import { RetryPolicy, type GiveUpEvent, type RetryEvent } from './retry';
import { RetryBudget, type BudgetExhaustedEvent } from './retry-budget';
import { TimeoutPolicy, type TimeoutEvent } from './timeout';

/** Everything observable about one dependency's policy, as cockatiel-style events. */
export interface PolicyEvents {
  onTimeout: Event<TimeoutEvent>;
  onRetry: Event<RetryEvent>;
  onGiveUp: Event<GiveUpEvent>;
  onBudgetExhausted: Event<BudgetExhaustedEvent>;
  onBreakerStateChange: Event<StateChangeEvent>;
  onBulkheadRejected: Event<BulkheadRejectedEvent>;
}

/** A snapshot; a layer that is switched off is absent. */
export interface PolicyState {
  breaker?: CircuitState;
  bulkhead?: { inUse: number; queued: number };
  retryBudget?: { available: number };
}

export interface DependencyPolicy {
  readonly name: string;
  /** Runs `op` (one attempt per call of it) under the dependency's whole policy. */
  execute<T>(op: Operation<T>, call: CallOptions): Promise<T>;
  readonly events: PolicyEvents;
  /** The breaker's state alone: cheap, for every call (`state` also sums the retry budget's window). */
  readonly breakerState?: CircuitState;
  /** A call made now would be refused without being sent: circuit open, or bulkhead full. */
  readonly refusingNow: boolean;
  readonly state: PolicyState;
  /** Detaches its metrics; the policy still works. */
  dispose(): void;
}

type Runner = <T>(op: Operation<T>, call: CallOptions) => Promise<T>;

const NOTHING: IDisposable = { dispose: () => undefined };
const silent = <T>(): Event<T> => () => NOTHING;

/**
 * The policy for calls to one dependency, outermost first:
 *
 *   bulkhead → retry (with its budget) → circuit breaker → timeout → op
 *
 * The breaker sits inside the retry loop (as in Polly v8's recommended pipeline), not outside it
 * as ARCHITECTURE.md first sketched, because then it sees every request the dependency sees:
 * a half-open probe is exactly one request (outside, a failing probe would be retried up to three
 * times against a dependency we believe is down); an open circuit ends a retry loop at the next
 * attempt (the loop gives up instead of sleeping first); and per-attempt timeouts count as failures.
 * The bulkhead is outermost so a call queues once, not once per attempt, and its slot covers the
 * backoff (bounded by `maxDelayMs` and the deadline). An open circuit is checked before the
 * bulkhead too (open, or half-open with its probes out), so callers fail fast instead of queueing
 * for a slot only to be refused.
 */
export function dependencyPolicy(name: string, options: DependencyPolicyOptions = {}): DependencyPolicy {
  const config = resolveOptions(options);
  const clock = options.clock ?? systemClock;
  const classify = options.classify ?? classifyFailure;
  const timeout = new TimeoutPolicy(name, config.timeout, clock);
  const breaker = config.breaker && new CircuitBreaker(name, config.breaker, classify, clock);
  const budget = config.budget && new RetryBudget(name, config.budget, clock);
  const refused = () => breaker !== undefined && breaker.refusing;
  const retry = config.retry && new RetryPolicy(name, config.retry, budget, classify, clock, refused);
  const bulkhead = config.bulkhead && new Bulkhead(name, config.bulkhead, clock);
  const meter = options.meter === false ? undefined : (options.meter ?? metrics.getMeter('keel'));
  const instrumentation = meter ? instrumentPolicy({ dependency: name, timeout, retry, budget, breaker, bulkhead }, meter) : NOTHING;

  const attempt: Runner = breaker ? (op, call) => breaker.execute(() => timeout.execute(op, call), call) : (op, call) => timeout.execute(op, call);
  const attempts: Runner = retry ? (op, call) => retry.execute(() => attempt(op, call), call) : attempt;
  const run: Runner = bulkhead ? (op, call) => bulkhead.execute(() => attempts(op, call), call) : attempts;

  return {
    name,
    execute<T>(op: Operation<T>, call: CallOptions): Promise<T> {
      if (call.signal?.aborted) return Promise.reject(call.signal.reason);
      if (breaker && breaker.refusing) return Promise.reject(new BrokenCircuitError(name, breaker.state === 'half-open' ? 'half-open' : 'open'));
      return run(op, call);
    },
    events: {
      onTimeout: timeout.onTimeout,
      onRetry: retry ? retry.onRetry : silent(),
      onGiveUp: retry ? retry.onGiveUp : silent(),
      onBudgetExhausted: budget ? budget.onExhausted : silent(),
      onBreakerStateChange: breaker ? breaker.onStateChange : silent(),
      onBulkheadRejected: bulkhead ? bulkhead.onRejected : silent(),
    },
    get state(): PolicyState {
      const state: PolicyState = {};
      if (breaker) state.breaker = breaker.state;
      if (bulkhead) state.bulkhead = { inUse: bulkhead.inUse, queued: bulkhead.queued };
      if (budget) state.retryBudget = { available: budget.available };
      return state;
    },
    get breakerState(): CircuitState | undefined {
      return breaker?.state;
    },
    get refusingNow(): boolean {
      return refused() || (bulkhead !== undefined && bulkhead.full);
    },
    dispose: () => instrumentation.dispose(),
  };
}
