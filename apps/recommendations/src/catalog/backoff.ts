export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): doubling from `initialMs`, capped at `maxMs`, with
 * "equal jitter" (half fixed, half random) so replicas that lost the catalog together do not
 * return to it in lockstep, yet never retry sooner than half the nominal delay.
 */
export function retryDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const nominal = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  return Math.round(nominal / 2 + (nominal / 2) * random());
}
