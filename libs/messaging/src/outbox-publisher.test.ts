import { createServer } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { newOrderId } from '@keel/contracts';
import { transaction } from '@keel/service-kit';
import { describe, expect, it } from 'vitest';
import { newEvent } from './event';
import { enqueueEvent, ensureOutboxSchema, outboxBacklog } from './outbox';
import { startOutboxPublisher } from './outbox-publisher';

function recorder() {
  const lines: string[] = [];
  return { lines, logger: { log: (_: object, message: string) => void lines.push(`info ${message}`), warn: (_: object, message: string) => void lines.push(`warn ${message}`) } };
}

function outboxWithOneEvent(): DatabaseSync {
  const db = new DatabaseSync(':memory:');
  ensureOutboxSchema(db);
  const orderId = newOrderId('test', '00000000-0000-4000-8000-000000000001');
  transaction(db, () => enqueueEvent(db, 'keel.orders', newEvent('order.cancelled', { key: orderId, origin: 'test', data: { orderId, reason: 'test' } })));
  return db;
}

/** A port that accepts connections and never answers: a broker that hangs rather than refuses. */
async function silentPort(): Promise<{ port: number; close(): void }> {
  const server = createServer(() => undefined);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { port: (server.address() as { port: number }).port, close: () => server.close() };
}

describe('startOutboxPublisher', () => {
  it('runs no relay without KEEL_KAFKA_BROKERS, and says so once', async () => {
    const db = outboxWithOneEvent();
    const { lines, logger } = recorder();
    const publisher = startOutboxPublisher(db, { KEEL_SERVICE: 'checkout', KEEL_REGION: 'test' }, { topics: ['keel.orders'], logger });
    await publisher.stop();
    expect(lines).toEqual(['info KEEL_KAFKA_BROKERS is not set: events stay in the outbox, no relay runs']);
    expect(outboxBacklog(db)).toBe(1);
  });

  it('returns at once with a broker that never answers, keeps the events, and stops promptly', async () => {
    const db = outboxWithOneEvent();
    const broker = await silentPort();
    const { lines, logger } = recorder();
    const started = Date.now();
    const publisher = startOutboxPublisher(db, { KEEL_SERVICE: 'checkout', KEEL_REGION: 'test', KEEL_KAFKA_BROKERS: `127.0.0.1:${broker.port}` }, { topics: ['keel.orders'], logger, topicsTimeoutMs: 300, topicsRetryMs: 100 });
    expect(Date.now() - started).toBeLessThan(100);
    await new Promise((done) => setTimeout(done, 1_000));
    const stopping = Date.now();
    await publisher.stop();
    expect(Date.now() - stopping).toBeLessThan(2_000);
    broker.close();
    expect(lines[0]).toBe('warn cannot create topics yet; retrying in the background');
    expect(lines).not.toContain('info outbox relay started');
    expect(outboxBacklog(db)).toBe(1);
  });
});
