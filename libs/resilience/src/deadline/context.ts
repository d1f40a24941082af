import { context, createContextKey, propagation, type BaggageEntry, type Context } from '@opentelemetry/api';
import type { Deadline } from '../types';
import { DEADLINE_BAGGAGE, deadlineToBaggage } from './baggage-codec';
import { ExpiringDeadline, clockOf } from './deadline';
import { DEADLINE_DEFAULTS } from './defaults';

const DEADLINE_KEY = createContextKey('keel.deadline');

/**
 * `ctx` carrying `deadline`: as a value for `currentDeadline()`, and as baggage stamped now, so
 * that a request or message injected from it carries it to the next hop. Stamp each call as it
 * starts: the budget entry is the time left when this was called, not when the bytes leave.
 */
export function withDeadline(ctx: Context, deadline: Deadline): Context {
  // One new baggage with the other entries and the two stamped ones: setEntry would copy it per entry.
  const entries: Record<string, BaggageEntry> = {};
  for (const [key, entry] of propagation.getBaggage(ctx)?.getAllEntries() ?? []) entries[key] = entry;
  const stamped = deadlineToBaggage(deadline, clockOf(deadline).now());
  entries[DEADLINE_BAGGAGE.at] = { value: stamped[DEADLINE_BAGGAGE.at] };
  entries[DEADLINE_BAGGAGE.budget] = { value: stamped[DEADLINE_BAGGAGE.budget] };
  return propagation.setBaggage(ctx, propagation.createBaggage(entries)).setValue(DEADLINE_KEY, deadline);
}

/**
 * `ctx` with `deadline` current (`currentDeadline()`), but not in baggage: for a request's handler,
 * whose outgoing calls each stamp their own budget as they start (`withDeadline` per call, as
 * service-kit's HttpDependency and messaging's headers do). Stamping it here too would build a
 * baggage per request that no call sends.
 */
export function withCurrentDeadline(ctx: Context, deadline: Deadline): Context {
  return ctx.setValue(DEADLINE_KEY, deadline);
}

/**
 * `ctx` with no deadline and no deadline baggage: for work that must outlive the request that
 * started it (a fire-and-forget signal, a saga step the recovery loop will finish).
 */
export function withoutDeadline(ctx: Context): Context {
  const baggage = propagation.getBaggage(ctx);
  const cleaned = baggage ? propagation.setBaggage(ctx, baggage.removeEntries(DEADLINE_BAGGAGE.at, DEADLINE_BAGGAGE.budget)) : ctx;
  return cleaned.deleteValue(DEADLINE_KEY);
}

/** The deadline of the request being served, if it came with one (see service-kit's inbound hook). */
export function currentDeadline(ctx: Context = context.active()): Deadline | undefined {
  return ctx.getValue(DEADLINE_KEY) as Deadline | undefined;
}

/**
 * How long one downstream call may take: min(remaining × 0.9, the dependency's default), or the
 * default when there is no deadline. Zero when the deadline has passed: do not start the call.
 */
export function budgetFor(dependencyDefaultMs: number, deadline: Deadline | undefined = currentDeadline()): number {
  if (!deadline) return dependencyDefaultMs;
  const share = Math.floor(deadline.remainingMs() * DEADLINE_DEFAULTS.hopShare);
  return Math.max(0, Math.min(share, dependencyDefaultMs));
}

/**
 * The deadline a callee is given for one call: the call's own budget from now. The callee gets
 * what the caller will actually wait, not the caller's whole remaining time.
 */
export function deadlineForCall(budgetMs: number, parent: Deadline): ExpiringDeadline {
  return ExpiringDeadline.after(budgetMs, clockOf(parent));
}
