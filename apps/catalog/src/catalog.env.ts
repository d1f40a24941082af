import { z } from 'zod';
import { outboxPublisherEnv } from '@keel/messaging';
import type { BaseEnv } from '@keel/service-kit';

/**
 * Beyond what the kit reads (KEEL_DATA_DIR above all): the region's Kafka, where stock and catalog
 * events go and where the other region's arrive (through the replicator), the other region's name,
 * and the stock rebalancing knobs. Without a broker or a peer there is no rebalancing and no
 * replication: the catalog still serves and reserves its own stock.
 */
export const catalogEnv = {
  ...outboxPublisherEnv,
  /** The other region of the pair (the stack sets it): whom to ask for stock, whose updates to apply. */
  KEEL_PEER_REGION: z.string().trim().min(1).optional(),
  /** Ask the peer for units when a reservation leaves fewer than this available; 0 never asks. */
  KEEL_CATALOG_REBALANCE_LOW_WATER: z.coerce.number().int().min(0).default(10),
  /** Units asked for in one transfer. */
  KEEL_CATALOG_REBALANCE_BATCH: z.coerce.number().int().min(1).max(10_000).default(20),
  /** A request unanswered for this long no longer blocks a new one for the same product. */
  KEEL_CATALOG_REBALANCE_REQUEST_TTL_MINUTES: z.coerce.number().positive().default(5),
} satisfies z.ZodRawShape;

export type CatalogEnv = BaseEnv & z.infer<z.ZodObject<typeof catalogEnv>>;
