import { z } from 'zod';
import type { BaseEnv } from '@keel/service-kit';

/**
 * The provider's name is its instance name (`provider-a`, `provider-b`): it names the database
 * file and every charge, so it is required here rather than defaulted, and two instances can
 * never end up sharing one ledger by accident.
 */
export const paymentProviderEnv = {
  KEEL_INSTANCE: z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes'),
};

export type PaymentProviderEnv = BaseEnv & z.infer<z.ZodObject<typeof paymentProviderEnv>>;
