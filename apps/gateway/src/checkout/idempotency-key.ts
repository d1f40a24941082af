import { problem } from '@keel/service-kit';

/** Visible ASCII, bounded: a key is stored and logged downstream, so it must be small and printable. */
const KEY = /^[\x21-\x7e]{1,200}$/;

/**
 * The `Idempotency-Key` a checkout must carry: it is what makes a retried checkout the same order
 * instead of a second charge, so a request without one is refused before anything is started.
 */
export function requireIdempotencyKey(header: string | string[] | undefined): string {
  const key = Array.isArray(header) ? undefined : header;
  if (!key) throw problem(400, 'idempotency-key-required', 'Idempotency-Key header required', 'send a unique Idempotency-Key (a UUID, say) and reuse it when you retry the same checkout');
  if (!KEY.test(key)) throw problem(400, 'idempotency-key-invalid', 'Idempotency-Key is not valid', 'use 1-200 visible ASCII characters');
  return key;
}
