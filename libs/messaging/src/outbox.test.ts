import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { newOrderId } from '@keel/contracts';
import { ExpiringDeadline, withDeadline } from '@keel/resilience';
import { transaction } from '@keel/service-kit';
import { startTelemetry } from '@keel/telemetry';
import { eventually } from '@keel/testing';
import { describe, expect, it } from 'vitest';
import { newEvent } from './event';
import { enqueueEvent, ensureOutboxSchema, outboxBacklog, unsentEvents } from './outbox';
import { OutboxRelay } from './outbox-relay';
import type { EventSender, OutgoingEvent } from './producer';

const telemetry = startTelemetry({ service: 'test', instance: 'test', region: 'test', version: '0' });

function cancelled(reason = 'declined') {
  const orderId = newOrderId('us-east', randomUUID());
  return newEvent('order.cancelled', { key: orderId, origin: 'us-east', data: { orderId, reason } });
}

function outboxDb(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  ensureOutboxSchema(db);
  ensureOutboxSchema(db);
  db.exec('CREATE TABLE orders (id TEXT PRIMARY KEY, status TEXT)');
  return db;
}

/** A sender that records what it was given; `failNext` makes the next call throw (after or before "sending"). */
function recordingSender() {
  const sent: OutgoingEvent[] = [];
  let failNext: 'before' | 'after' | undefined;
  const sender: EventSender & { sent: OutgoingEvent[]; fail(when: 'before' | 'after'): void } = {
    sent,
    fail: (when) => (failNext = when),
    async sendEvents(items) {
      const mode = failNext;
      failNext = undefined;
      if (mode === 'before') throw new Error('broker unavailable');
      sent.push(...items);
      if (mode === 'after') throw new Error('process died before marking');
    },
  };
  return sender;
}

describe('enqueueEvent', () => {
  it('refuses to run outside a transaction', () => {
    expect(() => enqueueEvent(outboxDb(), 'keel.orders', cancelled())).toThrow(/inside the transaction/);
  });

  it('stores nothing when the state change rolls back', () => {
    const db = outboxDb();
    expect(() =>
      transaction(db, () => {
        db.prepare('INSERT INTO orders VALUES (?, ?)').run('o1', 'cancelled');
        enqueueEvent(db, 'keel.orders', cancelled());
        throw new Error('the change failed');
      }),
    ).toThrow(/the change failed/);
    expect(outboxBacklog(db)).toBe(0);
  });

  it('rolls the state change back when the event is invalid', () => {
    const db = outboxDb();
    expect(() =>
      transaction(db, () => {
        db.prepare('INSERT INTO orders VALUES (?, ?)').run('o1', 'cancelled');
        enqueueEvent(db, 'keel.orders', cancelled(''));
      }),
    ).toThrow(/invalid-data/);
    expect(db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 0 });
  });

  it('stores an event id once: the same fact enqueued twice is published once', () => {
    const db = outboxDb();
    const event = cancelled();
    transaction(db, () => enqueueEvent(db, 'keel.orders', event));
    transaction(db, () => enqueueEvent(db, 'keel.orders', event));
    expect(outboxBacklog(db)).toBe(1);
  });

  it('keeps the trace context but not the request deadline', () => {
    const db = outboxDb();
    const span = trace.getTracer('test').startSpan('request');
    const ctx = withDeadline(trace.setSpan(ROOT_CONTEXT, span), ExpiringDeadline.after(2_000));
    transaction(db, () => enqueueEvent(db, 'keel.orders', cancelled(), ctx));
    const [row] = unsentEvents(db, 10);
    expect(row.traceHeaders.traceparent).toContain(span.spanContext().traceId);
    expect(row.traceHeaders.baggage ?? '').not.toContain('keel.deadline');
    span.end();
  });
});

describe('OutboxRelay', () => {
  it('publishes committed events in commit order, then marks them sent', async () => {
    const db = outboxDb();
    const events = [cancelled('first'), cancelled('second'), cancelled('third')];
    for (const event of events) transaction(db, () => enqueueEvent(db, 'keel.orders', event));
    const sender = recordingSender();
    const relay = new OutboxRelay(db, sender, { batchSize: 2 });
    expect(await relay.relayOnce()).toBe(2);
    expect(await relay.relayOnce()).toBe(1);
    expect(await relay.relayOnce()).toBe(0);
    expect(sender.sent.map((item) => item.event.id)).toEqual(events.map((event) => event.id));
    expect(outboxBacklog(db)).toBe(0);
  });

  it('keeps events when the publish fails and sends them on the next round', async () => {
    const db = outboxDb();
    transaction(db, () => enqueueEvent(db, 'keel.orders', cancelled()));
    const sender = recordingSender();
    const relay = new OutboxRelay(db, sender);
    sender.fail('before');
    await expect(relay.relayOnce()).rejects.toThrow(/broker unavailable/);
    expect(outboxBacklog(db)).toBe(1);
    expect(await relay.relayOnce()).toBe(1);
    expect(sender.sent).toHaveLength(1);
  });

  it('publishes again after dying between the publish and the mark (at least once)', async () => {
    const db = outboxDb();
    const event = cancelled();
    transaction(db, () => enqueueEvent(db, 'keel.orders', event));
    const sender = recordingSender();
    sender.fail('after');
    await expect(new OutboxRelay(db, sender).relayOnce()).rejects.toThrow(/died/);
    expect(await new OutboxRelay(db, sender).relayOnce()).toBe(1);
    expect(sender.sent.map((item) => item.event.id)).toEqual([event.id, event.id]);
  });

  it('polls in the background, backs off on failure, reports the backlog, and stops', async () => {
    const db = outboxDb();
    const sender = recordingSender();
    const errors: unknown[] = [];
    const relay = new OutboxRelay(db, sender, { intervalMs: 20, onError: (error) => errors.push(error), name: 'polling-test' });
    relay.start();
    transaction(db, () => enqueueEvent(db, 'keel.orders', cancelled()));
    expect(await eventually(() => sender.sent.length === 1, 2_000)).toBe(true);
    sender.fail('before');
    transaction(db, () => enqueueEvent(db, 'keel.orders', cancelled()));
    expect(await eventually(() => sender.sent.length === 2, 2_000)).toBe(true);
    expect(errors).toHaveLength(1);
    await relay.stop();
    transaction(db, () => enqueueEvent(db, 'keel.orders', cancelled()));
    expect(await telemetry.metricsText()).toMatch(/keel_outbox_relay_failures(_total)?\{[^}]*outbox="polling-test"[^}]*\} 1/);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sender.sent).toHaveLength(2);
  });

  it('reports the backlog as a gauge while running', async () => {
    const db = outboxDb();
    const relay = new OutboxRelay(db, { sendEvents: () => Promise.reject(new Error('down')) }, { intervalMs: 1_000, name: 'gauge-test' });
    transaction(db, () => enqueueEvent(db, 'keel.orders', cancelled()));
    relay.start();
    expect(await telemetry.metricsText()).toMatch(/keel_outbox_backlog\{[^}]*outbox="gauge-test"[^}]*\} 1/);
    await relay.stop();
  });
});
