import { z } from 'zod';
import type { BaseEnv } from '@keel/service-kit';

const serviceUrl = z.url({ protocol: /^https?$/ });

/** What a regional gateway is told about the services behind it (see infra/local/src/topology.ts). */
export const gatewayEnv = {
  KEEL_CATALOG_URL: serviceUrl,
  KEEL_RECOMMENDATIONS_URL: serviceUrl,
  KEEL_CHECKOUT_URL: serviceUrl,
  /** The other region; orders homed there are read through the inter-region link. */
  KEEL_PEER_REGION: z.string().min(1).optional(),
  KEEL_PEER_CHECKOUT_URL: serviceUrl.optional(),
  /** The other region's recommendations: the product page's fallback when ours fail. */
  KEEL_PEER_RECOMMENDATIONS_URL: serviceUrl.optional(),
  /** Recommendations are Tier 2: a product page waits this long for them, then goes without. */
  KEEL_RECOMMENDATIONS_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(300),
} satisfies z.ZodRawShape;

export type GatewayEnv = BaseEnv & z.infer<z.ZodObject<typeof gatewayEnv>>;
