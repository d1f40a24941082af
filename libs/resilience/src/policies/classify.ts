import { DeadlineExceededError } from '../deadline/deadline';
import { DependencyTimeoutError, ResilienceError } from './errors';

/**
 * What a failed call says about the dependency. Classification is structural (a numeric `status`,
 * an errno-style `code`, or one of this library's own errors, looked for along the `cause`
 * chain), so the library needs no HTTP client's error classes: service-kit's DependencyError, an
 * undici error and a test's plain object all classify the same way.
 */
export type FailureKind =
  /** An attempt ran out of time (ours, or the client's own timeout answering 504). */
  | 'timeout'
  /** The connection failed or broke: refused, reset, closed mid-exchange. */
  | 'connection'
  /** The dependency answered 5xx. */
  | 'server'
  /** The dependency answered 429: it is shedding load and asked us to back off. */
  | 'throttled'
  /** Any other 4xx: our request was wrong; the dependency is fine and sending it again won't help. */
  | 'client'
  /** Refused by a policy before reaching the dependency (open circuit, full bulkhead, deadline). */
  | 'rejected'
  /** Anything else (a bug in the operation, a parse error): not the dependency's health. */
  | 'other';

export type FailureClassifier = (error: unknown) => FailureKind;

/**
 * The kinds that mean "the dependency is unwell": only these are retried and only these count
 * against the circuit breaker. Never any other 4xx: a flood of bad requests must not open the
 * circuit for everyone else.
 */
export function isDependencyFailure(kind: FailureKind): boolean {
  return kind === 'timeout' || kind === 'connection' || kind === 'server' || kind === 'throttled';
}

/** Socket-level failures, from Node (errno) and undici (`UND_ERR_*`), that say the link broke. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** undici's own read timeouts: the dependency stopped answering part-way. */
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** How far down `cause` to look: wrappers nest one or two deep; a cycle must not hang us. */
const MAX_CAUSE_DEPTH = 4;

export const classifyFailure: FailureClassifier = (error) => {
  let found: FailureKind = 'other';
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    // A passed deadline anywhere in the chain means nothing was sent, even when a client wrapped
    // it as a 504 (service-kit's HttpDependency does): not the dependency's failure.
    if (current instanceof DeadlineExceededError) return 'rejected';
    if (found === 'other') found = kindOf(current);
    current = (current as { cause?: unknown }).cause;
  }
  return found;
};

/** What one error in the chain says on its own, without its cause. */
function kindOf(error: object): FailureKind {
  if (error instanceof DependencyTimeoutError) return 'timeout';
  if (error instanceof ResilienceError) return 'rejected';
  const { status, statusCode, code } = error as { status?: unknown; statusCode?: unknown; code?: unknown };
  const httpStatus = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : undefined;
  if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 600) return byStatus(httpStatus);
  if (typeof code === 'string') {
    if (CONNECTION_CODES.has(code)) return 'connection';
    if (TIMEOUT_CODES.has(code)) return 'timeout';
  }
  return 'other';
}

function byStatus(status: number): FailureKind {
  if (status === 429) return 'throttled';
  if (status >= 500) return status === 504 ? 'timeout' : 'server';
  return 'client';
}

/**
 * A server-requested wait carried by the error (for example parsed from `Retry-After` into a
 * numeric `retryAfterMs`), looked for along the `cause` chain like the status.
 */
export function retryAfterOf(error: unknown): number | undefined {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && typeof current === 'object' && current !== null; depth++) {
    const value = (current as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
