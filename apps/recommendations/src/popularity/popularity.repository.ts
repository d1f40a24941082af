import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { Injectable } from '@nestjs/common';
import type { OrderSignal } from '@keel/contracts';
import { transaction } from '@keel/service-kit';
import { RecommendationsDatabase } from './recommendations-database';

/** Units ordered per product id; a product never ordered is absent (count 0). */
export type Popularity = ReadonlyMap<string, number>;

/** Popularity of products, counted from order signals, each order once. */
@Injectable()
export class PopularityRepository {
  private readonly db: DatabaseSync;
  private readonly remember: StatementSync;
  private readonly add: StatementSync;
  private readonly everything: StatementSync;

  constructor(database: RecommendationsDatabase) {
    const db = (this.db = database.db);
    this.remember = db.prepare('INSERT INTO order_signals (order_id, received_at) VALUES (?, ?) ON CONFLICT (order_id) DO NOTHING');
    this.add = db.prepare(
      'INSERT INTO product_popularity (product_id, units) VALUES ($productId, $quantity) ON CONFLICT (product_id) DO UPDATE SET units = units + excluded.units',
    );
    this.everything = db.prepare('SELECT product_id AS productId, units FROM product_popularity');
  }

  /**
   * Counts an order's units, unless this order id was counted before. Products unknown to the
   * snapshot are counted too: the catalog may simply be newer than our copy of it.
   * Returns whether the signal was counted now.
   */
  record(signal: OrderSignal, now = new Date()): boolean {
    return transaction(this.db, () => {
      if (this.remember.run(signal.orderId, now.toISOString()).changes === 0) return false;
      for (const { productId, quantity } of signal.items) this.add.run({ productId, quantity });
      return true;
    });
  }

  /** The whole table: one row per product ever ordered, bounded by the catalog's size. */
  snapshot(): Popularity {
    const rows = this.everything.all() as unknown as { productId: string; units: number }[];
    return new Map(rows.map((r) => [r.productId, r.units]));
  }
}
