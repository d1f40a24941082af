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
  KEEL_CARRIER_URL: z.url(),
  /** Per call to catalog (pricing, reserve, release). */
  KEEL_CHECKOUT_CATALOG_TIMEOUT_MS: ms(2_000),
  /** Per charge attempt at one provider; a timeout leaves the order pending, never failed over. */
  KEEL_CHECKOUT_PAYMENT_TIMEOUT_MS: ms(2_000),
  /** Per call to the shipping carrier; a timeout means a shipment may exist (cancelled on failure). */
  KEEL_CHECKOUT_CARRIER_TIMEOUT_MS: ms(2_000),
  /** A step that has to wait is retried after base × 2^(attempts-1), jittered, at most the max. */
  KEEL_CHECKOUT_RETRY_BASE_MS: ms(1_000),
  KEEL_CHECKOUT_RETRY_MAX_MS: ms(30_000),
  /**
   * Tries of one step before the saga gives up on it: a forward step (shipping) then fails the
   * order and compensates; a compensation sends the saga to the dead-letter topic and the order
   * to `needs-attention`. With the defaults, about two and a half minutes of trying.
   */
  KEEL_CHECKOUT_STEP_ATTEMPTS: ms(8),
  /** How long an order may stay `payment-pending` (charged from the queue) before it fails and releases its stock. */
  KEEL_CHECKOUT_PAYMENT_PENDING_MAX_MS: ms(15 * 60_000),
  /**
   * How long a worker owns an order per step, and so how long after a crash recovery takes the
   * order over. Must outlast the slowest step (two charge attempts).
   */
  KEEL_CHECKOUT_RECOVER_AFTER_MS: ms(5_000),
  /** How often the recovery loop looks for orders to drive on. */
  KEEL_CHECKOUT_RECOVERY_INTERVAL_MS: ms(5_000),
  /** The region's Kafka, where the outbox's order and payment events go; unset, they stay in the outbox. */
  ...outboxPublisherEnv,
};

export type CheckoutEnv = BaseEnv & z.infer<z.ZodObject<typeof checkoutEnv>>;
