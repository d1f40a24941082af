import { dependencyPolicy } from '../src/policies';
import type { Clock } from '../src/types';
import { seededRandom } from './measure';

export interface Amplification {
  failureRate: number;
  requestsPerSecond: number;
  budget: boolean;
  originals: number;
  /** Requests the dependency received, retries included. */
  seen: number;
  perOriginal: number;
}

/**
 * Retry amplification: an in-process fake dependency that fails `failureRate` of the requests it
 * receives (a 503, seeded so every run sees the same sequence), called `requestsPerSecond` times a
 * second for `seconds` of simulated time, through the retry layer with and without the budget.
 * Backoff is zero and the clock is simulated (each request moves it 1/rps s), so nothing sleeps;
 * the breaker and bulkhead are off so only retries shape the load.
 */
export async function amplification(failureRate: number, requestsPerSecond: number, seconds: number, budget: boolean): Promise<Amplification> {
  let now = 0;
  const clock: Clock = {
    now: () => now,
    // The fake answers at once, so attempt timers are always cleared before they could fire.
    setTimeout: () => 0,
    clearTimeout: () => undefined,
  };
  const policy = dependencyPolicy('simulated', {
    clock,
    meter: false,
    breaker: false,
    bulkhead: false,
    retry: { baseDelayMs: 0, maxDelayMs: 0 },
    budget: budget ? {} : false,
  });
  const random = seededRandom(42);
  const failure = Object.assign(new Error('simulated 503'), { status: 503 });
  let seen = 0;
  const dependency = (): Promise<string> => {
    seen++;
    return random() < failureRate ? Promise.reject(failure) : Promise.resolve('ok');
  };
  const originals = requestsPerSecond * seconds;
  for (let i = 0; i < originals; i++) {
    now = (i * 1_000) / requestsPerSecond;
    await policy.execute(dependency, { idempotent: true }).catch(() => undefined);
  }
  return { failureRate, requestsPerSecond, budget, originals, seen, perOriginal: seen / originals };
}
