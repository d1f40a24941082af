import type { ProblemDetails } from '@keel/service-kit';
import type { OrderChanges, OrderRecord, StepName } from '../orders/order-record';

/**
 * What a step decided. `next`: persist the changes and carry on with the order's next step (if
 * any); `after` runs once they are persisted (best-effort side effects). `wait`: the step could
 * not finish now and may be retried safely later; the order is parked for the recovery loop.
 */
export type StepOutcome =
  | { kind: 'next'; changes: OrderChanges; after?: (order: OrderRecord) => void }
  | { kind: 'wait'; reason: string; changes?: OrderChanges };

export const next = (changes: OrderChanges, after?: (order: OrderRecord) => void): StepOutcome => ({ kind: 'next', changes, after });

export const wait = (reason: string, changes?: OrderChanges): StepOutcome => ({ kind: 'wait', reason, changes });

/** The order has failed for good; `then` is the compensation still owed (null: none). */
export function fail(order: Pick<OrderRecord, 'id'>, reason: string, problem: ProblemDetails, then: StepName | null): StepOutcome {
  // A forwarded problem's `instance` names the dependency's URL, not this order: dropped.
  const { instance: _instance, ...details } = problem;
  return next({ status: 'failed', failureReason: reason, failure: { ...details, orderId: order.id }, nextStep: then });
}
