import type { Clock, Deadline } from '../types';
import { wallClock } from './clock';
import { ExpiringDeadline } from './deadline';
import { DEADLINE_DEFAULTS } from './defaults';

/**
 * The two baggage entries a deadline travels as. Plain string pairs, so the same codec serves W3C
 * `baggage` on HTTP today and Kafka message headers later.
 */
export const DEADLINE_BAGGAGE = {
  /** Absolute deadline, epoch ms on the sender's wall clock. */
  at: 'keel.deadline.at_ms',
  /** Milliseconds that were left when the message was sent. */
  budget: 'keel.deadline.budget_ms',
} as const;

/** The entries to send for `deadline`, stamped now (`now` = the sender's wall clock). */
export function deadlineToBaggage(deadline: Deadline, now: number): Record<string, string> {
  const budget = Math.max(0, Math.floor(deadline.remainingMs()));
  return { [DEADLINE_BAGGAGE.at]: String(Math.floor(now + budget)), [DEADLINE_BAGGAGE.budget]: String(budget) };
}

export interface DeadlineReadOptions {
  /** See DEADLINE_DEFAULTS.skewToleranceMs. */
  skewToleranceMs?: number;
}

/**
 * Milliseconds left, on the receiver's clock, for a deadline that arrived as baggage; undefined
 * when the entries carry none. Zero or less means: do not start.
 *
 * Why two numbers, and how they are reconciled. The absolute deadline counts the time the message
 * spent in transit (or queued, for an event) but reads wrong by however far the two hosts' clocks
 * disagree. The budget is immune to skew but cannot see transit time. So:
 * - absolute − now ≥ budget: the receiver's clock is behind (or transit was instant). Take the
 *   budget, the smaller: a slow clock must never extend a deadline.
 * - absolute − now < budget by at most `skewToleranceMs`: the clocks agree and the difference is
 *   transit; take absolute − now, the smaller, so time spent on the wire is not given back.
 * - absolute − now < budget by more than that: no keel link takes seconds to cross, so this is a
 *   receiver whose clock is ahead. Plain "take the smaller" would expire the work early by the
 *   full skew; take the budget instead. The cost: a message that truly spent longer than the
 *   tolerance in transit gets that transit time back (the caller's own timeout still bounds it).
 * A missing entry leaves the other one to decide alone.
 */
export function remainingFromBaggage(entries: Readonly<Record<string, string | undefined>>, now: number, options: DeadlineReadOptions = {}): number | undefined {
  const at = parseMs(entries[DEADLINE_BAGGAGE.at]);
  const budget = parseMs(entries[DEADLINE_BAGGAGE.budget]);
  if (at === undefined) return budget;
  const fromAbsolute = at - now;
  if (budget === undefined) return fromAbsolute;
  if (fromAbsolute >= budget) return budget;
  const tolerance = options.skewToleranceMs ?? DEADLINE_DEFAULTS.skewToleranceMs;
  return budget - fromAbsolute <= tolerance ? fromAbsolute : budget;
}

/** The deadline carried by `entries`, counting on `clock` from now; undefined when there is none. */
export function deadlineFromBaggage(entries: Readonly<Record<string, string | undefined>>, clock: Clock = wallClock, options?: DeadlineReadOptions): ExpiringDeadline | undefined {
  const remaining = remainingFromBaggage(entries, clock.now(), options);
  return remaining === undefined ? undefined : ExpiringDeadline.after(remaining, clock);
}

/** A non-negative integer of ms, or undefined for anything else (baggage is text from a peer). */
function parseMs(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
