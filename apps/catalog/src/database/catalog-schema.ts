import type { DatabaseSync } from 'node:sqlite';
import { ensureOutboxSchema, ensureProcessedEventsSchema } from '@keel/messaging';
import { transaction } from '@keel/service-kit';
import { PRODUCT_SEED } from '../products/product-seed';

/**
 * Idempotent schema. `stock >= 0` is enforced by the database too: the reservation code checks
 * before it decrements, and the CHECK makes an oversell impossible even if that code were wrong.
 * `products.stock` is the units this region owns and has not reserved: a region sells only those.
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
  addProductVersionColumns(db);
  migrateTransfers(db);
  // Events are written with the change that causes them (outbox); consumed ones are remembered
  // (processed_events) in the same transaction as their effect.
  ensureOutboxSchema(db);
  ensureProcessedEventsSchema(db);
}

/**
 * Last-writer-wins bookkeeping for product changes replicated between regions (see
 * replication/product-updates.ts): the newest change applied to the product, and per field the
 * stamp of the change that set it. Added with ALTER for databases made before replication existed.
 * The seed's stamp (epoch, no region) is older than any real change.
 */
function addProductVersionColumns(db: DatabaseSync): void {
  const columns = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all('products') as { name: string }[]).map((c) => c.name));
  const wanted: [string, string][] = [
    ['version', 'INTEGER NOT NULL DEFAULT 0'],
    ['updated_at', `TEXT NOT NULL DEFAULT '${SEED_STAMP.updatedAt}'`],
    ['updated_by', `TEXT NOT NULL DEFAULT '${SEED_STAMP.region}'`],
  ];
  for (const [name, definition] of wanted) if (!columns.has(name)) db.exec(`ALTER TABLE products ADD COLUMN ${name} ${definition}`);
  db.exec(`
    CREATE TABLE IF NOT EXISTS product_field_stamps (
      product_id  TEXT NOT NULL REFERENCES products (id),
      field       TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      updated_by  TEXT NOT NULL,
      PRIMARY KEY (product_id, field)
    ) WITHOUT ROWID;
  `);
}

/** The stamp every seeded product starts with: older than any update. */
export const SEED_STAMP = { updatedAt: new Date(0).toISOString(), region: '' } as const;

/**
 * Stock transfers between regions (see rebalancing/). A request is this region asking the peer
 * for units; `transfers_out` are units this region sent (they left `stock`), `transfers_in` units
 * it received (added to `stock`). The primary keys on transfer id make a transfer count once
 * however often its event is delivered.
 */
function migrateTransfers(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS transfer_requests (
      transfer_id   TEXT PRIMARY KEY,
      product_id    TEXT NOT NULL REFERENCES products (id),
      quantity      INTEGER NOT NULL CHECK (quantity >= 1),
      from_region   TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('open', 'received', 'declined', 'expired')),
      requested_at  INTEGER NOT NULL,
      closed_at     INTEGER
    );
    CREATE INDEX IF NOT EXISTS transfer_requests_open ON transfer_requests (product_id) WHERE status = 'open';
    CREATE TABLE IF NOT EXISTS transfers_out (
      transfer_id  TEXT PRIMARY KEY,
      product_id   TEXT NOT NULL REFERENCES products (id),
      quantity     INTEGER NOT NULL CHECK (quantity >= 1),
      to_region    TEXT NOT NULL,
      sent_at      TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS transfers_out_by_product ON transfers_out (product_id);
    CREATE TABLE IF NOT EXISTS transfers_in (
      transfer_id  TEXT PRIMARY KEY,
      product_id   TEXT NOT NULL REFERENCES products (id),
      quantity     INTEGER NOT NULL CHECK (quantity >= 1),
      from_region  TEXT NOT NULL,
      received_at  TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS transfers_in_by_product ON transfers_in (product_id);
  `);
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
