import type { DatabaseSync } from 'node:sqlite';
import { context, type Context } from '@opentelemetry/api';
import type { EventEnvelope, KeelEvent } from '@keel/contracts';
import { withoutDeadline } from '@keel/resilience';
import { encodeEvent } from './event';
import { contextHeaders } from './headers';

/*
 * The transactional outbox: a service writes the events of a state change into its own database
 * in the same transaction as the change, and a relay (outbox-relay.ts) publishes them afterwards.
 * So an event is published if and only if its change committed, however the process dies.
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    envelope TEXT NOT NULL,
    trace_headers TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
  );
  CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;
`;

/** Creates the `outbox` table if missing; safe at every start. */
export function ensureOutboxSchema(db: DatabaseSync): void {
  db.exec(SCHEMA);
}

/**
 * Stores `event` for publication on `topic`. Call it INSIDE the service's write transaction
 * (service-kit's `transaction()`): it refuses to run outside one, because an event written in its
 * own transaction can commit without the change (or the change without it). An invalid event
 * throws, which rolls the whole transaction back: a change is never committed with an event
 * that could not be published. An event id already in the outbox is ignored: same id, same fact
 * (a step that re-runs with a deterministic id publishes once).
 *
 * The trace context of `ctx` is kept, so the consumer's span joins the request's trace. Its
 * deadline is not: once the change has committed, the event must be handled whether or not the
 * request that caused it is still waiting, and a consumer honouring that deadline could drop a
 * committed fact.
 */
export function enqueueEvent(db: DatabaseSync, topic: string, event: KeelEvent | EventEnvelope, ctx: Context = context.active()): void {
  if (!db.isTransaction) throw new Error('enqueueEvent must run inside the transaction that writes the state change');
  const envelope = encodeEvent(topic, event);
  const headers = JSON.stringify(contextHeaders(withoutDeadline(ctx)));
  db.prepare('INSERT INTO outbox (topic, event_id, envelope, trace_headers, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING').run(
    topic,
    event.id,
    envelope,
    headers,
    Date.now(),
  );
}

/** One stored event waiting to be published. */
export interface OutboxRow {
  seq: number;
  topic: string;
  event: EventEnvelope;
  traceHeaders: Record<string, string>;
}

/** The oldest `limit` unpublished events, in the order they were committed. */
export function unsentEvents(db: DatabaseSync, limit: number): OutboxRow[] {
  const rows = db.prepare('SELECT seq, topic, envelope, trace_headers FROM outbox WHERE sent_at IS NULL ORDER BY seq LIMIT ?').all(limit) as {
    seq: number;
    topic: string;
    envelope: string;
    trace_headers: string;
  }[];
  return rows.map((row) => ({ seq: row.seq, topic: row.topic, event: JSON.parse(row.envelope), traceHeaders: JSON.parse(row.trace_headers) }));
}

/** Marks events published (after the broker acknowledged them). */
export function markSent(db: DatabaseSync, seqs: readonly number[], now = Date.now()): void {
  if (seqs.length === 0) return;
  db.prepare('UPDATE outbox SET sent_at = ? WHERE seq IN (SELECT value FROM json_each(?))').run(now, JSON.stringify(seqs));
}

/** How many events wait to be published: the backlog a stalled relay or a broker outage builds. */
export function outboxBacklog(db: DatabaseSync): number {
  return Number((db.prepare('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL').get() as { n: number }).n);
}

/** Deletes published events older than `maxAgeMs` (kept a while for debugging); returns how many. */
export function pruneSent(db: DatabaseSync, maxAgeMs: number, now = Date.now()): number {
  return Number(db.prepare('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?').run(now - maxAgeMs).changes);
}
