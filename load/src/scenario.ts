import type { CriticalityTier } from '@keel/resilience';

/** What a threshold measures: a latency percentile (ms) of each route, or the error rate (0..1). */
export type Metric = 'p50' | 'p90' | 'p99' | 'max' | 'errorRate';

/**
 * A service-level objective a run must meet. Latency metrics hold for every route in scope
 * (the worst one decides); the error rate is over all requests in scope together.
 */
export interface Threshold {
  metric: Metric;
  /** Only routes of this tier; every route when unset. */
  tier?: CriticalityTier;
  /** The value must stay below this: milliseconds for latencies, a ratio for the error rate. */
  below: number;
}

/** A stretch of the run at one rate. */
export interface Stage {
  name: string;
  /** Total requests per second, split over the routes by the shopper mix. */
  rate: number;
  durationS: number;
  /** Objectives for this stage alone (the spike's recovery); checked besides the scenario's. */
  thresholds?: Threshold[];
}

export interface Scenario {
  name: string;
  /** One line for `--help`. */
  summary: string;
  /** Run one after the other; a single stage for steady scenarios. */
  stages: Stage[];
  /** Objectives over the whole run. */
  thresholds: Threshold[];
  /**
   * Stress only: the SLO each stage is held to, to find the knee (the last stage of the ramp
   * that still met it). A ramp past capacity is meant to break the SLO at the top.
   */
  kneeSlo?: Threshold[];
}

export interface Overrides {
  /** The first stage's rate; later stages keep their ratio to it. */
  rate?: number;
  /** The whole run's duration in seconds; stages keep their share of it (at least 1 s each). */
  durationS?: number;
}

/** The scenario with `--rate` and `--duration` applied. */
export function applyOverrides(scenario: Scenario, { rate, durationS }: Overrides): Scenario {
  const baseRate = scenario.stages[0].rate;
  const totalS = totalDuration(scenario);
  const stages = scenario.stages.map((stage) => ({
    ...stage,
    rate: rate === undefined ? stage.rate : Math.max(1, Math.round((stage.rate * rate) / baseRate)),
    durationS: durationS === undefined ? stage.durationS : Math.max(1, Math.round((stage.durationS * durationS) / totalS)),
  }));
  return { ...scenario, stages };
}

export const totalDuration = (scenario: Scenario): number => scenario.stages.reduce((sum, s) => sum + s.durationS, 0);
