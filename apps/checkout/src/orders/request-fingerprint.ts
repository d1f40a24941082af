import { createHash } from 'node:crypto';
import type { CheckoutRequest } from '@keel/contracts';

/**
 * A hash of what a checkout asked for, stored with its idempotency key: the same key with another
 * cart is a client bug (422), not a retry. Built from the validated fields in a fixed shape, so
 * JSON property order and whitespace do not matter; line order does (it is the order's line order).
 */
export function checkoutFingerprint(request: CheckoutRequest): string {
  const canonical = JSON.stringify([request.items.map((item) => [item.productId, item.quantity]), request.customer.email]);
  return createHash('sha256').update(canonical).digest('hex');
}
