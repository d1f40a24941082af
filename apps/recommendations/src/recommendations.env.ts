import { z } from 'zod';
import type { BaseEnv } from '@keel/service-kit';

export const recommendationsEnv = {
  /** This region's catalog, the source of the product snapshot. */
  KEEL_CATALOG_URL: z.url(),
  /** How often the catalog snapshot is refreshed once it has loaded. */
  KEEL_RECOMMENDATIONS_REFRESH_MS: z.coerce.number().int().min(100).default(30_000),
  /** Ceiling of the backoff between failed snapshot loads (the first retry waits ~200 ms). */
  KEEL_RECOMMENDATIONS_RETRY_MAX_MS: z.coerce.number().int().min(10).default(5_000),
};

export type RecommendationsEnv = BaseEnv & z.infer<z.ZodObject<typeof recommendationsEnv>>;
