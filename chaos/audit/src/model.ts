import type { Charge, HeldReservation, Order, Refund, Shipment, StockLevel } from '@keel/contracts';

/** An order as checkout's `GET /admin/orders` lists it; the audit needs only the public fields. */
export type AuditedOrder = Order & { idempotencyKey?: string; nextStep?: string | null; attention?: string };

/** One region's books: checkout's orders, catalog's stock levels and the reservations still holding stock. */
export interface RegionSnapshot {
  region: string;
  orders: AuditedOrder[];
  stock: StockLevel[];
  reservations: HeldReservation[];
  /**
   * Units sent to the other region by product, read again after every region's stock was read.
   * Counters only grow, so units received (first read) ≤ units sent (this later read) holds at any
   * moment in between: comparing them never mistakes a transfer that completed mid-audit for a
   * unit created from nothing.
   */
  sentLater?: Record<string, number>;
}

/** One provider's books: every charge and refund it ever made. */
export interface ProviderSnapshot {
  provider: string;
  charges: Charge[];
  refunds: Refund[];
}

/** Everything the invariants are checked against, read from the running services. */
export interface AuditSnapshot {
  /** When the reads started (epoch ms): order ages are measured from here. */
  takenAt: number;
  regions: RegionSnapshot[];
  providers: ProviderSnapshot[];
  /** Every shipment the carrier(s) hold. */
  shipments: Shipment[];
}

export type InvariantName = 'orders-settled' | 'single-capture' | 'money-conserved' | 'stock-conserved' | 'shipments-match';

/** One broken rule, with the thing it is about (an order id, an idempotency key, a product). */
export interface Violation {
  invariant: InvariantName;
  subject: string;
  message: string;
}

export interface InvariantResult {
  name: InvariantName;
  description: string;
  /** How many things were checked (orders, keys, products per region). */
  checked: number;
  violations: Violation[];
  /** Figures worth printing beside the verdict (money totals, in-flight counts). */
  figures: Record<string, number>;
}

export interface AuditReport {
  ok: boolean;
  takenAt: string;
  inFlightMs: number;
  regions: string[];
  providers: string[];
  invariants: InvariantResult[];
  violations: Violation[];
}

export interface AuditRules {
  /** A `pending` order, or a failed one still compensating, younger than this is in flight, not stuck. */
  inFlightMs: number;
  /** A `payment-pending` order younger than this is waiting for a provider, not stuck. */
  paymentPendingMs: number;
}

/**
 * A saga step retries for about a minute and a half before it gives up (checkout's defaults:
 * 8 attempts, backoff from 1 s to 30 s), and its compensations as long again.
 */
export const DEFAULT_IN_FLIGHT_MS = 180_000;
/** Checkout's payment-pending window (KEEL_CHECKOUT_PAYMENT_PENDING_MAX_MS, 15 min) and the time to compensate after it. */
export const DEFAULT_PAYMENT_PENDING_MS = 15 * 60_000 + DEFAULT_IN_FLIGHT_MS;

/** Statuses an order ends in, once its saga has no step left. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['confirmed', 'failed']);
/** The saga stopped: a human must finish it. Final, but never healthy. */
export const NEEDS_ATTENTION = 'needs-attention';

/** Whether the order's saga has ended (a failed order may still be compensating). */
export function isSettled(order: AuditedOrder): boolean {
  return TERMINAL_STATUSES.has(order.status) && !order.nextStep;
}

/** Whether an order is still legitimately being worked on at `now`. */
export function isInFlight(order: AuditedOrder, now: number, rules: AuditRules): boolean {
  const age = now - Date.parse(order.createdAt);
  if (order.status === 'payment-pending') return age < rules.paymentPendingMs;
  const working = order.status === 'pending' || (order.status === 'failed' && Boolean(order.nextStep));
  return working && age < rules.inFlightMs;
}

/** Every order of every region, by id. */
export function ordersById(snapshot: AuditSnapshot): Map<string, AuditedOrder> {
  return new Map(snapshot.regions.flatMap((region) => region.orders.map((order) => [order.id, order] as const)));
}

/** Every charge of every provider, each tagged with the provider that holds it. */
export function allCharges(snapshot: AuditSnapshot): (Charge & { provider: string })[] {
  return snapshot.providers.flatMap((ledger) => ledger.charges.map((charge) => ({ ...charge, provider: ledger.provider })));
}

export const formatCents = (cents: number): string => `${cents < 0 ? '-' : ''}$${(Math.abs(cents) / 100).toFixed(2)}`;
