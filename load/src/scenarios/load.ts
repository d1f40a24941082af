import type { Scenario } from '../scenario';
import { STANDARD_SLO } from './slo';

/** A normal busy minute: what the stack should take all day on a laptop. */
export const load: Scenario = {
  name: 'load',
  summary: '60 s steady at 50 req/s: the everyday SLO under a normal busy load',
  stages: [{ name: 'steady', rate: 50, durationS: 60 }],
  thresholds: STANDARD_SLO,
};
