import { EventEmitter } from 'cockatiel';
import type { CallOptions, Clock } from '../types';
import type { TimeoutOptions } from './defaults';
import { DeadlineExceededError } from '../deadline/deadline';
import { DependencyTimeoutError } from './errors';
import { NEVER_ABORTED, type Operation } from './operation';

/**
 * Node keeps one timer list per whole-millisecond duration and builds a new one whenever a timer
 * has a duration no live timer has (~3× the cost of joining a list). Deadline-derived timeouts
 * differ per call, so they are rounded down to 10 ms steps, which keeps calls on shared lists;
 * a step is under a tenth of any budget it applies to (≥ 100 ms), within the deadline's slack.
 */
const TIMER_STEP_MS = 10;
const coarse = (ms: number): number => (ms >= 10 * TIMER_STEP_MS ? ms - (ms % TIMER_STEP_MS) : ms);

export interface TimeoutEvent {
  dependency: string;
  /** The limit the attempt had (0 when the deadline had already passed). */
  timeoutMs: number;
  /** `deadline`: the caller's deadline had passed before the attempt, so it was not started. */
  cause: 'timeout' | 'deadline';
}

/**
 * Bounds one attempt by min(deadline remaining × share, the dependency's timeout), and does not
 * start it at all once the deadline has passed.
 *
 * Why not cockatiel's timeout: it creates an AbortController per call and aborts it on every
 * return, and `abort()` without a reason builds a DOMException with a stack (~5–8 µs here). This
 * one costs one timer per attempt, cleared on return. It creates an AbortController only for an
 * operation that declares a signal parameter, and aborts it only when the timer fires or the
 * caller aborts, always with a reason (no DOMException). On timeout it rejects at once, without
 * waiting for the operation to notice; the operation's late result is dropped.
 */
export class TimeoutPolicy {
  private readonly emitter = new EventEmitter<TimeoutEvent>();
  readonly onTimeout = this.emitter.addListener;

  constructor(
    readonly dependency: string,
    private readonly options: TimeoutOptions,
    private readonly clock: Clock,
  ) {}

  execute<T>(op: Operation<T>, call: CallOptions): Promise<T> {
    const caller = call.signal;
    if (caller?.aborted) return Promise.reject(caller.reason);
    let ms = this.options.timeoutMs;
    if (call.deadline) {
      const remaining = call.deadline.remainingMs();
      if (remaining <= 0) {
        this.emitter.emit({ dependency: this.dependency, timeoutMs: 0, cause: 'deadline' });
        return Promise.reject(new DeadlineExceededError(`calling ${this.dependency}`));
      }
      ms = Math.min(ms, coarse(remaining * this.options.deadlineShare));
    }
    return new Promise<T>((resolve, reject) => {
      const controller = op.length === 0 ? undefined : new AbortController();
      let settled = false;
      // Exactly one of: the operation settles, the timer fires, the caller aborts. The first one
      // clears the others' hooks, so nothing outlives the attempt.
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        this.clock.clearTimeout(timer);
        caller?.removeEventListener('abort', onCallerAbort);
        return true;
      };
      const onCallerAbort = (): void => {
        if (!settle()) return;
        controller?.abort(caller?.reason);
        reject(caller?.reason);
      };
      const timer = this.clock.setTimeout(() => {
        if (!settle()) return;
        const error = new DependencyTimeoutError(this.dependency, ms);
        controller?.abort(error);
        this.emitter.emit({ dependency: this.dependency, timeoutMs: ms, cause: 'timeout' });
        reject(error);
      }, ms);
      caller?.addEventListener('abort', onCallerAbort);
      let pending: Promise<T>;
      try {
        pending = op(controller ? controller.signal : NEVER_ABORTED);
      } catch (error) {
        if (settle()) reject(error);
        return;
      }
      pending.then(
        (value) => {
          if (settle()) resolve(value);
        },
        (error: unknown) => {
          if (settle()) reject(error);
        },
      );
    });
  }
}
