import { createHash } from 'node:crypto';
import type { ShipmentRequest } from '@keel/contracts';

/**
 * A stable hash of what a shipment request asked for, stored with its idempotency key: the same
 * key with a different fingerprint is a client bug (422), not a retry. Built from the fields, not
 * from the raw body, so JSON property order cannot change it; line order does, because a retry
 * resends the same body and a reordered one is a different request as far as the carrier knows.
 */
export function shipmentFingerprint(request: ShipmentRequest): string {
  const canonical = JSON.stringify(['schedule', request.reference, request.items.map((i) => [i.productId, i.quantity])]);
  return createHash('sha256').update(canonical).digest('hex');
}
