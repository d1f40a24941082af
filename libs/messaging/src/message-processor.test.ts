import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { newOrderId } from '@keel/contracts';
import { currentDeadline, ExpiringDeadline, withDeadline } from '@keel/resilience';
import { transaction } from '@keel/service-kit';
import { startTelemetry } from '@keel/telemetry';
import { describe, expect, it } from 'vitest';
import type { ConsumedMessage, DeadLetter } from './dead-letter';
import { newEvent } from './event';
import { eventHeaders } from './headers';
import { processMessage, UnprocessableEventError, type EventHandlers, type MessageProcessorOptions } from './message-processor';
import { SqliteProcessedEvents } from './processed-events';

startTelemetry({ service: 'test', instance: 'test', region: 'test', version: '0' });

const orderId = newOrderId('us-east', randomUUID());

function cancelled(id = randomUUID()) {
  return newEvent('order.cancelled', { id, key: orderId, origin: 'us-east', data: { orderId, reason: 'declined' } });
}

function message(value: string | null, headers: Record<string, string> = {}, topic = 'keel.orders'): ConsumedMessage {
  return { topic, partition: 2, offset: '41', key: orderId, value: value === null ? null : Buffer.from(value), headers };
}

function harness(handlers: EventHandlers, maxAttempts = 3) {
  const db = new DatabaseSync(':memory:');
  const letters: { message: ConsumedMessage; letter: DeadLetter }[] = [];
  const sleeps: number[] = [];
  const options: MessageProcessorOptions = {
    consumerGroup: 'test-group',
    handlers,
    dedupe: new SqliteProcessedEvents(db),
    maxAttempts,
    backoff: { initialMs: 100, maxMs: 250 },
    deadLetter: async (message, letter) => void letters.push({ message, letter }),
    sleep: async (ms) => void sleeps.push(ms),
  };
  return { db, letters, sleeps, process: (m: ConsumedMessage) => processMessage(m, options, async () => undefined) };
}

describe('processMessage', () => {
  it('hands a valid event to its handler once and records it', async () => {
    const seen: string[] = [];
    const h = harness({ 'order.cancelled': (event) => void seen.push(event.data.reason) });
    const event = cancelled();
    expect(await h.process(message(JSON.stringify(event)))).toBe('handled');
    expect(await h.process(message(JSON.stringify(event)))).toBe('duplicate');
    expect(seen).toEqual(['declined']);
  });

  it.each([
    ['not JSON', '{"id":', 'malformed-json'],
    ['no value', null, 'empty-message'],
    ['an unknown event type', JSON.stringify({ ...cancelled(), type: 'order.teleported' }), 'unknown-event-type'],
    ['an invalid payload', JSON.stringify({ ...cancelled(), data: { orderId } }), 'invalid-data'],
    ['an event its topic does not carry', JSON.stringify(cancelled()), 'wrong-topic', 'keel.stock'],
  ])('dead-letters %s at once, without calling a handler', async (_, value, reason, topic = 'keel.orders') => {
    let calls = 0;
    const h = harness({ 'order.cancelled': () => void calls++ });
    expect(await h.process(message(value, {}, topic))).toBe('dead-lettered');
    expect(h.letters).toHaveLength(1);
    expect(h.letters[0].letter).toMatchObject({ reason, attempts: 0, consumerGroup: 'test-group' });
    expect(calls).toBe(0);
    expect(h.sleeps).toEqual([]);
  });

  it('retries a failing handler with backoff, then dead-letters it with the last error', async () => {
    let calls = 0;
    const h = harness({
      'order.cancelled': () => {
        calls++;
        throw new Error(`catalog unavailable #${calls}`);
      },
    });
    expect(await h.process(message(JSON.stringify(cancelled())))).toBe('dead-lettered');
    expect(calls).toBe(3);
    expect(h.sleeps).toEqual([100, 200]);
    expect(h.letters[0].letter).toMatchObject({ reason: 'handler-failed', attempts: 3, detail: 'Error: catalog unavailable #3' });
  });

  it('succeeds on a later attempt and tells the handler which attempt it is', async () => {
    const attempts: number[] = [];
    const h = harness({
      'order.cancelled': (_, ctx) => {
        attempts.push(ctx.attempt);
        if (ctx.attempt < 2) throw new Error('transient');
      },
    });
    expect(await h.process(message(JSON.stringify(cancelled())))).toBe('handled');
    expect(attempts).toEqual([1, 2]);
    expect(h.letters).toEqual([]);
  });

  it('dead-letters at once when the handler says retrying cannot help', async () => {
    let calls = 0;
    const h = harness({
      'order.cancelled': () => {
        calls++;
        throw new UnprocessableEventError('order is not known here');
      },
    });
    expect(await h.process(message(JSON.stringify(cancelled())))).toBe('dead-lettered');
    expect(calls).toBe(1);
    expect(h.letters[0].letter).toMatchObject({ reason: 'handler-rejected', attempts: 1 });
  });

  it('skips known event types it has no handler for', async () => {
    const h = harness({ 'order.created': () => undefined });
    expect(await h.process(message(JSON.stringify(cancelled())))).toBe('ignored');
  });

  it('lets the handler mark the event inside its own transaction, so a failed attempt leaves no trace', async () => {
    const h = harness({
      'order.cancelled': (event, ctx) =>
        transaction(h.db, () => {
          if (!ctx.markProcessed()) return;
          h.db.prepare('INSERT INTO effects VALUES (?)').run(event.id);
          if (ctx.attempt === 1) throw new Error('crashed after writing');
        }),
    });
    h.db.exec('CREATE TABLE effects (event_id TEXT)');
    const event = cancelled();
    expect(await h.process(message(JSON.stringify(event)))).toBe('handled');
    expect(await h.process(message(JSON.stringify(event)))).toBe('duplicate');
    expect(h.db.prepare('SELECT count(*) AS n FROM effects').get()).toEqual({ n: 1 });
  });

  it('runs the handler in the sender trace and deadline, inside a consumer span', async () => {
    const sender = trace.getTracer('test').startSpan('checkout request');
    const sent = withDeadline(trace.setSpan(ROOT_CONTEXT, sender), ExpiringDeadline.after(4_000));
    const event = cancelled();
    let seen: { traceId?: string; spanId?: string; remaining?: number } = {};
    const h = harness({
      'order.cancelled': () => {
        const active = trace.getActiveSpan()?.spanContext();
        seen = { traceId: active?.traceId, spanId: active?.spanId, remaining: currentDeadline()?.remainingMs() };
      },
    });
    await h.process(message(JSON.stringify(event), eventHeaders(event, sent)));
    expect(seen.traceId).toBe(sender.spanContext().traceId);
    expect(seen.spanId).not.toBe(sender.spanContext().spanId);
    expect(seen.remaining).toBeGreaterThan(3_900);
    sender.end();
  });
});
