import { z } from 'zod';
import type { BaseEnv } from '@keel/service-kit';

/**
 * The carrier's name is its instance name: it names the database file and every shipment. The
 * stack runs one carrier (`global/carrier`), so unlike the payment providers it has a default.
 */
export const carrierEnv = {
  KEEL_INSTANCE: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes')
    .default('carrier'),
};

export type CarrierEnv = BaseEnv & z.infer<z.ZodObject<typeof carrierEnv>>;
