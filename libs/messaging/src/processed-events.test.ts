import { DatabaseSync } from 'node:sqlite';
import { transaction } from '@keel/service-kit';
import { describe, expect, it } from 'vitest';
import { markProcessed, SqliteProcessedEvents } from './processed-events';

function store() {
  const db = new DatabaseSync(':memory:');
  db.exec('CREATE TABLE effects (event_id TEXT NOT NULL)');
  return { db, dedupe: new SqliteProcessedEvents(db) };
}

describe('SqliteProcessedEvents', () => {
  it('remembers an event once, per consumer group', () => {
    const { dedupe } = store();
    expect(dedupe.has('checkout', 'e1')).toBe(false);
    expect(dedupe.mark('checkout', 'e1')).toBe(true);
    expect(dedupe.mark('checkout', 'e1')).toBe(false);
    expect(dedupe.has('checkout', 'e1')).toBe(true);
    expect(dedupe.has('notifier', 'e1')).toBe(false);
  });

  it('creates its table idempotently over an existing database', () => {
    const { db, dedupe } = store();
    dedupe.mark('g', 'e1');
    expect(new SqliteProcessedEvents(db).has('g', 'e1')).toBe(true);
  });

  it('forgets only records older than the window', () => {
    const { db, dedupe } = store();
    markProcessed(db, 'g', 'old', 1_000);
    markProcessed(db, 'g', 'new', 9_000);
    expect(dedupe.prune(5_000, 10_000)).toBe(1);
    expect(dedupe.has('g', 'old')).toBe(false);
    expect(dedupe.has('g', 'new')).toBe(true);
  });
});

describe('markProcessed inside the handler transaction', () => {
  function handle(db: DatabaseSync, eventId: string, failAfterWrite = false): void {
    transaction(db, () => {
      if (!markProcessed(db, 'g', eventId)) return;
      db.prepare('INSERT INTO effects VALUES (?)').run(eventId);
      if (failAfterWrite) throw new Error('handler failed after its write');
    });
  }

  it('makes the effect happen once however often the event arrives', () => {
    const { db } = store();
    handle(db, 'e1');
    handle(db, 'e1');
    expect(db.prepare('SELECT count(*) AS n FROM effects').get()).toEqual({ n: 1 });
  });

  it('rolls the record back with the writes when the handler fails, so a retry does the work', () => {
    const { db, dedupe } = store();
    expect(() => handle(db, 'e1', true)).toThrow(/failed after its write/);
    expect(dedupe.has('g', 'e1')).toBe(false);
    handle(db, 'e1');
    expect(db.prepare('SELECT count(*) AS n FROM effects').get()).toEqual({ n: 1 });
  });
});
