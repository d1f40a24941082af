import type { ProblemDetails } from '@keel/service-kit';
import { COMPENSATION_ORDER, type Compensation, type OrderChanges, type OrderRecord } from '../orders/order-record';

/**
 * What a step decided. `next`: persist the changes and carry on with the order's next step (if
 * any); `after` runs once they are persisted (best-effort side effects). `wait`: the step could
 * not finish now and is safe to run again later: the order is parked and retried with backoff;
 * `bounded: false` exempts it from the give-up rule (payment-pending has its own time limit).
 */
export type StepOutcome =
  | { kind: 'next'; changes: OrderChanges; after?: (order: OrderRecord) => void }
  | { kind: 'wait'; reason: string; changes?: OrderChanges; bounded?: false };

export const next = (changes: OrderChanges, after?: (order: OrderRecord) => void): StepOutcome => ({ kind: 'next', changes, after });

export const wait = (reason: string, changes?: OrderChanges, options: { bounded?: false } = {}): StepOutcome => ({ kind: 'wait', reason, changes, ...options });

/**
 * The compensations a failed order owes, in reverse order of the steps that may have taken
 * effect: a shipment made (or maybe made), a payment captured, stock held. Cancelling the order
 * (and telling the customer) always comes last.
 */
export function compensationsFor(order: Pick<OrderRecord, 'shipment' | 'shipmentUncertain' | 'payment'>, stockHeld: boolean): Compensation[] {
  const owed = new Set<Compensation>(['cancel-order']);
  if (order.shipment || order.shipmentUncertain) owed.add('cancel-shipment');
  if (order.payment) owed.add('refund-payment');
  if (stockHeld) owed.add('release-stock');
  return COMPENSATION_ORDER.filter((step) => owed.has(step));
}

/** The order has failed for good: answer `problem`, then run `plan` (see compensationsFor). */
export function fail(order: Pick<OrderRecord, 'id'>, reason: string, problem: ProblemDetails, plan: Compensation[]): StepOutcome {
  // A forwarded problem's `instance` names the dependency's URL, not this order: dropped.
  const { instance: _instance, ...details } = problem;
  const [first, ...rest] = plan;
  return next({ status: 'failed', failureReason: reason, failure: { ...details, orderId: order.id }, nextStep: first ?? null, compensations: rest });
}

/**
 * The saga stops here, keeping its place: the step that gave up stays `nextStep` and the plan
 * after it stays in `compensations`, but recovery no longer takes the order. A human fixes the
 * cause and retries it from there (`POST /admin/orders/:id/retry`), or finishes it by hand (the
 * dead-letter runbook says how).
 */
export function needsAttention(step: string, reason: string): StepOutcome {
  return next({ status: 'needs-attention', attention: `${step}: ${reason}`.slice(0, 500) });
}

/** A compensation is done: on to the next one the order owes (none left: the saga has ended). */
export function advance(order: Pick<OrderRecord, 'compensations'>, changes: OrderChanges = {}): StepOutcome {
  const [following = null, ...rest] = order.compensations;
  return next({ ...changes, nextStep: following, compensations: rest });
}
