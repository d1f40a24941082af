import { EventEmitter } from 'cockatiel';
import type { CallOptions, Clock } from '../types';
import { DecorrelatedJitter, type JitterState } from './backoff';
import { isDependencyFailure, retryAfterOf, type FailureClassifier, type FailureKind } from './classify';
import type { RetryOptions } from './defaults';
import { NEVER_ABORTED, type Operation } from './operation';
import type { RetryBudget } from './retry-budget';
import { sleep } from './sleep';

export interface RetryEvent {
  dependency: string;
  /** The attempt about to be made (2 or 3). */
  attempt: number;
  /** How long we wait first: the server's `retryAfterMs`, or our backoff. */
  delayMs: number;
  kind: FailureKind;
  error: unknown;
}

/**
 * Why a dependency failure was not retried. (Failures that are not the dependency's, such as a
 * 404 or the caller aborting, are simply passed on: there was nothing to give up.)
 */
export type GiveUpReason =
  /** The last of `maxAttempts` failed. */
  | 'attempts'
  /** Sending it again might do it twice. */
  | 'not-idempotent'
  /** The dependency's retry budget is spent. */
  | 'budget'
  /** The backoff wait would end after the caller's deadline. */
  | 'deadline'
  /** The server asked for a wait longer than the deadline or `maxRetryAfterMs` allows. */
  | 'retry-after'
  /** The next attempt would be refused anyway (the circuit just opened): no point waiting. */
  | 'circuit-open';

export interface GiveUpEvent {
  dependency: string;
  reason: GiveUpReason;
  attempts: number;
  error: unknown;
}

/**
 * Retries an idempotent call after a dependency failure (timeout, connection, 5xx, 429), at most
 * `maxAttempts` in total, waiting decorrelated jitter or the server's `retryAfterMs` in between.
 * Every retry is paid from the dependency's RetryBudget. A wait that would outlast the deadline
 * is not started: we give up at once rather than sleep into a certain failure; the caller's abort
 * ends a wait immediately. The error the caller finally sees is the last attempt's.
 *
 * cockatiel's RetryPolicy counts retries, not attempts, and left unset retries forever with no
 * delay; it knows nothing of deadlines, budgets or Retry-After. Hence this loop.
 */
export class RetryPolicy {
  private readonly retryEmitter = new EventEmitter<RetryEvent>();
  private readonly giveUpEmitter = new EventEmitter<GiveUpEvent>();
  readonly onRetry = this.retryEmitter.addListener;
  readonly onGiveUp = this.giveUpEmitter.addListener;
  private readonly jitter: DecorrelatedJitter;

  constructor(
    readonly dependency: string,
    private readonly options: RetryOptions,
    private readonly budget: RetryBudget | undefined,
    private readonly classify: FailureClassifier,
    private readonly clock: Clock,
    /** True when an attempt now would be refused without trying (an open circuit). */
    private readonly refused: () => boolean = () => false,
  ) {
    this.jitter = new DecorrelatedJitter(options.baseDelayMs, options.maxDelayMs);
  }

  async execute<T>(op: Operation<T>, call: CallOptions): Promise<T> {
    this.budget?.deposit();
    const signal = call.signal ?? NEVER_ABORTED;
    let jitter: JitterState;
    for (let attempt = 1; ; attempt++) {
      try {
        return await op(signal);
      } catch (error) {
        const kind = this.classify(error);
        if (signal.aborted || !isDependencyFailure(kind)) throw error;
        let delayMs: number;
        const retryAfter = retryAfterOf(error);
        if (retryAfter === undefined) [delayMs, jitter] = this.jitter.next(jitter);
        else delayMs = retryAfter;
        const reason = this.refusal(attempt, delayMs, retryAfter !== undefined, call);
        if (reason) {
          this.giveUpEmitter.emit({ dependency: this.dependency, reason, attempts: attempt, error });
          throw error;
        }
        this.retryEmitter.emit({ dependency: this.dependency, attempt: attempt + 1, delayMs, kind, error });
        if (delayMs > 0) await sleep(delayMs, this.clock, call.signal);
      }
    }
  }

  /** Why this failure may not be retried, checked cheapest first; the budget is only spent last. */
  private refusal(attempt: number, delayMs: number, serverAsked: boolean, call: CallOptions): GiveUpReason | undefined {
    if (attempt >= this.options.maxAttempts) return 'attempts';
    if (!call.idempotent) return 'not-idempotent';
    if (this.refused()) return 'circuit-open';
    if (serverAsked && delayMs > this.options.maxRetryAfterMs) return 'retry-after';
    const remaining = call.deadline?.remainingMs();
    if (remaining !== undefined && delayMs >= remaining) return serverAsked ? 'retry-after' : 'deadline';
    if (this.budget && !this.budget.tryWithdraw()) return 'budget';
    return undefined;
  }
}
