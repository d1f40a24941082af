import { z } from 'zod';
import { outboxPublisherEnv } from '@keel/messaging';
import type { BaseEnv } from '@keel/service-kit';

const ms = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/**
 * Checkout's own variables. Dependency URLs have no default: they differ per region and a wrong
 * guess would send one region's orders to the other's catalog.
 */
export const checkoutEnv = {
  KEEL_CATALOG_URL: z.url(),
  KEEL_PROVIDER_A_URL: z.url(),
  KEEL_PROVIDER_B_URL: z.url(),
  KEEL_RECOMMENDATIONS_URL: z.url(),
  /** Per call to catalog (pricing, reserve, release). */
  KEEL_CHECKOUT_CATALOG_TIMEOUT_MS: ms(2_000),
  /** Per charge attempt at one provider; a timeout leaves the order pending, never failed over. */
  KEEL_CHECKOUT_PAYMENT_TIMEOUT_MS: ms(2_000),
  /**
   * How long a worker owns an order per step, and how long a parked order waits before recovery
   * picks it up again. Must outlast the slowest step (two charge attempts).
   */
  KEEL_CHECKOUT_RECOVER_AFTER_MS: ms(5_000),
  /** How often the recovery loop looks for orders to drive on. */
  KEEL_CHECKOUT_RECOVERY_INTERVAL_MS: ms(5_000),
  /** The region's Kafka, where the outbox's order and payment events go; unset, they stay in the outbox. */
  ...outboxPublisherEnv,
};

export type CheckoutEnv = BaseEnv & z.infer<z.ZodObject<typeof checkoutEnv>>;
