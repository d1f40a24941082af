import { describe, expect, it } from 'vitest';
import { dependencyEnv, KAFKA_ENTRY, loadStackConfig, stackInstances } from './topology';

const config = loadStackConfig();

describe('stackInstances', () => {
  it('starts a broker per region first, on the configured ports, and tells every regional service its brokers', () => {
    const specs = stackInstances(config, {});
    expect(specs).toHaveLength(13);
    expect(specs.slice(0, 2).map((s) => s.id)).toEqual(['us-east/kafka', 'eu-west/kafka']);
    expect(specs[0]).toMatchObject({
      service: 'kafka',
      entry: KAFKA_ENTRY,
      port: 8105,
      extraPorts: [9192, 9193],
      env: { PORT: '8105', KEEL_KAFKA_PORT: '9192', KEEL_KAFKA_CONTROLLER_PORT: '9193', KEEL_REGION: 'us-east' },
    });
    expect(specs[0].env.KEEL_DATA_DIR).toMatch(/\/us-east$/);
    const euCheckout = specs.find((s) => s.id === 'eu-west/checkout');
    expect(euCheckout?.env).toMatchObject({ KEEL_KAFKA_BROKERS: '127.0.0.1:9292', KEEL_PEER_KAFKA_BROKERS: '127.0.0.1:9192' });
    for (const global of specs.filter((s) => s.region === 'global')) expect(global.env.KEEL_KAFKA_BROKERS).toBeUndefined();
  });

  it('uses an existing cluster instead of starting a broker when KAFKA_BROKERS_<REGION> is set', () => {
    const specs = stackInstances(config, { KAFKA_BROKERS_US_EAST: ' k1:9092,k2:9092 ' });
    expect(specs.filter((s) => s.service === 'kafka').map((s) => s.id)).toEqual(['eu-west/kafka']);
    expect(specs.find((s) => s.id === 'us-east/catalog')?.env.KEEL_KAFKA_BROKERS).toBe('k1:9092,k2:9092');
    expect(dependencyEnv(config, 'eu-west', { KAFKA_BROKERS_US_EAST: 'k1:9092' })).toMatchObject({ KEEL_KAFKA_BROKERS: '127.0.0.1:9292', KEEL_PEER_KAFKA_BROKERS: 'k1:9092' });
  });

  it('gives every listener of the stack a port of its own', () => {
    const ports = stackInstances(config, {}).flatMap((s) => [s.port, s.adminPort, ...(s.extraPorts ?? [])]);
    expect(new Set([...ports, config.controlPort]).size).toBe(ports.length + 1);
  });
});
