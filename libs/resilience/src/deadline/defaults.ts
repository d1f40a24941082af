/**
 * Every deadline number keel uses, in one place. Services override the route deadlines through
 * `bootstrapService({ trustBoundary: { deadlines } })`; the rest are platform-wide choices.
 */
export const DEADLINE_DEFAULTS = {
  /**
   * Share of the remaining time one downstream call may use. The other 10% is left to the caller
   * to notice the failure, try a fallback and still answer within its own deadline.
   */
  hopShare: 0.9,
  /**
   * How far the absolute deadline may disagree with the carried budget before a receiver decides
   * the two hosts' clocks disagree rather than that the message spent that long in transit. See
   * `remainingFromBaggage`. A request between two keel hosts crosses in milliseconds (40 ms on
   * the simulated inter-region link); a second is far beyond that and far below the seconds of
   * skew an unsynchronised host can drift.
   */
  skewToleranceMs: 1_000,
  /** Deadlines the gateway gives a route when nothing more specific is configured. */
  routes: {
    /** GET, HEAD, OPTIONS: product pages, order look-ups. */
    readMs: 2_000,
    /** Everything else (checkout runs a saga with a payment in it). */
    writeMs: 5_000,
  },
} as const;
