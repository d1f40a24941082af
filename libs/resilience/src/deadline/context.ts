import { context, createContextKey, propagation, type Context } from '@opentelemetry/api';
import type { Deadline } from '../types';
import { DEADLINE_BAGGAGE, deadlineToBaggage } from './baggage-codec';
import { ExpiringDeadline, clockOf } from './deadline';
import { DEADLINE_DEFAULTS } from './defaults';

const DEADLINE_KEY = createContextKey('keel.deadline');

/**
 * `ctx` carrying `deadline`: as a value for `currentDeadline()`, and as baggage stamped now, so
 * that a request sent from inside it (undici and http are instrumented) carries it to the next hop.
 * Run calls in a fresh `withDeadline` context when time has passed since the last one: the
 * budget entry is the time left when this was called, not when the bytes leave.
 */
export function withDeadline(ctx: Context, deadline: Deadline): Context {
  let baggage = propagation.getBaggage(ctx) ?? propagation.createBaggage();
  for (const [key, value] of Object.entries(deadlineToBaggage(deadline, clockOf(deadline).now()))) baggage = baggage.setEntry(key, { value });
  return propagation.setBaggage(ctx, baggage).setValue(DEADLINE_KEY, deadline);
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
