import { idempotencyKeyRequired } from '../carrier.problems';

const MAX_KEY_LENGTH = 200;

/** The `Idempotency-Key` header of a shipment request, or a 400 problem: no key, no shipment. */
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? undefined : header?.trim();
  if (!key || key.length > MAX_KEY_LENGTH) throw idempotencyKeyRequired();
  return key;
}
