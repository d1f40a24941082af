import type { Order } from '@keel/contracts';
import type { ProblemDetails } from '@keel/service-kit';

/** The steps of placing an order, in the order they normally run; `release-stock` is the compensation. */
export type StepName = 'reserve-stock' | 'charge-payment' | 'confirm-order' | 'release-stock';

/** An order as checkout keeps it: the public `Order` plus the bookkeeping that makes it resumable. */
export interface OrderRecord extends Order {
  idempotencyKey: string;
  requestHash: string;
  /** The work left to do; null once the order needs nothing more. */
  nextStep: StepName | null;
  /**
   * A provider that was sent this order's charge but never answered (a timeout). It may have
   * captured, so until it answers the charge is retried there only: never failed over elsewhere.
   */
  uncertainProvider?: string;
  /** What a failed order answers with (shortages and all). */
  failure?: ProblemDetails;
  /** Until when (epoch ms) a worker owns the order; 0 when none does. */
  claimedUntil: number;
}

/** What a step changes; everything else stays as it was. */
export type OrderChanges = Partial<Pick<OrderRecord, 'status' | 'nextStep' | 'payment' | 'uncertainProvider' | 'failureReason' | 'failure'>>;

/** The public view: no keys, hashes or claims. */
export function toOrder(record: OrderRecord): Order {
  const { id, region, status, items, totalCents, currency, customer, payment, failureReason, createdAt, updatedAt } = record;
  return {
    id,
    region,
    status,
    items,
    totalCents,
    currency,
    customer,
    ...(payment ? { payment } : {}),
    ...(failureReason ? { failureReason } : {}),
    createdAt,
    updatedAt,
  };
}
