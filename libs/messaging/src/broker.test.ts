import { randomUUID } from 'node:crypto';
import { DatabaseSync } from 'node:sqlite';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { deadLetterTopic, newOrderId, type EventEnvelope } from '@keel/contracts';
import { currentDeadline, ExpiringDeadline, withDeadline } from '@keel/resilience';
import { transaction } from '@keel/service-kit';
import { startTelemetry } from '@keel/telemetry';
import { eventually, startKafkaProcess, type KafkaProcess } from '@keel/testing';
import type { IHeaders, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackgroundConsumer } from './background-consumer';
import { runConsumer, type ConsumerOptions, type RunningConsumer } from './consumer';
import { newEvent } from './event';
import { DLQ_HEADERS } from './headers';
import { createKafka, ensureTopics } from './kafka';
import { enqueueEvent, ensureOutboxSchema, outboxBacklog } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { SqliteProcessedEvents } from './processed-events';
import { EventProducer } from './producer';

// Against a real Kafka 3.9 broker, one for the whole file (a start costs ~10 s). Each test has
// its own topics (one partition, so "the next message" is unambiguous) and consumer group.
const telemetry = startTelemetry({ service: 'test', instance: 'test', region: 'test', version: '0' });
let broker: KafkaProcess;
let kafka: Kafka;
let producer: EventProducer;
const consumers: RunningConsumer[] = [];

beforeAll(async () => {
  broker = await startKafkaProcess();
  kafka = createKafka({ clientId: 'messaging-test', brokers: broker.brokers, logLevel: 'nothing' });
  producer = new EventProducer(kafka);
  await producer.connect();
}, 120_000);

afterAll(async () => {
  for (const consumer of consumers) await consumer.stop();
  await producer?.disconnect();
  await broker?.stop();
}, 30_000);

async function topicFor(name: string): Promise<string> {
  const topic = `test-${name}-${randomUUID().slice(0, 8)}`;
  await ensureTopics(kafka, [topic], { partitions: 1 });
  return topic;
}

async function consume(options: Omit<ConsumerOptions, 'kafka' | 'groupId' | 'dedupe'> & { dedupe?: SqliteProcessedEvents }): Promise<RunningConsumer> {
  const consumer = await runConsumer({ kafka, groupId: `group-${randomUUID()}`, dedupe: new SqliteProcessedEvents(new DatabaseSync(':memory:')), ...options });
  consumers.push(consumer);
  return consumer;
}

/** Reads `count` messages of `topic` from the start with a throwaway group (bounded by `timeoutMs`). */
async function readRaw(topic: string, count: number, timeoutMs = 15_000): Promise<{ value: string; headers: Record<string, string> }[]> {
  // A short long-poll: disconnect() waits for the fetch in flight.
  const reader = kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const seen: { value: string; headers: Record<string, string> }[] = [];
  await reader.connect();
  await reader.subscribe({ topic, fromBeginning: true });
  await reader.run({ eachMessage: async ({ message }) => void seen.push({ value: String(message.value), headers: strings(message.headers) }) });
  await eventually(() => seen.length >= count, timeoutMs);
  await reader.disconnect();
  return seen;
}

function strings(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}

const orderId = newOrderId('us-east', randomUUID());
const cancelled = (reason: string, id?: string) => newEvent('order.cancelled', { id, key: orderId, origin: 'us-east', data: { orderId, reason } });

