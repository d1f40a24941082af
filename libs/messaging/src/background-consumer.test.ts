import { createServer } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { startBackgroundConsumer } from './background-consumer';

function recorder() {
  const lines: string[] = [];
  return { lines, logger: { log: (_: object, message: string) => void lines.push(`info ${message}`), warn: (_: object, message: string) => void lines.push(`warn ${message}`) } };
}

const options = (logger: ReturnType<typeof recorder>['logger']) => ({ groupId: 'test-group', topics: ['keel.orders'], handlers: {}, logger, retryMs: 100 });

describe('startBackgroundConsumer', () => {
  it('consumes nothing without KEEL_KAFKA_BROKERS, and says so once', async () => {
    const { lines, logger } = recorder();
    const consumer = startBackgroundConsumer(new DatabaseSync(':memory:'), { KEEL_SERVICE: 'checkout', KEEL_REGION: 'test' }, options(logger));
    await consumer.stop();
    expect(lines).toEqual(['info KEEL_KAFKA_BROKERS is not set: no events are consumed']);
  });

  it('returns at once with a broker that never answers, keeps trying, and stops within a few seconds', async () => {
    const server = createServer(() => undefined);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    const { lines, logger } = recorder();
    try {
      const started = Date.now();
      const consumer = startBackgroundConsumer(new DatabaseSync(':memory:'), { KEEL_SERVICE: 'checkout', KEEL_REGION: 'test', KEEL_KAFKA_BROKERS: `127.0.0.1:${port}` }, options(logger));
      expect(Date.now() - started).toBeLessThan(100);
      await new Promise((done) => setTimeout(done, 500));
      const stopping = Date.now();
      await consumer.stop();
      expect(Date.now() - stopping).toBeLessThan(4_000);
      expect(lines.filter((line) => line === 'info consuming events')).toEqual([]);
    } finally {
      server.close();
    }
  });
});
