import type { CriticalityTier } from '../criticality';
import { SHEDDING_DEFAULTS } from './defaults';
import type { LoadReadings } from './load-signals';
import { countShed } from './metrics';

type Limits = { inFlight: number; eventLoopDelayMs: number; queueTimeMs: number };

export interface LoadShedderOptions {
  /** Where Tier 1 is refused; `Infinity` switches a signal off. */
  limits?: Partial<Limits>;
  /** Share of `limits` at which each tier is refused. */
  shedAt?: Partial<Record<CriticalityTier, number>>;
  /** CPU utilization (share of one core) above which a share of each tier is refused; `Infinity`: never. */
  utilization?: Partial<Record<CriticalityTier, number>>;
  /** How fast that share follows utilization, per sample window (see SHEDDING_DEFAULTS). */
  utilizationGain?: number;
  retryAfterSeconds?: Partial<Record<CriticalityTier, number>>;
  /** Uniform in [0, 1): which requests of a partly refused tier go. A seam for tests. */
  random?: () => number;
}

export type ShedSignal = 'in-flight' | 'event-loop-delay' | 'queue-time' | 'utilization';

export type ShedDecision =
  | { shed: false }
  | { shed: true; tier: CriticalityTier; signal: ShedSignal; retryAfterSeconds: number; detail: string };

const ADMIT: ShedDecision = Object.freeze({ shed: false });
const TIERS: readonly CriticalityTier[] = [1, 2, 3];

/**
 * Decides, per request and before any work, whether this instance should refuse it. Lower tiers
 * are refused at lower load (Tier 3 first, Tier 1 last), so under overload the capacity left goes
 * to what must work. Two mechanisms:
 *
 * - **Utilization (proportional).** Once per sample window `adjust()` moves each tier's refused
 *   share by gain × (utilization − the tier's target), between 0 and 1; that share of the tier's
 *   requests is refused at random. A CPU-bound instance at 2× its capacity thus converges on
 *   refusing just enough low-tier work to keep its CPU at the target, and Tier 1 gets the rest.
 *   Concurrency alone cannot see this: 500 connections of fast requests are not overload.
 * - **Limits (hard).** In flight, event-loop delay and queue time against per-tier thresholds:
 *   past these every answer would be late, so even Tier 1 is refused at the last.
 *
 * A decision is a few comparisons against numbers worked out up front: no allocation when
 * admitted, nanoseconds rather than microseconds.
 */
export class LoadShedder {
  private readonly thresholds: Record<CriticalityTier, Limits>;
  private readonly targets: Record<CriticalityTier, number>;
  private readonly gain: number;
  private readonly retryAfter: Record<CriticalityTier, number>;
  private readonly random: () => number;
  /** Share of each tier refused for utilization, 0–1; moved by `adjust()`. */
  private readonly refusedShare: Record<CriticalityTier, number> = { 1: 0, 2: 0, 3: 0 };

  constructor(
    readonly readings: LoadReadings,
    options: LoadShedderOptions = {},
  ) {
    const limits = { ...SHEDDING_DEFAULTS.limits, ...options.limits };
    const shares = { ...SHEDDING_DEFAULTS.shedAt, ...options.shedAt };
    this.targets = { ...SHEDDING_DEFAULTS.utilization, ...options.utilization };
    this.gain = options.utilizationGain ?? SHEDDING_DEFAULTS.utilizationGain;
    this.retryAfter = { ...SHEDDING_DEFAULTS.retryAfterSeconds, ...options.retryAfterSeconds };
    this.random = options.random ?? Math.random;
    const at = (tier: CriticalityTier): Limits => ({
      inFlight: limits.inFlight * shares[tier],
      eventLoopDelayMs: limits.eventLoopDelayMs * shares[tier],
      queueTimeMs: limits.queueTimeMs * shares[tier],
    });
    this.thresholds = { 1: at(1), 2: at(2), 3: at(3) };
    for (const tier of TIERS) {
      if (!(shares[tier] > 0)) throw new RangeError(`shedAt[${tier}] must be above 0`);
      if (!(this.targets[tier] > 0)) throw new RangeError(`utilization[${tier}] must be above 0 (Infinity: never)`);
    }
    if (!(this.gain > 0)) throw new RangeError('utilizationGain must be above 0');
  }

  /** The share of `tier` currently refused for utilization (0–1): a gauge, and for tests. */
  shareRefused(tier: CriticalityTier): number {
    return this.refusedShare[tier];
  }

  /** Follows the latest utilization reading: call once per sample window. */
  adjust(): void {
    const utilization = this.readings.utilization;
    for (const tier of TIERS) {
      const target = this.targets[tier];
      if (target === Infinity) continue;
      const next = this.refusedShare[tier] + this.gain * (utilization - target);
      this.refusedShare[tier] = Math.min(1, Math.max(0, next));
    }
  }

  /**
   * `proportional: false` leaves out the utilization share: for work whose tier nobody declared
   * (an untagged route, such as an internal call on the way to a checkout), only the hard limits.
   */
  decide(tier: CriticalityTier, proportional = true): ShedDecision {
    const at = this.thresholds[tier];
    const r = this.readings;
    if (r.inFlight >= at.inFlight) return this.refuse(tier, 'in-flight', `${r.inFlight} requests in flight (Tier ${tier} limit ${Math.ceil(at.inFlight)})`);
    if (r.eventLoopDelayMs >= at.eventLoopDelayMs) return this.refuse(tier, 'event-loop-delay', `event-loop delay ${Math.round(r.eventLoopDelayMs)} ms (Tier ${tier} limit ${Math.round(at.eventLoopDelayMs)} ms)`);
    if (r.queueTimeMs >= at.queueTimeMs) return this.refuse(tier, 'queue-time', `requests waited ${Math.round(r.queueTimeMs)} ms to start (Tier ${tier} limit ${Math.round(at.queueTimeMs)} ms)`);
    const share = proportional ? this.refusedShare[tier] : 0;
    if (share > 0 && (share >= 1 || this.random() < share)) {
      return this.refuse(tier, 'utilization', `CPU at ${Math.round(r.utilization * 100)}% of a core (Tier ${tier} target ${Math.round(this.targets[tier] * 100)}%): refusing ${Math.round(share * 100)}% of Tier ${tier}`);
    }
    return ADMIT;
  }

  private refuse(tier: CriticalityTier, signal: ShedSignal, detail: string): ShedDecision {
    countShed(tier, signal);
    return { shed: true, tier, signal, retryAfterSeconds: this.retryAfter[tier], detail };
  }
}
