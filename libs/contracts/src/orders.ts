import type { LineItem } from './catalog';

export type OrderStatus = 'pending' | 'confirmed' | 'failed';

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
