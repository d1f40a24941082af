import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, startKafkaProcess, tempDir, type KafkaProcess } from '@keel/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { describeCluster } from './metadata-probe';

/** Pids of the broker JVMs started on `dataDir` (their command line names its properties file). */
function brokerJvms(dataDir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
        return cmd.includes('kafka.Kafka') && cmd.includes(dataDir) && state !== 'Z';
      } catch {
        return false; // exited while we looked
      }
    })
    .map(Number);
}

const exited = (pid: number) => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

describe('broker-main', () => {
  const data = tempDir('keel-broker-main-');
  let broker: KafkaProcess | undefined;
  afterAll(async () => {
    await broker?.kill();
    data.remove();
  });

  it('runs a broker that serves clients, and SIGTERM stops it with no JVM left', { timeout: 150_000 }, async () => {
    broker = await startKafkaProcess({ dataDir: data.dir });
    const [host, port] = broker.brokers[0].split(':');
    expect(await describeCluster(host, Number(port))).toMatchObject({ brokers: [{ nodeId: 1, host, port: Number(port) }], controllerId: 1 });
    expect(readFileSync(join(data.dir, 'kafka', 'cluster-id'), 'utf8').trim()).toMatch(/^[\w-]{22}$/);
    expect(brokerJvms(data.dir)).toHaveLength(1);

    // A real client, the one keel's services use: a message and its headers make the round trip.
    const kafka = new Kafka({ clientId: 'broker-main-test', brokers: broker.brokers, logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: 'broker-main-test' });
    try {
      await producer.connect();
      await producer.send({ topic: 'keel.round-trip', messages: [{ key: 'k', value: 'hello', headers: { traceparent: '00-1-2-01' } }] });
      await consumer.connect();
      await consumer.subscribe({ topic: 'keel.round-trip', fromBeginning: true });
      const received = await new Promise<{ value: string; traceparent: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no message within 30 s')), 30_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            clearTimeout(timer);
            resolve({ value: String(message.value), traceparent: String(message.headers?.traceparent) });
          },
        });
      });
      expect(received).toEqual({ value: 'hello', traceparent: '00-1-2-01' });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
    }

    expect(await broker.stop()).toBe(0);
    expect(broker.output()).toMatch(/SIGTERM: stopping the broker[\s\S]*broker stopped/);
    expect(brokerJvms(data.dir)).toEqual([]);
  });

  it('exits non-zero when its JVM dies, so the stack restarts it', { timeout: 120_000 }, async () => {
    broker = await startKafkaProcess({ dataDir: data.dir }); // formatted already: a plain restart
    expect(broker.output()).not.toMatch(/formatting Kafka storage/);
    const [jvm] = brokerJvms(data.dir);
    process.kill(jvm, 'SIGKILL');
    const deadline = Date.now() + 10_000;
    while (!exited(broker.pid) && Date.now() < deadline) await new Promise((done) => setTimeout(done, 50));
    expect(await broker.stop()).toBe(1);
    expect(broker.output()).toMatch(/the broker JVM exited unexpectedly \(signal SIGKILL\)/);
  });

  it('says what to install, and exits, when Java and Maven are missing', async () => {
    const cache = tempDir('keel-no-jars-');
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'broker-main.ts')], {
      env: { PATH: cache.dir, KEEL_CACHE_DIR: cache.dir, PORT: String(await freePort()), KEEL_KAFKA_PORT: '1', KEEL_KAFKA_CONTROLLER_PORT: '2', KEEL_DATA_DIR: cache.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    cache.remove();
    expect(code).toBe(1);
    expect(output).toMatch(/needs 'java' and 'mvn'.*apt-get install openjdk-17-jre-headless maven/);
  });
});
