import type { DatabaseSync, StatementSync } from 'node:sqlite';

/**
 * Which events a consumer has already handled. Kafka delivers at least once (a redelivery after
 * a crash, a relay that republished), so a consumer's effects stay single only if it remembers.
 * Synchronous on purpose: `mark` must be callable inside the handler's own SQLite transaction,
 * and node:sqlite transactions cannot span an `await`.
 */
export interface ProcessedEvents {
  /** True when `consumer` has already handled `eventId`. */
  has(consumer: string, eventId: string): boolean;
  /** Records it; false when it was already recorded (an earlier delivery won). */
  mark(consumer: string, eventId: string): boolean;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS processed_events (
    consumer TEXT NOT NULL,
    event_id TEXT NOT NULL,
    processed_at INTEGER NOT NULL,
    PRIMARY KEY (consumer, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS processed_events_by_age ON processed_events (processed_at);
`;

/** Creates the `processed_events` table if missing; safe at every start. */
export function ensureProcessedEventsSchema(db: DatabaseSync): void {
  db.exec(SCHEMA);
}

/**
 * Records that `consumer` handled `eventId`, in whatever transaction is open on `db`: call it
 * inside the transaction that makes the handler's writes, so the record and the effect commit or
 * roll back together. False means an earlier delivery already did the work: skip it.
 */
export function markProcessed(db: DatabaseSync, consumer: string, eventId: string, now = Date.now()): boolean {
  return db.prepare('INSERT OR IGNORE INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)').run(consumer, eventId, now).changes === 1;
}

/**
 * `ProcessedEvents` in the service's own SQLite database. Keyed by consumer group as well as
 * event id: two consumers in one service (a projection, a notifier) each handle every event once.
 */
export class SqliteProcessedEvents implements ProcessedEvents {
  private readonly hasStatement: StatementSync;
  private readonly markStatement: StatementSync;
  private readonly pruneStatement: StatementSync;

  constructor(readonly db: DatabaseSync) {
    ensureProcessedEventsSchema(db);
    this.hasStatement = db.prepare('SELECT 1 AS hit FROM processed_events WHERE consumer = ? AND event_id = ?');
    this.markStatement = db.prepare('INSERT OR IGNORE INTO processed_events (consumer, event_id, processed_at) VALUES (?, ?, ?)');
    this.pruneStatement = db.prepare('DELETE FROM processed_events WHERE processed_at < ?');
  }

  has(consumer: string, eventId: string): boolean {
    return this.hasStatement.get(consumer, eventId) !== undefined;
  }

  mark(consumer: string, eventId: string): boolean {
    return this.markStatement.run(consumer, eventId, Date.now()).changes === 1;
  }

  /**
   * Forgets records older than `maxAgeMs`; returns how many. Keep them longer than any message
   * can be redelivered: the topic's retention (Kafka's default is 7 days).
   */
  prune(maxAgeMs: number, now = Date.now()): number {
    return Number(this.pruneStatement.run(now - maxAgeMs).changes);
  }
}
