import type { Scenario } from '../scenario';
import { STANDARD_SLO } from './slo';

/** Does every route answer, at all, within the SLO? A few seconds at a trickle. */
export const smoke: Scenario = {
  name: 'smoke',
  summary: '10 s at 10 req/s: every route answers within the SLO (a quick check that the stack works)',
  stages: [{ name: 'steady', rate: 10, durationS: 10 }],
  thresholds: STANDARD_SLO,
};
