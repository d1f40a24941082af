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
  retryAfterSeconds?: Partial<Record<CriticalityTier, number>>;
}

export type ShedSignal = 'in-flight' | 'event-loop-delay' | 'queue-time';

export type ShedDecision =
  | { shed: false }
  | { shed: true; tier: CriticalityTier; signal: ShedSignal; retryAfterSeconds: number; detail: string };

const ADMIT: ShedDecision = Object.freeze({ shed: false });
const TIERS: readonly CriticalityTier[] = [1, 2, 3];

/**
 * Decides, per request and before any work, whether this instance should refuse it. Lower tiers
 * are refused at lower load (Tier 3 first, Tier 1 last), so under overload the capacity left goes
 * to what must work. A decision is three comparisons against thresholds worked out up front: no
 * queueing, no allocation when admitted, nanoseconds rather than microseconds.
 */
export class LoadShedder {
  private readonly thresholds: Record<CriticalityTier, Limits>;
  private readonly retryAfter: Record<CriticalityTier, number>;

  constructor(
    readonly readings: LoadReadings,
    options: LoadShedderOptions = {},
  ) {
    const limits = { ...SHEDDING_DEFAULTS.limits, ...options.limits };
    const shares = { ...SHEDDING_DEFAULTS.shedAt, ...options.shedAt };
    this.retryAfter = { ...SHEDDING_DEFAULTS.retryAfterSeconds, ...options.retryAfterSeconds };
    const at = (tier: CriticalityTier): Limits => ({
      inFlight: limits.inFlight * shares[tier],
      eventLoopDelayMs: limits.eventLoopDelayMs * shares[tier],
      queueTimeMs: limits.queueTimeMs * shares[tier],
    });
    this.thresholds = { 1: at(1), 2: at(2), 3: at(3) };
    for (const tier of TIERS) if (!(shares[tier] > 0)) throw new RangeError(`shedAt[${tier}] must be above 0`);
  }

  decide(tier: CriticalityTier): ShedDecision {
    const at = this.thresholds[tier];
    const r = this.readings;
    if (r.inFlight >= at.inFlight) return this.refuse(tier, 'in-flight', `${r.inFlight} requests in flight (Tier ${tier} limit ${Math.ceil(at.inFlight)})`);
    if (r.eventLoopDelayMs >= at.eventLoopDelayMs) return this.refuse(tier, 'event-loop-delay', `event-loop delay ${Math.round(r.eventLoopDelayMs)} ms (Tier ${tier} limit ${Math.round(at.eventLoopDelayMs)} ms)`);
    if (r.queueTimeMs >= at.queueTimeMs) return this.refuse(tier, 'queue-time', `requests waited ${Math.round(r.queueTimeMs)} ms to start (Tier ${tier} limit ${Math.round(at.queueTimeMs)} ms)`);
    return ADMIT;
  }

  private refuse(tier: CriticalityTier, signal: ShedSignal, detail: string): ShedDecision {
    countShed(tier, signal);
    return { shed: true, tier, signal, retryAfterSeconds: this.retryAfter[tier], detail };
  }
}
