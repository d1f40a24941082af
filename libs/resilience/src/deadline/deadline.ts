import type { Clock, Deadline } from '../types';
import { wallClock } from './clock';

/**
 * A point in time on one host's clock after which work is pointless: whoever asked has given up.
 * Remaining time is measured on the clock the deadline was made with, so a skewed clock shifts
 * both readings equally and durations stay right.
 */
export class ExpiringDeadline implements Deadline {
  private constructor(
    /** When it expires, in `clock` milliseconds (epoch ms for the wall clock). */
    readonly expiresAt: number,
    readonly clock: Clock,
  ) {}

  /** A deadline `ms` from now. */
  static after(ms: number, clock: Clock = wallClock): ExpiringDeadline {
    return new ExpiringDeadline(clock.now() + Math.max(0, ms), clock);
  }

  remainingMs(): number {
    return this.expiresAt - this.clock.now();
  }

  expired(): boolean {
    return this.remainingMs() <= 0;
  }
}

/** The clock a deadline counts on; the process wall clock for a `Deadline` keel did not make. */
export function clockOf(deadline: Deadline): Clock {
  return deadline instanceof ExpiringDeadline ? deadline.clock : wallClock;
}

/** Thrown instead of starting work whose deadline has passed. Nothing was sent or done. */
export class DeadlineExceededError extends Error {
  /** Lets code that classifies errors by `code` (as Node's do) recognise it without importing it. */
  readonly code = 'KEEL_DEADLINE_EXCEEDED';

  constructor(what: string) {
    super(`deadline passed before ${what}`);
    this.name = 'DeadlineExceededError';
  }
}
