import { decorrelatedJitterGenerator, type IExponentialBackoffOptions } from 'cockatiel';

/** Where a call's backoff sequence is: cockatiel's decorrelated-jitter generator state. */
export type JitterState = [number, number] | undefined;

/**
 * Decorrelated jitter (Polly's "DecorrelatedJitterBackoffV2", as cockatiel implements it): waits
 * grow roughly exponentially from `baseDelayMs` but are spread so that callers who failed
 * together do not retry together. Called as a plain function: cockatiel's ExponentialBackoff
 * wraps the same generator in an object per step, which a retry loop does not need.
 */
export class DecorrelatedJitter {
  private readonly options: IExponentialBackoffOptions<[number, number]>;

  constructor(baseDelayMs: number, maxDelayMs: number) {
    this.options = { generator: decorrelatedJitterGenerator, exponent: 2, initialDelay: baseDelayMs, maxDelay: maxDelayMs };
  }

  /** The next wait in whole milliseconds (timers have no finer grain), and the state for next time. */
  next(state: JitterState): [number, [number, number]] {
    const [delay, nextState] = decorrelatedJitterGenerator(state, this.options);
    return [Math.round(delay), nextState];
  }
}
