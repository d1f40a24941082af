import type { DatabaseSync } from 'node:sqlite';
import { ensureOutboxSchema } from '@keel/messaging';
import { transaction } from '@keel/service-kit';

/** Bumped with every change to the orders table; `PRAGMA user_version` holds what a database has. */
const SCHEMA_VERSION = 2;

/**
 * Orders carry their own saga state: `next_step` is the step to run (NULL when none),
 * `compensations` the ones owed after it, `step_attempts` how often it has had to wait. So a
 * process that dies mid-saga leaves behind exactly what the next one needs to carry on.
 * `claim_token` and `claimed_until` say which worker (a request, or the recovery loop) owns the
 * order right now; `resume_at` is when a parked order may be tried again. Times are epoch ms.
 */
const ORDERS_TABLE = `
  CREATE TABLE orders (
    id TEXT PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    request_hash TEXT NOT NULL,
    region TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'payment-pending', 'confirmed', 'failed', 'needs-attention')),
    next_step TEXT,
    compensations TEXT NOT NULL DEFAULT '[]',
    step_attempts INTEGER NOT NULL DEFAULT 0,
    items TEXT NOT NULL,
    total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
    currency TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    payment_provider TEXT,
    charge_id TEXT,
    uncertain_provider TEXT,
    refund_id TEXT,
    shipment_carrier TEXT,
    shipment_id TEXT,
    shipment_uncertain INTEGER NOT NULL DEFAULT 0,
    failure_reason TEXT,
    failure TEXT,
    attention TEXT,
    claim_token TEXT,
    claimed_until INTEGER NOT NULL DEFAULT 0,
    resume_at INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`;

const INDEXES = `
  CREATE INDEX IF NOT EXISTS orders_with_work_left ON orders (resume_at) WHERE next_step IS NOT NULL;
  CREATE INDEX IF NOT EXISTS orders_by_status ON orders (status, created_at);
`;

/** Columns every version has: what a rebuild copies across. */
const V1_COLUMNS =
  'id, idempotency_key, request_hash, region, status, next_step, items, total_cents, currency, customer_email, payment_provider, charge_id, uncertain_provider, failure_reason, failure, claim_token, claimed_until, resume_at, created_at, updated_at';

export function migrateOrders(db: DatabaseSync): void {
  const { user_version: version } = db.prepare('PRAGMA user_version').get() as { user_version: number };
  if (version < SCHEMA_VERSION) {
    transaction(db, () => {
      const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'orders'").get();
      if (!exists) {
        db.exec(ORDERS_TABLE);
      } else {
        // SQLite cannot alter a CHECK constraint: rebuild the table (version 1 knew 3 statuses).
        db.exec(ORDERS_TABLE.replace('CREATE TABLE orders', 'CREATE TABLE orders_next'));
        db.exec(`INSERT INTO orders_next (${V1_COLUMNS}) SELECT ${V1_COLUMNS} FROM orders`);
        db.exec('DROP TABLE orders; ALTER TABLE orders_next RENAME TO orders;');
      }
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    });
  }
  db.exec(INDEXES);
  // Order events are written with the change that causes them (see orders/order-events.ts).
  ensureOutboxSchema(db);
}
