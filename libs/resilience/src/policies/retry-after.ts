/**
 * Parses an HTTP `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) into
 * milliseconds from `now`, for an error's `retryAfterMs`. Anything unparseable is undefined, so a
 * garbled header falls back to our own backoff instead of a wait the server never asked for.
 */
export function parseRetryAfter(header: string | readonly string[] | undefined, now: number = Date.now()): number | undefined {
  const value = (typeof header === 'string' ? header : header?.[0])?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1_000;
  const at = Date.parse(value);
  // A date needs a weekday/month name: a bare "1.5" or "-1" is not one, whatever Date.parse thinks.
  if (Number.isNaN(at) || !/[a-z]/i.test(value)) return undefined;
  return Math.max(0, at - now);
}
