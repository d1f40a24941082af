import type { Scenario } from '../scenario';
import { STANDARD_SLO } from './slo';

/**
 * A sudden tenfold burst (a flash sale, a retry storm) and back. During the spike the stack may
 * shed and slow down; the run is judged on the whole (looser limits) and on the recovery stage
 * (the everyday SLO again), since a system that stays slow after the burst has not recovered.
 */
export const spike: Scenario = {
  name: 'spike',
  summary: '20 req/s for 20 s, then 200 req/s for 10 s, then 20 req/s for 20 s: sheds, then recovers to the SLO',
  stages: [
    { name: 'base', rate: 20, durationS: 20 },
    { name: 'spike', rate: 200, durationS: 10 },
    { name: 'recovery', rate: 20, durationS: 20, thresholds: STANDARD_SLO },
  ],
  thresholds: [
    { metric: 'p99', tier: 1, below: 3000 },
    { metric: 'errorRate', below: 0.1 },
  ],
};
