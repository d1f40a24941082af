import type { Scenario } from '../scenario';
import { STANDARD_SLO } from './slo';

/**
 * A moderate load held for a while, to surface what only time shows: leaks, growing queues,
 * a filling disk, stock running low. Bounded (10 minutes by default; `--duration` shortens it).
 */
export const soak: Scenario = {
  name: 'soak',
  summary: '10 min at 30 req/s (bounded; --duration to shorten): the SLO holds over time',
  stages: [{ name: 'steady', rate: 30, durationS: 600 }],
  thresholds: STANDARD_SLO,
};
