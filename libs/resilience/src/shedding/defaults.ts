import type { CriticalityTier } from '../criticality';

/**
 * Load-shedding numbers, in one place. `limits` are where even Tier 1 work is refused; lower tiers
 * go earlier, at the share of the limits in `shedAt`. With the defaults, an instance refuses
 * Tier 3 work at 500 requests in flight or 200 ms of event-loop delay, Tier 2 at 750 / 300 ms,
 * and Tier 1 only at 1000 / 400 ms, where answering more would make every answer late.
 */
export const SHEDDING_DEFAULTS = {
  limits: {
    /** Requests this instance is working on at once. */
    inFlight: 1_000,
    /** p99 event-loop delay over the last sample window: how late every callback is running. */
    eventLoopDelayMs: 400,
    /** Longest wait, in the last window, between a request arriving and its handler starting. */
    queueTimeMs: 400,
  },
  shedAt: { 3: 0.5, 2: 0.75, 1: 1 } satisfies Record<CriticalityTier, number>,
  /** What a shed client is told to wait: lower tiers are told to stay away longer. */
  retryAfterSeconds: { 3: 5, 2: 2, 1: 1 } satisfies Record<CriticalityTier, number>,
  /** Routes nobody tagged with a feature count as Tier 2: shed before checkout, after trending. */
  untaggedTier: 2 as CriticalityTier,
  /** How often event-loop delay and queue time are read (and their windows restarted). */
  sampleIntervalMs: 250,
  /** Granularity of the event-loop delay histogram. */
  eventLoopResolutionMs: 10,
} as const;
