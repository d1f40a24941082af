/**
 * The `Idempotency-Key` header of a write, trimmed. A write without one cannot be made safe to
 * retry, so `refuse()` (the service's own 400 problem) is thrown when the header is missing,
 * sent twice, blank or longer than `maxLength`.
 */
export function requireIdempotencyKey(header: string | string[] | undefined, maxLength: number, refuse: () => Error): string {
  const key = Array.isArray(header) ? undefined : header?.trim();
  if (!key || key.length > maxLength) throw refuse();
  return key;
}
