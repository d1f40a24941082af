import { randomUUID } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import { newOrderId, type KeelEvent } from '@keel/contracts';
import { unsentEvents } from '@keel/messaging';
import { ProblemException } from '@keel/service-kit';
import { describe, expect, it } from 'vitest';
import { catalogParts } from '../testing/catalog-parts';
import type { StockReservations } from './stock-reservations';

/** No broker: no rebalancing, so only reservation events reach the outbox. */
function catalog(): { db: DatabaseSync; reservations: StockReservations } {
  return catalogParts('us-east', { KEEL_KAFKA_BROKERS: undefined });
}

const events = (db: DatabaseSync) => unsentEvents(db, 100).map((row) => ({ topic: row.topic, event: row.event as KeelEvent }));
const stockOf = (db: DatabaseSync, id: string) => (db.prepare('SELECT stock FROM products WHERE id = ?').get(id) as { stock: number }).stock;

describe('stock events in the outbox', () => {
  it('writes stock.reserved with the reservation, and nothing for a replay', () => {
    const { db, reservations } = catalog();
    const orderId = newOrderId('us-east', randomUUID());
    reservations.reserve(orderId, [{ productId: 'p-002', quantity: 1 }, { productId: 'p-001', quantity: 2 }]);
    reservations.reserve(orderId, [{ productId: 'p-001', quantity: 2 }, { productId: 'p-002', quantity: 1 }]);
    const written = events(db);
    expect(written).toHaveLength(1);
    expect(written[0].topic).toBe('keel.stock');
    expect(written[0].event).toMatchObject({
      type: 'stock.reserved',
      key: orderId,
      origin: 'us-east',
      data: { reservationId: orderId, orderId, region: 'us-east', items: [{ productId: 'p-001', quantity: 2 }, { productId: 'p-002', quantity: 1 }] },
    });
  });

  it('writes nothing when the reservation is refused: the transaction rolled back as a whole', () => {
    const { db, reservations } = catalog();
    const before = stockOf(db, 'p-003');
    const short = () => reservations.reserve(newOrderId('us-east', randomUUID()), [{ productId: 'p-004', quantity: 1 }, { productId: 'p-003', quantity: before + 1 }]);
    expect(short).toThrow(ProblemException);
    expect(() => reservations.reserve(newOrderId('us-east', randomUUID()), [{ productId: 'p-999', quantity: 1 }])).toThrow(ProblemException);
    expect(events(db)).toEqual([]);
    expect(stockOf(db, 'p-003')).toBe(before);
  });

  it('writes stock.released once, however often the release is repeated', () => {
    const { db, reservations } = catalog();
    const orderId = newOrderId('us-east', randomUUID());
    reservations.reserve(orderId, [{ productId: 'p-005', quantity: 3 }]);
    reservations.release(orderId);
    reservations.release(orderId);
    expect(events(db).map(({ event }) => event.type)).toEqual(['stock.reserved', 'stock.released']);
    expect(events(db)[1].event).toMatchObject({ key: orderId, data: { orderId, items: [{ productId: 'p-005', quantity: 3 }], reason: 'release-requested' } });
  });

  it('changes stock without an event for a reservation id that is not an order id', () => {
    const { db, reservations } = catalog();
    const before = stockOf(db, 'p-006');
    reservations.reserve('manual-hold-1', [{ productId: 'p-006', quantity: 1 }]);
    expect(stockOf(db, 'p-006')).toBe(before - 1);
    expect(events(db)).toEqual([]);
  });
});
