/**
 * The work a policy protects: one attempt at calling the dependency. The signal aborts when the
 * attempt times out or the caller gives up; pass it on (to undici's `signal`) so the work stops.
 * An operation declared without parameters (`() => ...`) says it cannot use one, and the timeout
 * then creates no AbortController for it.
 */
export type Operation<T> = (signal: AbortSignal) => Promise<T>;

/** Handed to layers and operations that have nothing to cancel: never aborts, shared, free. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;
