import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, type Context } from '@opentelemetry/api';
import { newOrderId, type EventEnvelope } from '@keel/contracts';
import { createKafka, ensureTopics, EventProducer, headersToStrings, newEvent } from '@keel/messaging';
import { bootstrapService, type RunningService } from '@keel/service-kit';
import { eventually, startKafkaProcess, tempDir, type KafkaProcess } from '@keel/testing';
import type { Kafka } from 'kafkajs';
import { replicatorGroup } from '../replicator';
import { checkReplicatorEnv, replicatorEnv, type ReplicatorEnv } from '../replicator.env';
import { ReplicatorModule } from '../replicator.module';

/** One region of the test: its real broker, a client and a producer of keel events. */
export interface TestRegion {
  name: string;
  broker: KafkaProcess;
  kafka: Kafka;
  producer: EventProducer;
}

/** Two real brokers, started in parallel (~10 s each). */
export async function startRegions(names: [string, string]): Promise<[TestRegion, TestRegion]> {
  const brokers = await Promise.all(names.map(() => startKafkaProcess()));
  return Promise.all(
    names.map(async (name, index) => {
      const kafka = createKafka({ clientId: `replicator-test-${name}`, brokers: brokers[index].brokers, logLevel: 'nothing' });
      const producer = new EventProducer(kafka);
      await producer.connect();
      return { name, broker: brokers[index], kafka, producer };
    }),
  ) as Promise<[TestRegion, TestRegion]>;
}

export async function stopRegions(regions: TestRegion[]): Promise<void> {
  await Promise.all(regions.map(async (region) => {
    await region.producer.disconnect().catch(() => undefined);
    await region.broker.stop();
  }));
}

export async function newTopic(regions: TestRegion[], label: string): Promise<string> {
  const topic = `test-${label}-${randomUUID().slice(0, 8)}`;
  await Promise.all(regions.map((region) => ensureTopics(region.kafka, [topic])));
  return topic;
}

/** Publishes one keel event that happened in `region` to its broker, sent from `ctx` (trace, deadline). */
export async function publish(region: TestRegion, topic: string, ctx: Context = ROOT_CONTEXT): Promise<EventEnvelope> {
  const orderId = newOrderId(region.name, randomUUID());
  const event = newEvent('order.cancelled', { key: orderId, origin: region.name, data: { orderId, reason: 'replicator test' } });
  await region.producer.publish(topic, event, ctx);
  return event;
}

/** The replicator of region `into`, pulling from `from`: in-process, on a free port. */
export async function startReplicator(
  into: TestRegion,
  from: TestRegion,
  topic: string,
  overrides: Record<string, string> = {},
): Promise<RunningService<ReplicatorEnv> & { stop(): Promise<void> }> {
  const data = tempDir('keel-replicator-');
  const service = await bootstrapService({
    module: ReplicatorModule,
    env: replicatorEnv,
    checkEnv: checkReplicatorEnv,
    environment: {
      KEEL_SERVICE: 'replicator',
      KEEL_REGION: into.name,
      KEEL_PEER_REGION: from.name,
      KEEL_KAFKA_BROKERS: into.broker.brokers.join(','),
      KEEL_PEER_KAFKA_BROKERS: from.broker.brokers.join(','),
      KEEL_REPLICATED_TOPICS: topic,
      KEEL_REPLICATOR_LAG_INTERVAL_MS: '300',
      KEEL_REPLICATOR_MAX_BACKOFF_MS: '1000',
      KEEL_READINESS_INTERVAL_MS: '0',
      KEEL_LOG_LEVEL: 'silent',
      KEEL_DATA_DIR: data.dir,
      PORT: '0',
      ...overrides,
    },
  });
  return {
    ...service,
    async stop() {
      await service.app.close();
      data.remove();
    },
  };
}

/** Messages in `topic` on `region`'s broker: high minus low watermark over its partitions. */
export async function countMessages(region: TestRegion, topic: string): Promise<number> {
  const admin = region.kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/** Whether the replicator of `into` has committed everything in `from`'s `topic` (bounded wait). */
export async function caughtUp(from: TestRegion, into: TestRegion, topic: string, timeoutMs = 30_000): Promise<boolean> {
  const admin = from.kafka.admin();
  await admin.connect();
  try {
    return await eventually(async () => {
      const [ends, [committed]] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: replicatorGroup(into.name), topics: [topic] })]);
      const done = new Map(committed.partitions.map((p) => [p.partition, Number(p.offset)]));
      return ends.every((end) => Number(end.high) === Number(end.low) || done.get(end.partition) === Number(end.high));
    }, timeoutMs, 200);
  } finally {
    await admin.disconnect();
  }
}

export interface ReadMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Reads every message of `topic` on `region` (a throwaway group; bounded by `timeoutMs`). */
export async function readAll(region: TestRegion, topic: string, timeoutMs = 15_000): Promise<ReadMessage[]> {
  const expected = await countMessages(region, topic);
  const reader = region.kafka.consumer({ groupId: `reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const seen: ReadMessage[] = [];
  await reader.connect();
  try {
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void seen.push({ key: String(message.key), value: String(message.value), headers: headersToStrings(message.headers) }) });
    await eventually(() => seen.length >= expected, timeoutMs);
    return seen;
  } finally {
    await reader.disconnect();
  }
}

/** A TCP forwarder on `port` to `target` (`host:port`): a broker address that can be made to appear. */
export async function forward(port: number, target: string): Promise<{ close(): Promise<void> }> {
  const [host, targetPort] = target.split(':');
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(targetPort), host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((done, fail) => server.once('error', fail).listen(port, '127.0.0.1', done));
  return {
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((done) => server.close(done));
    },
  };
}
