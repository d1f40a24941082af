/** Per-dependency policies: timeout, retry with budget, circuit breaker, bulkhead, composed. */
export { dependencyPolicy, type DependencyPolicy, type PolicyEvents, type PolicyState } from './dependency-policy';
export {
  POLICY_DEFAULTS,
  MAX_ATTEMPTS_CEILING,
  type BreakerOptions,
  type BulkheadOptions,
  type DependencyPolicyOptions,
  type RetryBudgetOptions,
  type RetryOptions,
  type TimeoutOptions,
} from './defaults';
export { classifyFailure, isDependencyFailure, retryAfterOf, type FailureClassifier, type FailureKind } from './classify';
export { parseRetryAfter } from './retry-after';
export { BrokenCircuitError, BulkheadRejectedError, DependencyTimeoutError, ResilienceError, type BulkheadRejection } from './errors';
export { NEVER_ABORTED, type Operation } from './operation';
export { TimeoutPolicy, type TimeoutEvent } from './timeout';
export { RetryPolicy, type GiveUpEvent, type GiveUpReason, type RetryEvent } from './retry';
export { RetryBudget, type BudgetExhaustedEvent } from './retry-budget';
export { CircuitBreaker, type CircuitState, type StateChangeEvent, type TransitionReason } from './circuit-breaker';
export { Bulkhead, type BulkheadRejectedEvent } from './bulkhead';
export { BREAKER_STATE_VALUE, instrumentPolicy, type InstrumentedParts } from './metrics';
export { logPolicyEvents, type PolicyLogger } from './log-events';
