import { idempotencyKeyRequired } from '../payment-provider.problems';

const MAX_KEY_LENGTH = 255;

/** The `Idempotency-Key` header of a payment write, or a 400 problem: no key, no money moves. */
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? undefined : header?.trim();
  if (!key || key.length > MAX_KEY_LENGTH) throw idempotencyKeyRequired();
  return key;
}
