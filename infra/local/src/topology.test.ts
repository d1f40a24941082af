import { describe, expect, it } from 'vitest';
import { addonInstances, dependencyEnv, KAFKA_ENTRY, loadStackConfig, stackInstances, TRAFFIC_ID } from './topology';

const config = loadStackConfig();

describe('stackInstances', () => {
  it('starts a broker per region first, on the configured ports, and tells every regional service its brokers', () => {
    const specs = stackInstances(config, {});
    expect(specs).toHaveLength(16);
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

  it('runs a replicator per region that pulls from the peer region\'s broker into its own, right after the brokers', () => {
    const specs = stackInstances(config, {});
    const replicators = specs.filter((s) => s.service === 'replicator');
    expect(replicators.map((s) => [s.id, s.port, s.entry])).toEqual([
      ['us-east/replicator', 8106, 'apps/replicator/src/main.ts'],
      ['eu-west/replicator', 8206, 'apps/replicator/src/main.ts'],
    ]);
    expect(replicators[0].env).toMatchObject({ KEEL_SERVICE: 'replicator', KEEL_REGION: 'us-east', KEEL_PEER_REGION: 'eu-west', KEEL_KAFKA_BROKERS: '127.0.0.1:9192', KEEL_PEER_KAFKA_BROKERS: '127.0.0.1:9292' });
    expect(replicators[1].env).toMatchObject({ KEEL_REGION: 'eu-west', KEEL_PEER_REGION: 'us-east', KEEL_KAFKA_BROKERS: '127.0.0.1:9292', KEEL_PEER_KAFKA_BROKERS: '127.0.0.1:9192' });
    const firstRegional = specs.findIndex((s) => s.region !== 'global' && s.service !== 'kafka');
    expect(specs[firstRegional].service).toBe('replicator');
    expect(specs.findIndex((s) => s.service === 'replicator')).toBeGreaterThan(specs.findLastIndex((s) => s.service === 'kafka'));
  });

  it('runs one carrier for both regions, started right after the payment providers, and tells every regional service where it is', () => {
    const specs = stackInstances(config, {});
    const carrier = specs.find((s) => s.id === 'global/carrier');
    expect(carrier).toMatchObject({ service: 'carrier', name: 'carrier', port: 8303, adminPort: 9303, entry: 'apps/carrier/src/main.ts' });
    expect(carrier?.env).toMatchObject({ KEEL_SERVICE: 'carrier', KEEL_INSTANCE: 'carrier', KEEL_REGION: 'global', PORT: '8303' });
    expect(specs.indexOf(carrier as (typeof specs)[number])).toBe(specs.findLastIndex((s) => s.service === 'payment-provider') + 1);
    for (const regional of specs.filter((s) => s.region !== 'global' && s.service !== 'kafka')) expect(regional.env.KEEL_CARRIER_URL, regional.id).toBe('http://127.0.0.1:8303');
    expect(dependencyEnv(config, 'us-east', {})).toMatchObject({ KEEL_CARRIER_URL: 'http://127.0.0.1:8303', KEEL_PROVIDER_A_URL: 'http://127.0.0.1:8301' });
  });

  it('uses an existing cluster instead of starting a broker when KAFKA_BROKERS_<REGION> is set', () => {
    const specs = stackInstances(config, { KAFKA_BROKERS_US_EAST: ' k1:9092,k2:9092 ' });
    expect(specs.filter((s) => s.service === 'kafka').map((s) => s.id)).toEqual(['eu-west/kafka']);
    expect(specs.find((s) => s.id === 'us-east/catalog')?.env.KEEL_KAFKA_BROKERS).toBe('k1:9092,k2:9092');
    expect(dependencyEnv(config, 'eu-west', { KAFKA_BROKERS_US_EAST: 'k1:9092' })).toMatchObject({ KEEL_KAFKA_BROKERS: '127.0.0.1:9292', KEEL_PEER_KAFKA_BROKERS: 'k1:9092' });
  });

  it('starts the traffic generator only when asked, last, aimed at the edge', () => {
    expect(stackInstances(config, {}).some((s) => s.service === 'traffic')).toBe(false);
    const withTraffic = stackInstances(config, {}, { traffic: true });
    const traffic = withTraffic.at(-1);
    expect(traffic).toMatchObject({ id: TRAFFIC_ID, region: 'global', service: 'traffic', entry: 'load/src/traffic-main.ts', port: config.traffic.port });
    expect(traffic?.env).toMatchObject({ KEEL_TRAFFIC_TARGET: `http://127.0.0.1:${config.edge.port}`, KEEL_TRAFFIC_RATE: String(config.traffic.rate), PORT: String(config.traffic.port) });
    expect(addonInstances(config)).toEqual([traffic]);
  });

  it('gives every listener of the stack a port of its own', () => {
    const ports = stackInstances(config, {}, { traffic: true }).flatMap((s) => [s.port, s.adminPort, ...(s.extraPorts ?? [])]);
    expect(new Set([...ports, config.controlPort]).size).toBe(ports.length + 1);
  });
});
