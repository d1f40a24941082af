import type { DatabaseSync } from 'node:sqlite';

/**
 * Only scheduling takes an idempotency key (cancelling is idempotent by itself), so the key and
 * the fingerprint of the request it came with live on the shipment row; the UNIQUE key is what
 * makes "one shipment per key" hold even for concurrent requests and processes. Lines are stored
 * as JSON: they are written once and only ever read back whole.
 */
export function migrateShipments(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS shipments (
      id TEXT PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      request_hash TEXT NOT NULL,
      reference TEXT NOT NULL,
      items_json TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('scheduled', 'cancelled')),
      created_at TEXT NOT NULL,
      cancelled_at TEXT,
      CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
    );
    CREATE INDEX IF NOT EXISTS shipments_by_reference ON shipments (reference);
  `);
}
