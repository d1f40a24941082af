import type { z } from 'zod';
import { outboxPublisherEnv } from '@keel/messaging';
import type { BaseEnv } from '@keel/service-kit';

/** Beyond what the kit reads (KEEL_DATA_DIR above all): the region's Kafka, where stock events go. */
export const catalogEnv = { ...outboxPublisherEnv } satisfies z.ZodRawShape;

export type CatalogEnv = BaseEnv & z.infer<z.ZodObject<typeof catalogEnv>>;
