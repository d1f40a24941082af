import type { DatabaseSync } from 'node:sqlite';
import { ensureOutboxSchema } from '@keel/messaging';
import { transaction } from '@keel/service-kit';
import { PRODUCT_SEED } from '../products/product-seed';

/**
 * Idempotent schema. `stock >= 0` is enforced by the database too: the reservation code checks
 * before it decrements, and the CHECK makes an oversell impossible even if that code were wrong.
 */
export function migrateCatalog(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS products (
      id           TEXT PRIMARY KEY,
      name         TEXT NOT NULL,
      description  TEXT NOT NULL,
      category     TEXT NOT NULL,
      price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
      currency     TEXT NOT NULL,
      stock        INTEGER NOT NULL CHECK (stock >= 0)
    );
    CREATE INDEX IF NOT EXISTS products_by_category ON products (category, id);
    CREATE TABLE IF NOT EXISTS reservations (
      id          TEXT PRIMARY KEY,
      status      TEXT NOT NULL CHECK (status IN ('reserved', 'released')),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS reservation_items (
      reservation_id  TEXT NOT NULL REFERENCES reservations (id),
      product_id      TEXT NOT NULL REFERENCES products (id),
      quantity        INTEGER NOT NULL CHECK (quantity >= 1),
      PRIMARY KEY (reservation_id, product_id)
    );
  `);
  // Stock events are written with the change that causes them (see reservations/stock-events.ts).
  ensureOutboxSchema(db);
}

/**
 * Seeds the products only into an empty table, so a restart never resets stock. The count is read
 * inside the write transaction: two processes starting on one file cannot both seed.
 */
export function seedProductsIfEmpty(db: DatabaseSync): boolean {
  return transaction(db, () => {
    const { count } = db.prepare('SELECT COUNT(*) AS count FROM products').get() as { count: number };
    if (count > 0) return false;
    const insert = db.prepare(
      'INSERT INTO products (id, name, description, category, price_cents, currency, stock) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const p of PRODUCT_SEED) insert.run(p.id, p.name, p.description, p.category, p.priceCents, p.currency, p.stock);
    return true;
  });
}
