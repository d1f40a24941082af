import { createHash } from 'node:crypto';

/**
 * A stable hash of what a write asked for, stored with its idempotency key: the same key with a
 * different fingerprint is a client bug (422), not a retry. Keys are sorted so the property order
 * of the JSON body cannot change the hash; the operation is part of it so a charge's key cannot be
 * replayed as a refund.
 */
export function requestFingerprint(operation: string, fields: Record<string, string | number>): string {
  const canonical = JSON.stringify([operation, ...Object.keys(fields).sort().map((k) => [k, fields[k]])]);
  return createHash('sha256').update(canonical).digest('hex');
}
