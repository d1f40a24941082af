import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { HeldReservation, StockLevel, StockReport } from '@keel/contracts';
import { AdminRoutes, SERVICE_ENV, transaction } from '@keel/service-kit';
import type { CatalogEnv } from '../catalog.env';
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
 * free, what reservations still hold and what moved in and out by transfer, and those reservations
 * (their ids are order ids). Every figure is about this region's own units: a region sells only
 * what it owns, so `available + reserved = seeded + transferredIn - transferredOut` here, and
 * across regions the units in transit (Σ out - Σ in) close the sum (see `StockLevel`). All reads
 * run in one transaction, so a reservation or transfer committing meanwhile is seen whole or not at all.
 */
@Injectable()
export class StockAdmin implements OnModuleInit {
  private readonly db: DatabaseSync;
  private readonly levels: StatementSync;
  private readonly held: StatementSync;

  private readonly region: string;

  constructor(
    @Inject(AdminRoutes) private readonly routes: AdminRoutes,
    @Inject(CatalogDatabase) database: CatalogDatabase,
    @Inject(SERVICE_ENV) env: Pick<CatalogEnv, 'KEEL_REGION'>,
  ) {
    this.db = database.db;
    this.region = env.KEEL_REGION;
    this.levels = this.db.prepare(`
      SELECT p.id AS productId, p.stock AS available,
             COALESCE((SELECT SUM(i.quantity) FROM reservation_items i JOIN reservations r ON r.id = i.reservation_id
                       WHERE i.product_id = p.id AND r.status = 'reserved'), 0) AS reserved,
             COALESCE((SELECT SUM(t.quantity) FROM transfers_in t WHERE t.product_id = p.id), 0) AS transferredIn,
             COALESCE((SELECT SUM(t.quantity) FROM transfers_out t WHERE t.product_id = p.id), 0) AS transferredOut
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
      const items = rows.map((row): StockLevel => ({
        productId: row.productId,
        seeded: SEEDED.get(row.productId) ?? 0,
        available: row.available,
        reserved: row.reserved,
        transferredIn: row.transferredIn,
        transferredOut: row.transferredOut,
      }));
      const reservations = new Map<string, HeldReservation>();
      for (const line of this.held.all() as unknown as HeldLine[]) {
        const reservation = reservations.get(line.reservationId) ?? { reservationId: line.reservationId, items: [], createdAt: line.createdAt };
        reservation.items.push({ productId: line.productId, quantity: line.quantity });
        reservations.set(line.reservationId, reservation);
      }
      return { region: this.region, items, reservations: [...reservations.values()] };
    });
  }
}
