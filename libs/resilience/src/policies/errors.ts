/**
 * The errors the policies throw themselves (a passed deadline is deadline/'s DeadlineExceededError,
 * shared with the fallback chain, so callers have one error to map to 504). Each names the dependency, and none carries a stack:
 * they are thrown from timers and fail-fast checks, where a stack shows only this library, and
 * capturing one costs several microseconds, paid on every rejection when a dependency is down.
 */
export abstract class ResilienceError extends Error {
  constructor(
    readonly dependency: string,
    message: string,
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
  }
}

/** One attempt took longer than its timeout; the operation's signal was aborted with this. */
export class DependencyTimeoutError extends ResilienceError {
  constructor(
    dependency: string,
    readonly timeoutMs: number,
  ) {
    super(dependency, `${dependency} did not answer within ${Math.round(timeoutMs)} ms`);
  }
}

/** The circuit to the dependency is open, or half-open with every probe place taken. */
export class BrokenCircuitError extends ResilienceError {
  constructor(
    dependency: string,
    readonly state: 'open' | 'half-open',
  ) {
    super(dependency, `circuit to ${dependency} is ${state}: not calling it`);
  }
}

/** Why the bulkhead turned a call away. */
export type BulkheadRejection = 'full' | 'queue-timeout';

/** Every slot and queue place was taken, or the call waited in the queue too long. */
export class BulkheadRejectedError extends ResilienceError {
  constructor(
    dependency: string,
    readonly reason: BulkheadRejection,
  ) {
    super(dependency, reason === 'full' ? `${dependency} bulkhead is full` : `${dependency} bulkhead queue wait timed out`);
  }
}
