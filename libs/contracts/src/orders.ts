import type { LineItem } from './catalog';

/**
 * pending: the saga is running. payment-pending: accepted, but no payment provider could take the
 * charge; it is charged from the queue when one recovers. confirmed: paid and shipping scheduled.
 * failed: will not complete; its compensations (refund, release) may still be running.
 * needs-attention: a compensation kept failing; a human must finish it (see the DLQ runbook).
 */
export type OrderStatus = 'pending' | 'payment-pending' | 'confirmed' | 'failed' | 'needs-attention';

/** Statuses an order never leaves. */
export const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ['confirmed', 'failed', 'needs-attention'];

export interface OrderLine extends LineItem {
  unitPriceCents: number;
}

export interface Order {
  /** `ord_<region>_<uuid>`: the region that took the order, which owns it. */
  id: string;
  region: string;
  status: OrderStatus;
  items: OrderLine[];
  totalCents: number;
  currency: 'USD';
  customer: { email: string };
  payment?: { provider: string; chargeId: string };
  shipment?: { carrier: string; shipmentId: string };
  failureReason?: string;
  createdAt: string;
  updatedAt: string;
}

/** `POST /orders` on checkout, `POST /api/checkout` on gateways; needs an `Idempotency-Key` header. */
export interface CheckoutRequest {
  items: LineItem[];
  customer: { email: string };
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

export function newOrderId(region: string, uuid: string): string {
  return `ord_${region}_${uuid}`;
}

/** The region that owns an order, from its id; undefined for something that is not an order id. */
export function regionOfOrder(orderId: string): string | undefined {
  const match = /^ord_([a-z0-9-]+)_[0-9a-f-]{36}$/.exec(orderId);
  return match?.[1];
}
