import type { HeldReservation } from '@keel/contracts';
import type { AuditedOrder, AuditSnapshot, InvariantResult, RegionSnapshot, Violation } from '../model';

const units = (reservation: HeldReservation) => reservation.items.map((item) => `${item.quantity} × ${item.productId}`).join(', ');

/** Whether an order may be holding stock: sold, still in flight, or failed with its release still to run. */
function mayHold(order: AuditedOrder): boolean {
  return order.status !== 'failed' || Boolean(order.nextStep);
}

/**
 * Reservations against orders (a reservation's id is its order's id): a confirmed order whose
 * units were given back sold them for nothing held; a reservation held for an order that ended
 * without it (or for no order) keeps units from sale for ever. Both conserve the sum, so only
 * this comparison sees them.
 */
function checkReservations(region: RegionSnapshot): Violation[] {
  const held = new Map(region.reservations.map((reservation) => [reservation.reservationId, reservation]));
  const orders = new Map(region.orders.map((order) => [order.id, order]));
  const violations: Violation[] = [];
  const flag = (subject: string, message: string) => violations.push({ invariant: 'stock-conserved', subject, message });
  for (const reservation of region.reservations) {
    const order = orders.get(reservation.reservationId);
    if (!order) flag(reservation.reservationId, `${region.region} holds ${units(reservation)} for ${reservation.reservationId}, which is no order in ${region.region}`);
    else if (!mayHold(order)) flag(order.id, `order ${order.id} failed (${order.failureReason ?? 'no reason'}) but ${region.region} still holds ${units(reservation)} for it`);
  }
  for (const order of region.orders) {
    if (order.status === 'confirmed' && !held.has(order.id)) flag(order.id, `order ${order.id} is confirmed but ${region.region} holds no stock for it`);
  }
  return violations;
}

/**
 * Invariant 4: stock is conserved. Each region owns its units and sells only those; units move
 * between regions only by transfer. So, per region and product, its own books balance:
 * reserved + available = seeded + transferred in − transferred out; and, per product across
 * regions, no region received units that were never sent (in transit = Σ out − Σ in ≥ 0), so
 * Σ(available + reserved) + in transit = Σ seeded. The reservations holding units must be
 * exactly those of orders that sold them or are still working. A unit that vanished or appeared
 * is named by region and product, a unit held wrongly by its order.
 */
export function checkStockConserved(snapshot: AuditSnapshot): InvariantResult {
  const result: InvariantResult = {
    name: 'stock-conserved',
    description: 'per region: reserved + available = seeded + in − out; in transit ≥ 0; held = sold or in flight',
    checked: 0,
    violations: [],
    figures: { seeded: 0, available: 0, reserved: 0, inTransit: 0, reservations: 0 },
  };
  const flag = (subject: string, message: string) => result.violations.push({ invariant: 'stock-conserved', subject, message });
  const transit = new Map<string, number>();
  for (const region of snapshot.regions) {
    for (const level of region.stock) {
      result.checked++;
      result.figures.seeded += level.seeded;
      result.figures.available += level.available;
      result.figures.reserved += level.reserved;
      const sent = region.sentLater?.[level.productId] ?? level.transferredOut;
      transit.set(level.productId, (transit.get(level.productId) ?? 0) + sent - level.transferredIn);
      const accounted = level.reserved + level.available;
      const owned = level.seeded + level.transferredIn - level.transferredOut;
      if (accounted === owned) continue;
      const moved = level.transferredIn || level.transferredOut ? ` + ${level.transferredIn} in − ${level.transferredOut} out` : '';
      const diff = accounted - owned;
      flag(
        `${region.region}/${level.productId}`,
        `${region.region} ${level.productId}: ${level.reserved} reserved + ${level.available} available = ${accounted}, owns ${level.seeded} seeded${moved} = ${owned} (${diff > 0 ? '+' : ''}${diff})`,
      );
    }
    result.checked += region.reservations.length;
    result.figures.reservations += region.reservations.length;
    result.violations.push(...checkReservations(region));
  }
  for (const [productId, inTransit] of transit) {
    result.figures.inTransit += inTransit;
    if (inTransit < 0) flag(productId, `${productId}: ${-inTransit} unit(s) were received by a region but never sent by the other`);
  }
  return result;
}
