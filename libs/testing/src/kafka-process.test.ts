import { afterAll, describe, expect, it } from 'vitest';
import { sendJson, startFixtureServer } from './fixture-server';
import { startKafkaProcess, type KafkaProcess } from './kafka-process';
import { tempDir } from './service-process';

/** Is any process of group `pgid` left (the wrapper or the broker JVM)? */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startKafkaProcess', () => {
  const data = tempDir('keel-kafka-process-');
  let broker: KafkaProcess | undefined;
  afterAll(async () => {
    await broker?.kill();
    data.remove();
  });

  it('starts a ready broker, survives a crash on its data, and stops with nothing left', { timeout: 200_000 }, async () => {
    broker = await startKafkaProcess({ dataDir: data.dir });
    const ready = await fetch(broker.healthUrl);
    expect(ready.status).toBe(200);
    const port = Number(broker.brokers[0].split(':')[1]);
    expect(await ready.json()).toMatchObject({ status: 'ok', brokers: [{ nodeId: 1, host: '127.0.0.1', port }] });

    const crashed = broker.pid;
    await broker.kill();
    expect(groupAlive(crashed)).toBe(false); // the JVM went with its wrapper

    broker = await startKafkaProcess({ dataDir: data.dir }); // same data: no format, same cluster
    expect(broker.output()).not.toMatch(/formatting Kafka storage/);
    const stopped = broker.pid;
    expect(await broker.stop()).toBe(0);
    expect(groupAlive(stopped)).toBe(false);
    expect(broker.output()).toMatch(/broker stopped/);
  });

  it("does not take another process's ready answer for its broker's: a health port already held fails the start", async () => {
    const rival = await startFixtureServer((_request, res) => sendJson(res, 200, { status: 'ok', brokers: [] }));
    try {
      await expect(startKafkaProcess({ env: { PORT: new URL(rival.url).port }, readyTimeoutMs: 15_000 })).rejects.toThrow(/exited during start[\s\S]*EADDRINUSE/);
    } finally {
      await rival.stop();
    }
  });
});
