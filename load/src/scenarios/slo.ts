import type { Threshold } from '../scenario';

/**
 * keel's everyday SLO: Tier-1 answers (list, product page, checkout) within a second at p99,
 * Tier-2 (recommendations, which may fall back) within two, and fewer than 1% errors. Errors
 * are 5xx and other unexpected statuses, timeouts and connection failures; a 409 out-of-stock
 * or a 202 accepted-for-later is the shop working, not an error.
 */
export const STANDARD_SLO: Threshold[] = [
  { metric: 'p99', tier: 1, below: 1000 },
  { metric: 'p99', tier: 2, below: 2000 },
  { metric: 'errorRate', below: 0.01 },
];
