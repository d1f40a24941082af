import type { CriticalityTier } from '../criticality';

/**
 * Load-shedding numbers, in one place. Two mechanisms:
 * - `utilization`: while the process uses more of its core than a tier's target, a growing share
 *   of that tier is refused (Tier 3 above 75%, Tier 2 above 85%; Tier 1 never for this), so a
 *   saturated instance spends its CPU on what matters before anything is late;
 * - `limits`: where even Tier 1 work is refused; lower tiers go earlier, at the share of the
 *   limits in `shedAt`. With the defaults, an instance refuses Tier 3 work at 500 requests in
 *   flight or 200 ms of event-loop delay, Tier 2 at 750 / 300 ms, and Tier 1 only at 1000 /
 *   400 ms, where answering more would make every answer late.
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
  /**
   * CPU utilization (share of one core this process used, smoothed) above which part of a tier
   * is refused; `Infinity`: never on this signal.
   */
  utilization: { 3: 0.75, 2: 0.85, 1: Infinity } satisfies Record<CriticalityTier, number>,
  /**
   * How fast the refused share follows utilization: each window it moves by `gain` × (utilization
   * − target). 3 takes Tier 2 from none to all refused in about a second of saturation and back
   * within a window or two once there is room; much higher and the share oscillates.
   */
  utilizationGain: 3,
  /** Time constant of utilization's moving average: a burst shorter than this sheds little. */
  utilizationSmoothingMs: 1_000,
  /** What a shed client is told to wait: lower tiers are told to stay away longer. */
  retryAfterSeconds: { 3: 5, 2: 2, 1: 1 } satisfies Record<CriticalityTier, number>,
  /** Routes nobody tagged with a feature count as Tier 2: shed before checkout, after trending. */
  untaggedTier: 2 as CriticalityTier,
  /** How often event-loop delay and queue time are read (and their windows restarted). */
  sampleIntervalMs: 250,
  /** Granularity of the event-loop delay histogram. */
  eventLoopResolutionMs: 10,
} as const;