describe('messaging on a real broker', () => {
  it('carries the trace and the deadline from producer to handler, with the event headers', async () => {
    const topic = await topicFor('trace');
    const seen: { traceId?: string; remaining?: number; headers?: Readonly<Record<string, string>> }[] = [];
    await consume({
      topics: [topic],
      handlers: { 'order.cancelled': (_, ctx) => void seen.push({ traceId: trace.getActiveSpan()?.spanContext().traceId, remaining: currentDeadline()?.remainingMs(), headers: ctx.headers }) },
    });
    const request = trace.getTracer('test').startSpan('POST /api/checkout');
    const event = cancelled('declined');
    await producer.publish(topic, event, withDeadline(trace.setSpan(ROOT_CONTEXT, request), ExpiringDeadline.after(60_000)));
    request.end();

    expect(await eventually(() => seen.length === 1, 15_000)).toBe(true);
    expect(seen[0].traceId).toBe(request.spanContext().traceId);
    expect(seen[0].remaining).toBeGreaterThan(40_000);
    expect(seen[0].remaining).toBeLessThanOrEqual(60_000);
    expect(seen[0].headers).toMatchObject({ 'event-id': event.id, 'event-type': 'order.cancelled', 'origin-region': 'us-east' });
  });

  it('handles a duplicate delivery once (published twice by the idempotent producer option)', async () => {
    const topic = await topicFor('dupes');
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE effects (event_id TEXT)');
    const handled: string[] = [];
    await consume({
      topics: [topic],
      dedupe: new SqliteProcessedEvents(db),
      handlers: {
        'order.cancelled': (event, ctx) =>
          transaction(db, () => {
            if (!ctx.markProcessed()) return;
            db.prepare('INSERT INTO effects VALUES (?)').run(event.id);
            handled.push(event.data.reason);
          }),
      },
    });
    const idempotent = new EventProducer(kafka, { idempotent: true });
    const event = cancelled('once');
    await idempotent.publish(topic, event);
    await idempotent.publish(topic, event);
    await idempotent.publish(topic, cancelled('after'));
    await idempotent.disconnect();

    expect(await eventually(() => handled.includes('after'), 15_000)).toBe(true);
    expect(handled).toEqual(['once', 'after']);
    expect(db.prepare('SELECT count(*) AS n FROM effects WHERE event_id = ?').get(event.id)).toEqual({ n: 1 });
  });

  it('dead-letters a message whose handler keeps failing, with the reason, and moves on to the next', async () => {
    const topic = await topicFor('failing');
    const handled: string[] = [];
    let attempts = 0;
    await consume({
      topics: [topic],
      maxAttempts: 3,
      backoff: { initialMs: 50, maxMs: 100 },
      handlers: {
        'order.cancelled': (event) => {
          if (event.data.reason !== 'poison') return void handled.push(event.data.reason);
          attempts++;
          throw new Error('catalog said no');
        },
      },
    });
    const poison = cancelled('poison');
    await producer.publish(topic, poison);
    await producer.publish(topic, cancelled('next'));

    expect(await eventually(() => handled.includes('next'), 15_000)).toBe(true);
    expect(attempts).toBe(3);
    const [dead] = await readRaw(deadLetterTopic(topic), 1);
    expect(JSON.parse(dead.value).id).toBe(poison.id);
    expect(dead.headers).toMatchObject({
      [DLQ_HEADERS.reason]: 'handler-failed',
      [DLQ_HEADERS.detail]: 'Error: catalog said no',
      [DLQ_HEADERS.attempts]: '3',
      [DLQ_HEADERS.topic]: topic,
      [DLQ_HEADERS.partition]: '0',
      [DLQ_HEADERS.offset]: '0',
      'event-id': poison.id,
    });
    const metric = (await telemetry.metricsText()).split('\n').find((line) => line.startsWith('keel_messaging_dead_lettered') && line.includes(`topic="${topic}"`));
    expect(metric).toMatch(/reason="handler-failed".*\} 1$/);
  });

  it('leaves a message whose retries were cut short by stop() to the next member of the group', async () => {
    const topic = await topicFor('handover');
    const groupId = `group-${randomUUID()}`;
    const dedupe = new SqliteProcessedEvents(new DatabaseSync(':memory:'));
    let failedAttempts = 0;
    const first = await runConsumer({
      kafka,
      groupId,
      topics: [topic],
      dedupe,
      backoff: { initialMs: 60_000 },
      handlers: {
        'order.cancelled': () => {
          failedAttempts++;
          throw new Error('down');
        },
      },
    });
    await producer.publish(topic, cancelled('handover'));
    expect(await eventually(() => failedAttempts === 1, 15_000)).toBe(true);
    const stopping = Date.now();
    await first.stop();
    expect(Date.now() - stopping).toBeLessThan(10_000);

    const handled: string[] = [];
    consumers.push(await runConsumer({ kafka, groupId, topics: [topic], dedupe, handlers: { 'order.cancelled': (event) => void handled.push(event.data.reason) } }));
    expect(await eventually(() => handled.length === 1, 15_000)).toBe(true);
    expect(handled).toEqual(['handover']);
  });

  it('dead-letters malformed and unknown messages at once, without blocking the partition', async () => {
    const topic = await topicFor('malformed');
    const handled: string[] = [];
    let calls = 0;
    await consume({ topics: [topic], handlers: { 'order.cancelled': (event) => void (calls++, handled.push(event.data.reason)) } });
    await producer.sendRaw(topic, [
      { key: orderId, value: '{"this is": not json' },
      { key: orderId, value: JSON.stringify({ ...cancelled('x'), type: 'order.teleported' }) },
    ]);
    await producer.publish(topic, cancelled('good'));

    expect(await eventually(() => handled.includes('good'), 15_000)).toBe(true);
    expect(calls).toBe(1);
    const dead = await readRaw(deadLetterTopic(topic), 2);
    expect(dead.map((message) => [message.headers[DLQ_HEADERS.reason], message.headers[DLQ_HEADERS.attempts], message.headers[DLQ_HEADERS.offset]])).toEqual([
      ['malformed-json', '0', '0'],
      ['unknown-event-type', '0', '1'],
    ]);
    expect(dead[0].value).toBe('{"this is": not json');
  });

  it('outbox: publishes only committed events, and a relay that died before marking publishes again; the consumer applies it once', async () => {
    const topic = await topicFor('outbox');
    const db = new DatabaseSync(':memory:');
    ensureOutboxSchema(db);
    const applied: EventEnvelope<'order.cancelled'>[] = [];
    await consume({ topics: [topic], handlers: { 'order.cancelled': (event) => void applied.push(event) } });

    const committed = cancelled('committed');
    transaction(db, () => enqueueEvent(db, topic, committed));
    expect(() =>
      transaction(db, () => {
        enqueueEvent(db, topic, cancelled('rolled back'));
        throw new Error('the state change failed');
      }),
    ).toThrow(/state change failed/);

    // Publishes, then "dies" before marking the rows sent: the rows stay unsent.
    const dyingSender = { sendEvents: async (items: Parameters<EventProducer['sendEvents']>[0]) => (await producer.sendEvents(items), Promise.reject(new Error('SIGKILL'))) };
    await expect(new OutboxRelay(db, dyingSender).relayOnce()).rejects.toThrow('SIGKILL');
    expect(outboxBacklog(db)).toBe(1);

    const relay = new OutboxRelay(db, producer, { intervalMs: 20 });
    relay.start();
    transaction(db, () => enqueueEvent(db, topic, cancelled('sentinel')));
    expect(await eventually(() => applied.some((event) => event.data.reason === 'sentinel'), 15_000)).toBe(true);
    await relay.stop();

    const onTopic = await readRaw(topic, 3);
    expect(onTopic.map((message) => JSON.parse(message.value).data.reason)).toEqual(['committed', 'committed', 'sentinel']);
    expect(applied.map((event) => event.id)).toEqual([committed.id, onTopic[2].headers['event-id']]);
    expect(outboxBacklog(db)).toBe(0);
  });

  it('background consumer: joins without holding up its caller, applies each event once into the service database, stops cleanly', async () => {
    const topic = await topicFor('background');
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE effects (event_id TEXT)');
    const handled: string[] = [];
    const lines: string[] = [];
    const logger = { log: (_: object, message: string) => void lines.push(message), warn: (_: object, message: string) => void lines.push(message) };
    const started = Date.now();
    const background = startBackgroundConsumer(db, { KEEL_SERVICE: 'test', KEEL_REGION: 'test', KEEL_KAFKA_BROKERS: broker.brokers.join(',') }, {
      groupId: `background-${randomUUID()}`,
      topics: [topic],
      logger,
      handlers: {
        'order.cancelled': (event, ctx) =>
          transaction(db, () => {
            if (!ctx.markProcessed()) return;
            db.prepare('INSERT INTO effects VALUES (?)').run(event.id);
            handled.push(event.data.reason);
          }),
      },
    });
    expect(Date.now() - started).toBeLessThan(100);
    await background.joined;
    const event = cancelled('first');
    await producer.publish(topic, event);
    await producer.publish(topic, event);
    await producer.publish(topic, cancelled('second'));
    expect(await eventually(() => handled.includes('second'), 15_000)).toBe(true);
    expect(handled).toEqual(['first', 'second']);
    expect(db.prepare('SELECT count(*) AS n FROM processed_events').get()).toEqual({ n: 2 });
    await background.stop();
    expect(lines).toContain('consuming events');
  });
});
