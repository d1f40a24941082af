/**
 * The few shapes every part of libs/resilience agrees on. The library is plain TypeScript on
 * cockatiel: no Nest, no HTTP server, no service-kit import, so services, the edge and tools can
 * all use it, and service-kit can build on it.
 */

/** Time left for a piece of work, on this host's clock. */
export interface Deadline {
  /** Milliseconds left; zero or less means the work must not start. */
  remainingMs(): number;
}

/** What the caller tells a dependency policy about one call. */
export interface CallOptions {
  /** Safe to send twice (GET/HEAD, or carries an Idempotency-Key): only these are retried. */
  idempotent: boolean;
  /** The caller gave up: stop waiting, stop retrying. */
  signal?: AbortSignal;
  /** The request's deadline: timeouts are cut to fit it, expired work is not started. */
  deadline?: Deadline;
}

/** A clock tests can drive; production uses `systemClock`. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
