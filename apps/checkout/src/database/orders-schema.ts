import type { DatabaseSync } from 'node:sqlite';
import { ensureOutboxSchema } from '@keel/messaging';

/**
 * Orders carry their own progress: `next_step` is the work left (NULL when none), so a process
 * that dies mid-flow leaves behind exactly what the next one needs to carry on. `claim_token` and
 * `claimed_until` say which worker (a request, or the recovery loop) owns the order right now;
 * `resume_at` is when a parked order may be tried again. Times are epoch milliseconds.
 */
export function migrateOrders(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS orders (
      id TEXT PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      request_hash TEXT NOT NULL,
      region TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed')),
      next_step TEXT,
      items TEXT NOT NULL,
      total_cents INTEGER NOT NULL CHECK (total_cents >= 0),
      currency TEXT NOT NULL,
      customer_email TEXT NOT NULL,
      payment_provider TEXT,
      charge_id TEXT,
      uncertain_provider TEXT,
      failure_reason TEXT,
      failure TEXT,
      claim_token TEXT,
      claimed_until INTEGER NOT NULL DEFAULT 0,
      resume_at INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS orders_with_work_left ON orders (resume_at) WHERE next_step IS NOT NULL;
    CREATE INDEX IF NOT EXISTS orders_by_status ON orders (status, created_at);
  `);
  // Order events are written with the change that causes them (see orders/order-events.ts).
  ensureOutboxSchema(db);
}
