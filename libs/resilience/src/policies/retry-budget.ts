import { EventEmitter } from 'cockatiel';
import type { Clock } from '../types';
import type { RetryBudgetOptions } from './defaults';
import { RollingCounter } from './rolling-counter';

export interface BudgetExhaustedEvent {
  dependency: string;
  /** Original requests and retries counted in the window when the retry was refused. */
  requests: number;
  retries: number;
}

/**
 * A per-dependency allowance of retries, in the manner of Finagle's RetryBudget: every original
 * request deposits `ratio` of a retry, every retry withdraws one, over a sliding window; a floor of
 * `minRetriesPerSecond` (× the window) is always allowed on top so a quiet dependency can still
 * retry. When a dependency fails half its calls, three attempts each would send it ~1.75× its
 * traffic; with the budget it sees at most ~(1 + ratio)×, and recovers instead of drowning.
 */
export class RetryBudget {
  private readonly emitter = new EventEmitter<BudgetExhaustedEvent>();
  /** Fires each time a retry is refused for want of budget. */
  readonly onExhausted = this.emitter.addListener;
  private readonly requests: RollingCounter;
  private readonly retries: RollingCounter;
  private readonly floor: number;

  constructor(
    readonly dependency: string,
    private readonly options: RetryBudgetOptions,
    private readonly clock: Clock,
  ) {
    this.requests = new RollingCounter(options.windowMs, options.bucketMs);
    this.retries = new RollingCounter(options.windowMs, options.bucketMs);
    this.floor = (options.minRetriesPerSecond * options.windowMs) / 1_000;
  }

  /** Counts one original request (not a retry). */
  deposit(): void {
    this.requests.add(this.clock.now());
  }

  /** Takes one retry from the budget; false (and an event) when none is left. */
  tryWithdraw(): boolean {
    const now = this.clock.now();
    const retries = this.retries.sum(now);
    if (retries + 1 > this.allowance(now)) {
      this.emitter.emit({ dependency: this.dependency, requests: this.requests.sum(now), retries });
      return false;
    }
    this.retries.add(now);
    return true;
  }

  /** Whole retries left in the window right now. */
  get available(): number {
    const now = this.clock.now();
    return Math.max(0, Math.floor(this.allowance(now) - this.retries.sum(now)));
  }

  private allowance(now: number): number {
    return this.options.ratio * this.requests.sum(now) + this.floor;
  }
}
