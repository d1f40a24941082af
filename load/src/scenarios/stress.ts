import type { Scenario } from '../scenario';
import { STANDARD_SLO } from './slo';

/**
 * A ramp past what a 2-core laptop running 16 processes can serve. The top stages are meant to
 * break the SLO; what matters is where (the knee) and how: shedding with 503/429 rather than
 * timeouts and refused connections. So the whole run is held to looser limits, and the SLO is
 * applied stage by stage only to find the knee.
 */
export const stress: Scenario = {
  name: 'stress',
  summary: 'ramp 25 → 50 → 100 → 200 → 400 req/s, 20 s each: finds the knee (last stage within the SLO)',
  stages: [25, 50, 100, 200, 400].map((rate) => ({ name: `ramp-${rate}`, rate, durationS: 20 })),
  thresholds: [
    { metric: 'p99', tier: 1, below: 5000 },
    { metric: 'errorRate', below: 0.25 },
  ],
  kneeSlo: STANDARD_SLO,
};
