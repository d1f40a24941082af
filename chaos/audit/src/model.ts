import type { Charge, HeldReservation, Order, Refund, StockLevel } from '@keel/contracts';

/** An order as checkout's `GET /admin/orders` lists it; the audit needs only the public fields. */
export type AuditedOrder = Order & { idempotencyKey?: string; nextStep?: string | null };

/** One region's books: checkout's orders, catalog's stock levels and the reservations still holding stock. */
export interface RegionSnapshot {
  region: string;
  orders: AuditedOrder[];
  stock: StockLevel[];
  reservations: HeldReservation[];
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
}

export type InvariantName = 'orders-settled' | 'single-capture' | 'money-conserved' | 'stock-conserved';

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
  /** A `pending` order younger than this is in flight, not stuck. */
  inFlightMs: number;
}

export const DEFAULT_IN_FLIGHT_MS = 60_000;

/** Statuses an order ends in. Anything else is either in flight (young enough) or stuck. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['confirmed', 'failed']);
/** Statuses that mean "still being worked on"; other non-terminal statuses are never legitimate. */
export const IN_FLIGHT_STATUSES: ReadonlySet<string> = new Set(['pending', 'payment-pending']);

/** Whether an order is still legitimately being worked on at `now`. */
export function isInFlight(order: AuditedOrder, now: number, rules: AuditRules): boolean {
  return IN_FLIGHT_STATUSES.has(order.status) && now - Date.parse(order.createdAt) < rules.inFlightMs;
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
