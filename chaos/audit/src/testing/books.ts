import type { Charge, HeldReservation, Refund, Shipment, StockLevel } from '@keel/contracts';
import type { AuditedOrder, AuditRules, AuditSnapshot } from '../model';

/** Hand-made books for unit tests: a clean two-region, two-provider set each test then breaks once. */
export const NOW = Date.parse('2026-11-30T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

/** The rules the unit tests audit by: a minute in flight, fifteen payment-pending. */
export const RULES: AuditRules = { inFlightMs: 60_000, paymentPendingMs: 900_000 };

export function order(id: string, status: string, totalCents: number, ageMs = 600_000): AuditedOrder {
  return {
    id,
    region: id.split('_')[1] ?? 'us-east',
    status: status as AuditedOrder['status'],
    items: [{ productId: 'p-001', quantity: 1, unitPriceCents: totalCents }],
    totalCents,
    currency: 'USD',
    customer: { email: 'a@example.com' },
    createdAt: ago(ageMs),
    updatedAt: ago(ageMs),
    nextStep: status === 'pending' ? 'charge-payment' : null,
  };
}

let sequence = 0;
export function charge(reference: string, amountCents: number, key = `charge-${reference}`, refundedCents = 0): Charge {
  return {
    id: `ch_${++sequence}`,
    provider: 'ignored',
    idempotencyKey: key,
    amountCents,
    refundedCents,
    currency: 'USD',
    reference,
    status: refundedCents === amountCents ? 'refunded' : 'captured',
    createdAt: ago(500_000),
  };
}

export function refund(of: Charge, amountCents = of.amountCents): Refund {
  return { id: `re_${++sequence}`, chargeId: of.id, idempotencyKey: `refund-${of.reference}`, amountCents, createdAt: ago(400_000) };
}

export const level = (productId: string, seeded: number, available: number, reserved: number, transferredIn = 0, transferredOut = 0): StockLevel => ({
  productId,
  seeded,
  available,
  reserved,
  transferredIn,
  transferredOut,
});

export const held = (orderId: string, quantity = 1, productId = 'p-001'): HeldReservation => ({
  reservationId: orderId,
  items: [{ productId, quantity }],
  createdAt: ago(550_000),
});

export function shipment(reference: string, status: Shipment['status'] = 'scheduled', id = `shp_${reference}`): Shipment {
  return { id, carrier: 'carrier', idempotencyKey: `ship-${reference}`, reference, items: [{ productId: 'p-001', quantity: 1 }], status, createdAt: ago(450_000) };
}

/**
 * Clean books: us-east has a confirmed order (charged at provider-a) and a failed one whose
 * charge was refunded at provider-b; eu-west has a confirmed order and a young pending one. Every
 * order but the failed one holds its unit of p-001.
 */
export function cleanBooks(): AuditSnapshot {
  const refundedCharge = charge('ord_us-east_2', 2_000, 'charge-ord_us-east_2', 2_000);
  return {
    takenAt: NOW,
    regions: [
      {
        region: 'us-east',
        orders: [order('ord_us-east_1', 'confirmed', 1_000), order('ord_us-east_2', 'failed', 2_000)],
        stock: [level('p-001', 10, 9, 1), level('p-002', 5, 5, 0)],
        reservations: [held('ord_us-east_1')],
      },
      {
        region: 'eu-west',
        orders: [order('ord_eu-west_1', 'confirmed', 3_000), order('ord_eu-west_2', 'pending', 4_000, 5_000)],
        stock: [level('p-001', 10, 8, 2), level('p-002', 5, 5, 0)],
        reservations: [held('ord_eu-west_1'), held('ord_eu-west_2')],
      },
    ],
    providers: [
      { provider: 'provider-a', charges: [charge('ord_us-east_1', 1_000), charge('ord_eu-west_1', 3_000)], refunds: [] },
      { provider: 'provider-b', charges: [refundedCharge], refunds: [refund(refundedCharge)] },
    ],
    // The failed order's shipment was made, then cancelled by its compensation.
    shipments: [shipment('ord_us-east_1'), shipment('ord_us-east_2', 'cancelled'), shipment('ord_eu-west_1')],
  };
}
