import { DependencyError } from '@keel/service-kit';

/** Errors that mean the request never reached the dependency: the connection was never made. */
const NOT_DELIVERED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * A call with side effects (a charge, a shipment) that got no answer. The line that matters is
 * between `unavailable` (certainly not done: safe to go elsewhere or give up) and `unknown` (it
 * may have been done: only the same key at the same place may be tried again).
 */
export function classifyCallError(error: unknown): { kind: 'unavailable' | 'unknown'; reason: string } {
  // Refused before sending (circuit open, bulkhead full, deadline past): nothing was done.
  if (error instanceof DependencyError && error.neverSent) return { kind: 'unavailable', reason: error.message };
  const codes: unknown[] = [];
  // HttpDependency wraps undici's error, which may wrap the socket's: look a few causes down.
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) codes.push((e as { code?: unknown }).code);
  const reason = error instanceof Error ? error.message : String(error);
  return codes.some((code) => typeof code === 'string' && NOT_DELIVERED.has(code)) ? { kind: 'unavailable', reason } : { kind: 'unknown', reason };
}
