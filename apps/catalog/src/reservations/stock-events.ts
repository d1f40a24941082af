import type { DatabaseSync } from 'node:sqlite';
import { regionOfOrder, TOPICS, type Reservation } from '@keel/contracts';
import { enqueueEvent, newEvent } from '@keel/messaging';

/**
 * Writes `stock.reserved` / `stock.released` into the outbox. Call inside the transaction that
 * changed the stock, and only when it did: a replayed reserve or release writes nothing.
 * Events are about orders, so a reservation whose id is not an order id (an operator's or a
 * test's) changes stock without one.
 */
export function enqueueStockEvent(db: DatabaseSync, region: string, reservation: Reservation): void {
  const { reservationId, items } = reservation;
  if (regionOfOrder(reservationId) === undefined) return;
  const fields = { key: reservationId, origin: region };
  const base = { reservationId, orderId: reservationId, region, items };
  const event =
    reservation.status === 'reserved'
      ? newEvent('stock.reserved', { ...fields, data: base })
      : newEvent('stock.released', { ...fields, data: { ...base, reason: 'release-requested' } });
  enqueueEvent(db, TOPICS.stock.name, event);
}
