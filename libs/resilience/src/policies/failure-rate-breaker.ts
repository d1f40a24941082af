import { CircuitState as CockatielCircuitState, type IBreaker } from 'cockatiel';
import type { Clock } from '../types';
import type { BreakerOptions } from './defaults';
import { RollingCounter } from './rolling-counter';

/**
 * Opens when at least `failureRate` of the calls in the sliding window failed, once the window
 * holds `minimumVolume` calls (a quiet dependency's 1 failure in 2 calls is noise, not an outage).
 * A cockatiel IBreaker, like the ConsecutiveBreaker it is paired with, but on keel's Clock and
 * RollingCounter instead of SamplingBreaker, which reads Date.now() directly (tests cannot drive
 * it) and keeps stale counts after an idle spell.
 */
export class FailureRateBreaker implements IBreaker {
  private readonly failures: RollingCounter;
  private readonly successes: RollingCounter;

  constructor(
    private readonly options: Pick<BreakerOptions, 'failureRate' | 'minimumVolume' | 'windowMs' | 'bucketMs'>,
    private readonly clock: Clock,
  ) {
    this.failures = new RollingCounter(options.windowMs, options.bucketMs);
    this.successes = new RollingCounter(options.windowMs, options.bucketMs);
  }

  /** The window's counts (cockatiel serialises breakers through this; keel only reads it). */
  get state(): unknown {
    const now = this.clock.now();
    return { failures: this.failures.sum(now), successes: this.successes.sum(now) };
  }

  success(_state?: CockatielCircuitState): void {
    this.successes.add(this.clock.now());
  }

  failure(_state?: CockatielCircuitState): boolean {
    const now = this.clock.now();
    this.failures.add(now);
    const failures = this.failures.sum(now);
    const total = failures + this.successes.sum(now);
    return total >= this.options.minimumVolume && failures >= this.options.failureRate * total;
  }

  reset(): void {
    this.failures.reset();
    this.successes.reset();
  }
}
