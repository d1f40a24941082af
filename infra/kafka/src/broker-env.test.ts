import { describe, expect, it } from 'vitest';
import { readBrokerEnv } from './broker-env';
import { brokerProperties, newClusterId } from './properties';

describe('readBrokerEnv', () => {
  const good = { PORT: '8105', KEEL_KAFKA_PORT: '9192', KEEL_KAFKA_CONTROLLER_PORT: '9193', KEEL_DATA_DIR: '/tmp/d', KEEL_REGION: 'us-east' };

  it('reads the ports, data dir and region, with a bounded heap by default', () => {
    expect(readBrokerEnv(good)).toEqual({ host: '127.0.0.1', region: 'us-east', healthPort: 8105, brokerPort: 9192, controllerPort: 9193, dataDir: '/tmp/d', heap: '512m' });
    expect(readBrokerEnv({ ...good, KEEL_KAFKA_HEAP: '1g' }).heap).toBe('1g');
  });

  it('names every bad variable in one message', () => {
    expect(() => readBrokerEnv({ PORT: 'x', KEEL_KAFKA_PORT: '9192', KEEL_KAFKA_CONTROLLER_PORT: '9192', KEEL_KAFKA_HEAP: 'lots' })).toThrow(
      /PORT must be a port number[\s\S]*KEEL_DATA_DIR is required[\s\S]*KEEL_KAFKA_HEAP must look like 512m[\s\S]*must differ/,
    );
  });
});

describe('brokerProperties', () => {
  it('describes a single-node KRaft cluster on the given host and ports', () => {
    const text = brokerProperties({ host: '127.0.0.1', brokerPort: 9192, controllerPort: 9193, logDir: '/d/kafka/data' });
    const props = Object.fromEntries(text.trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2)));
    expect(props).toMatchObject({
      'process.roles': 'broker,controller',
      'controller.quorum.voters': '1@127.0.0.1:9193',
      listeners: 'PLAINTEXT://127.0.0.1:9192,CONTROLLER://127.0.0.1:9193',
      'advertised.listeners': 'PLAINTEXT://127.0.0.1:9192',
      'log.dirs': '/d/kafka/data',
      'offsets.topic.replication.factor': '1',
      'transaction.state.log.replication.factor': '1',
      'group.initial.rebalance.delay.ms': '0',
    });
  });
});

describe('newClusterId', () => {
  it('makes 22-character URL-safe ids that never start with a dash, as Kafka requires', () => {
    const ids = Array.from({ length: 500 }, newClusterId);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{21}$/);
    expect(new Set(ids).size).toBe(500);
  });
});
