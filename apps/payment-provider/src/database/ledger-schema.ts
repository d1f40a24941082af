import type { DatabaseSync } from 'node:sqlite';

/**
 * One idempotency-key table for every write, as a real provider keeps one key space per
 * account: a key used for a charge cannot be reused for a refund either. Its primary key is
 * what makes "exactly one capture per key" hold even for concurrent requests and processes.
 */
export function migrateLedger(db: DatabaseSync): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS charges (
      id TEXT PRIMARY KEY,
      idempotency_key TEXT NOT NULL UNIQUE,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      refunded_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0 AND refunded_cents <= amount_cents),
      currency TEXT NOT NULL,
      reference TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('captured', 'refunded')),
      created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS charges_by_reference ON charges (reference);
    CREATE TABLE IF NOT EXISTS refunds (
      id TEXT PRIMARY KEY,
      charge_id TEXT NOT NULL REFERENCES charges (id),
      idempotency_key TEXT NOT NULL UNIQUE,
      amount_cents INTEGER NOT NULL CHECK (amount_cents > 0),
      created_at TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS refunds_by_charge ON refunds (charge_id);
    CREATE TABLE IF NOT EXISTS idempotency_keys (
      key TEXT PRIMARY KEY,
      operation TEXT NOT NULL CHECK (operation IN ('charge', 'refund')),
      request_hash TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
  `);
}
