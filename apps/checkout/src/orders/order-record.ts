import type { Order } from '@keel/contracts';
import type { ProblemDetails } from '@keel/service-kit';

/** The saga's forward steps, in the order they run. Notifying rides on confirm (see order-events.ts). */
export type ForwardStep = 'reserve-stock' | 'charge-payment' | 'schedule-shipping' | 'confirm-order';
/** The compensations, in the order they run: the reverse of the forward steps. */
export type Compensation = 'cancel-shipment' | 'refund-payment' | 'release-stock' | 'cancel-order';
export type StepName = ForwardStep | Compensation;

export const COMPENSATION_ORDER: readonly Compensation[] = ['cancel-shipment', 'refund-payment', 'release-stock', 'cancel-order'];

export function isCompensation(step: StepName): step is Compensation {
  return (COMPENSATION_ORDER as readonly string[]).includes(step);
}

/**
 * An order as checkout keeps it: the public `Order` plus the saga's persisted state, which is
 * everything a process needs to carry on after another one died at any point.
 */
export interface OrderRecord extends Order {
  idempotencyKey: string;
  requestHash: string;
  /** The step to run next (forward or compensation); null once the saga has ended. */
  nextStep: StepName | null;
  /** The compensations still owed after `nextStep`, in order (empty unless the order failed). */
  compensations: Compensation[];
  /** How many times `nextStep` has been tried and had to wait; drives backoff and the give-up rule. */
  stepAttempts: number;
  /**
   * A provider that was sent this order's charge but never answered (a timeout). It may have
   * captured, so until it answers the charge is retried there only: never failed over elsewhere.
   */
  uncertainProvider?: string;
  /** The carrier was asked to ship and gave no answer: a shipment may exist, so cancelling is owed on failure. */
  shipmentUncertain?: boolean;
  /** Set once the captured payment has been refunded (the refund compensation ran). */
  refundId?: string;
  /** What a failed order answers with (shortages and all). */
  failure?: ProblemDetails;
  /** Why the saga stopped for a human (`<step>: <reason>`), while the order is `needs-attention`. */
  attention?: string;
  /** Until when (epoch ms) a worker owns the order; 0 when none does. */
  claimedUntil: number;
}

/** What a step changes; everything else stays as it was. */
export type OrderChanges = Partial<
  Pick<
    OrderRecord,
    'status' | 'nextStep' | 'compensations' | 'payment' | 'shipment' | 'uncertainProvider' | 'shipmentUncertain' | 'refundId' | 'failureReason' | 'failure' | 'attention'
  >
>;

/** The public view: no keys, hashes, claims or saga bookkeeping. */
export function toOrder(record: OrderRecord): Order {
  const { id, region, status, items, totalCents, currency, customer, payment, shipment, failureReason, createdAt, updatedAt } = record;
  return {
    id,
    region,
    status,
    items,
    totalCents,
    currency,
    customer,
    ...(payment ? { payment } : {}),
    ...(shipment ? { shipment } : {}),
    ...(failureReason ? { failureReason } : {}),
    createdAt,
    updatedAt,
  };
}
