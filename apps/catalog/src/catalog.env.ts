import type { z } from 'zod';
import type { BaseEnv } from '@keel/service-kit';

/** Catalog needs only what the kit already reads (KEEL_DATA_DIR above all); its own variables go here. */
export const catalogEnv = {} satisfies z.ZodRawShape;

export type CatalogEnv = BaseEnv & z.infer<z.ZodObject<typeof catalogEnv>>;
