import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable } from '@nestjs/common';
import type { LineItem, Reservation } from '@keel/contracts';
import { SERVICE_ENV, transaction } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';
import { insufficientStock, productNotFound, reservationConflict, reservationNotFound, type Shortage } from '../catalog.problems';
import { CatalogDatabase } from '../database/catalog-database';
import { TransferRequests } from '../rebalancing/transfer-requests';
import { mergeLineItems, sameLineItems } from './line-items';
import { enqueueStockEvent } from './stock-events';

export interface ReserveOutcome {
  reservation: Reservation;
  /** False when the reservation id had been seen before and this was a replay. */
  created: boolean;
}

/**
 * Stock reservations: the only code that changes stock. Each operation is one SQLite write
 * transaction (BEGIN IMMEDIATE), so a check and its decrement cannot interleave with another
 * request's, within this process or across processes sharing the file. Checkout uses its order
 * id as the reservation id, so a retried reserve or release is answered, never applied twice.
 * A change writes its stock event in the same transaction (the outbox), a replay none.
 * Reservations draw only on this region's own units (`products.stock`); a reservation that leaves
 * a product low asks the other region for more in the same transaction (see TransferRequests).
 */
@Injectable()
export class StockReservations {
  private readonly db: DatabaseSync;
  private readonly region: string;
  private readonly header: StatementSync;
  private readonly lines: StatementSync;
  private readonly stockOf: StatementSync;
  private readonly take: StatementSync;
  private readonly giveBack: StatementSync;
  private readonly insertHeader: StatementSync;
  private readonly insertLine: StatementSync;
  private readonly markReleased: StatementSync;

  constructor(
    @Inject(CatalogDatabase) database: CatalogDatabase,
    @Inject(SERVICE_ENV) env: Pick<CatalogEnv, 'KEEL_REGION'>,
    @Inject(TransferRequests) private readonly transfers: TransferRequests,
  ) {
    const db = (this.db = database.db);
    this.region = env.KEEL_REGION;
    this.header = db.prepare('SELECT id, status FROM reservations WHERE id = ?');
    this.lines = db.prepare('SELECT product_id AS productId, quantity FROM reservation_items WHERE reservation_id = ?');
    this.stockOf = db.prepare('SELECT stock FROM products WHERE id = ?');
    // The `stock >= ?` guard repeats the check in the statement itself: zero rows changed means short.
    this.take = db.prepare('UPDATE products SET stock = stock - $quantity WHERE id = $productId AND stock >= $quantity');
    this.giveBack = db.prepare('UPDATE products SET stock = stock + $quantity WHERE id = $productId');
    this.insertHeader = db.prepare("INSERT INTO reservations (id, status, created_at, updated_at) VALUES ($id, 'reserved', $now, $now)");
    this.insertLine = db.prepare('INSERT INTO reservation_items (reservation_id, product_id, quantity) VALUES (?, ?, ?)');
    this.markReleased = db.prepare("UPDATE reservations SET status = 'released', updated_at = $now WHERE id = $id AND status = 'reserved'");
  }

  /**
   * Reserves every item or none. Throws problems: 404 unknown product, 409 insufficient stock
   * (listing every short item), 409 reservation id reused with different items.
   */
  reserve(reservationId: string, requested: readonly LineItem[]): ReserveOutcome {
    const items = mergeLineItems(requested);
    return transaction(this.db, () => {
      const existing = this.read(reservationId);
      if (existing) {
        if (!sameLineItems(existing.items, items)) throw reservationConflict(reservationId);
        return { reservation: existing, created: false };
      }
      const unknown: string[] = [];
      const shortages: Shortage[] = [];
      for (const { productId, quantity } of items) {
        const row = this.stockOf.get(productId) as { stock: number } | undefined;
        if (!row) unknown.push(productId);
        else if (row.stock < quantity) shortages.push({ productId, requested: quantity, available: row.stock });
      }
      if (unknown.length > 0) throw productNotFound(unknown);
      if (shortages.length > 0) throw insufficientStock(shortages);
      for (const { productId, quantity } of items) {
        if (this.take.run({ productId, quantity }).changes !== 1) throw new Error(`stock of ${productId} changed inside a write transaction`);
      }
      this.insertHeader.run({ id: reservationId, now: new Date().toISOString() });
      for (const { productId, quantity } of items) this.insertLine.run(reservationId, productId, quantity);
      const reservation: Reservation = { reservationId, items, status: 'reserved' };
      enqueueStockEvent(this.db, this.region, reservation);
      for (const { productId } of items) this.transfers.requestIfLow(productId);
      return { reservation, created: true };
    });
  }

  /** Gives the stock back once; releasing a released reservation answers the same and changes nothing. */
  release(reservationId: string): Reservation {
    return transaction(this.db, () => {
      const existing = this.read(reservationId);
      if (!existing) throw reservationNotFound(reservationId);
      if (existing.status === 'released') return existing;
      // The status flip is the guard: only the transaction that flips it returns the stock.
      const released: Reservation = { ...existing, status: 'released' };
      if (this.markReleased.run({ id: reservationId, now: new Date().toISOString() }).changes === 1) {
        for (const { productId, quantity } of existing.items) this.giveBack.run({ productId, quantity });
        enqueueStockEvent(this.db, this.region, released);
      }
      return released;
    });
  }

  get(reservationId: string): Reservation {
    const reservation = this.read(reservationId);
    if (!reservation) throw reservationNotFound(reservationId);
    return reservation;
  }

  private read(reservationId: string): Reservation | undefined {
    const header = this.header.get(reservationId) as { id: string; status: Reservation['status'] } | undefined;
    if (!header) return undefined;
    // Canonicalised in JS, not by ORDER BY, so the comparison with a request never depends on collation.
    const items = mergeLineItems(this.lines.all(reservationId) as unknown as LineItem[]);
    return { reservationId: header.id, items, status: header.status };
  }
}
