import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { HeldReservation, StockLevel, StockReport } from '@keel/contracts';
import { AdminRoutes, transaction } from '@keel/service-kit';
import { CatalogDatabase } from '../database/catalog-database';
import { PRODUCT_SEED } from '../products/product-seed';

const SEEDED = new Map(PRODUCT_SEED.map((product) => [product.id, product.stock]));

interface HeldLine {
  reservationId: string;
  createdAt: string;
  productId: string;
  quantity: number;
}

/**
 * Admin-port route for the invariant audit: per product, what the region was seeded with, what is
 * free and what reservations still hold, and those reservations (their ids are order ids). Both
 * reads run in one transaction, so a reservation committing meanwhile is on both sides or neither.
 */
@Injectable()
export class StockAdmin implements OnModuleInit {
  private readonly db: DatabaseSync;
  private readonly levels: StatementSync;
  private readonly held: StatementSync;

  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(CatalogDatabase) database: CatalogDatabase,
  ) {
    this.db = database.db;
    this.levels = this.db.prepare(`
      SELECT p.id AS productId, p.stock AS available,
             COALESCE((SELECT SUM(i.quantity) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
                       WHERE i.product_id = p.id AND r.status = 'reserved'), 0) AS reserved
      FROM products p ORDER BY p.id`);
    this.held = this.db.prepare(`
      SELECT r.id AS reservationId, r.created_at AS createdAt, i.product_id AS productId, i.quantity
      FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id
      WHERE r.status = 'reserved' ORDER BY r.id, i.product_id`);
  }

  onModuleInit(): void {
    this.routes.add('GET', '/admin/stock', () => this.report());
  }

  report(): StockReport {
    return transaction(this.db, () => {
      const rows = this.levels.all() as unknown as Omit<StockLevel, 'seeded'>[];
      const items = rows.map(({ productId, available, reserved }) => ({ productId, seeded: SEEDED.get(productId) ?? 0, available, reserved }));
      const reservations = new Map<string, HeldReservation>();
      for (const line of this.held.all() as unknown as HeldLine[]) {
        const reservation = reservations.get(line.reservationId) ?? { reservationId: line.reservationId, items: [], createdAt: line.createdAt };
        reservation.items.push({ productId: line.productId, quantity: line.quantity });
        reservations.set(line.reservationId, reservation);
      }
      return { items, reservations: [...reservations.values()] };
    });
  }
}
