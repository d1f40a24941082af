import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The services keel runs; `payment-provider` runs twice (provider-a, provider-b); `kafka` is a
 * broker per region; `carrier` is one shipping-carrier fake shared by both regions; `traffic`
 * is the optional background traffic generator (an add-on: see `addonInstances`).
 */
export type ServiceName = 'gateway' | 'catalog' | 'recommendations' | 'checkout' | 'replicator' | 'payment-provider' | 'carrier' | 'edge' | 'kafka' | 'traffic';

/**
 * One of each per region, in start order. The replicator needs only the brokers (it copies the
 * peer region's events into this region's broker), so it comes first.
 */
export const REGIONAL_SERVICES = ['replicator', 'catalog', 'recommendations', 'checkout', 'gateway'] as const;
export type RegionalService = (typeof REGIONAL_SERVICES)[number];

export interface StackConfig {
  host: string;
  dataDir: string;
  adminPortOffset: number;
  controlPort: number;
  defaultVersion: string;
  edge: { port: number; defaultRegion: string; healthIntervalMs: number };
  regions: Record<string, Record<RegionalService, number>>;
  providers: Record<string, number>;
  /** The shipping-carrier fake's port (one instance, `global/carrier`). */
  carrier: number;
  /** Per region: the broker wrapper's health port (its `port`), the Kafka port and the KRaft controller port. */
  kafka: Record<string, KafkaPorts>;
  /** The background traffic generator: its health port and the total req/s it sends to the edge. */
  traffic: { port: number; rate: number };
  restart: { initialDelayMs: number; maxDelayMs: number; resetAfterMs: number };
  readyTimeoutMs: number;
}

export interface KafkaPorts {
  health: number;
  broker: number;
  controller: number;
}

/** Everything the stack needs to start one OS process. */
export interface InstanceSpec {
  /** `us-east/catalog`, `global/edge`, `global/provider-a`, or `us-east/catalog~<label>` for extras. */
  id: string;
  region: string;
  service: ServiceName;
  /** Instance name: the service, or `provider-a`/`provider-b`, or `<service>~<label>` for extras. */
  name: string;
  version: string;
  port: number;
  adminPort: number;
  /** Entry file, relative to the workspace root. */
  entry: string;
  env: Record<string, string>;
  /** Other ports it listens on (a broker's Kafka and controller ports): checked free before `up`, and gone after `down`. */
  extraPorts?: number[];
  /** Started by `start-extra` rather than by `up`. */
  extra?: boolean;
}

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');
export const CONFIG_FILE = join(WORKSPACE_ROOT, 'infra/local/stack.config.json');

export function loadStackConfig(file = CONFIG_FILE): StackConfig {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as StackConfig & { $comment?: string };
  delete raw.$comment;
  return raw;
}

/** The stack's data root: `KEEL_STACK_DATA_DIR` when set (tests, a second stack), else the config's. */
export function dataDir(config: StackConfig): string {
  return resolve(WORKSPACE_ROOT, process.env.KEEL_STACK_DATA_DIR ?? config.dataDir);
}

const url = (config: StackConfig, port: number) => `http://${config.host}:${port}`;

export function otherRegion(config: StackConfig, region: string): string {
  const others = Object.keys(config.regions).filter((r) => r !== region);
  return others[0] ?? region;
}

/** `KAFKA_BROKERS_US_EAST` for `us-east`: set, it names an existing cluster the stack uses instead of starting a broker. */
export const kafkaOverrideVar = (region: string) => `KAFKA_BROKERS_${region.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** The bootstrap brokers of `region`: the override when set, else the stack's own broker. */
export function kafkaBrokers(config: StackConfig, region: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[kafkaOverrideVar(region)]?.trim();
  if (override) return override;
  const ports = config.kafka[region];
  if (!ports) throw new Error(`stack.config.json has no kafka ports for region ${region}`);
  return `${config.host}:${ports.broker}`;
}

/** Dependency URLs (and Kafka brokers) a service in `region` is given, by environment variable. */
export function dependencyEnv(config: StackConfig, region: string, processEnv: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const ports = config.regions[region];
  const peer = config.regions[otherRegion(config, region)];
  const env: Record<string, string> = {
    KEEL_CATALOG_URL: url(config, ports.catalog),
    KEEL_RECOMMENDATIONS_URL: url(config, ports.recommendations),
    KEEL_CHECKOUT_URL: url(config, ports.checkout),
    KEEL_PEER_REGION: otherRegion(config, region),
    KEEL_PEER_CATALOG_URL: url(config, peer.catalog),
    KEEL_PEER_RECOMMENDATIONS_URL: url(config, peer.recommendations),
    KEEL_PEER_CHECKOUT_URL: url(config, peer.checkout),
    KEEL_KAFKA_BROKERS: kafkaBrokers(config, region, processEnv),
    KEEL_PEER_KAFKA_BROKERS: kafkaBrokers(config, otherRegion(config, region), processEnv),
  };
  for (const [name, port] of Object.entries(config.providers)) {
    env[`KEEL_${name.toUpperCase().replace(/-/g, '_')}_URL`] = url(config, port);
  }
  env.KEEL_CARRIER_URL = url(config, config.carrier);
  return env;
}

function baseEnv(config: StackConfig, spec: Omit<InstanceSpec, 'env' | 'entry' | 'id'>): Record<string, string> {
  return {
    KEEL_SERVICE: spec.service,
    KEEL_INSTANCE: spec.name,
    KEEL_REGION: spec.region,
    KEEL_VERSION: spec.version,
    KEEL_HOST: config.host,
    PORT: String(spec.port),
    KEEL_ADMIN_PORT: String(spec.adminPort),
    KEEL_DATA_DIR: join(dataDir(config), spec.region),
  };
}

const entryOf = (service: ServiceName) => `apps/${service}/src/main.ts`;

/** The broker wrapper: a Node process that runs the broker JVM and serves keel's /health/* for it. */
export const KAFKA_ENTRY = 'infra/kafka/src/broker-main.ts';
/** Shown as the brokers' version; the jars actually run are pinned in infra/kafka/pom.xml. */
export const KAFKA_VERSION = '3.9.1';

/**
 * One broker per region, except where `KAFKA_BROKERS_<REGION>` names an existing cluster.
 * A broker's `port` is its health port; its Kafka ports are `extraPorts`.
 */
function kafkaInstances(config: StackConfig, env: NodeJS.ProcessEnv): InstanceSpec[] {
  return Object.keys(config.regions)
    .filter((region) => !env[kafkaOverrideVar(region)]?.trim())
    .map((region) => {
      const { health, broker, controller } = config.kafka[region];
      const s = { region, service: 'kafka' as const, name: 'kafka', version: KAFKA_VERSION, port: health, adminPort: health + config.adminPortOffset };
      const kafkaEnv = { KEEL_KAFKA_PORT: String(broker), KEEL_KAFKA_CONTROLLER_PORT: String(controller) };
      return { ...s, id: `${region}/kafka`, entry: KAFKA_ENTRY, env: { ...baseEnv(config, s), ...kafkaEnv }, extraPorts: [broker, controller] };
    });
}

/**
 * The traffic generator is a client of the stack, not part of it: it lives with the load tool
 * and is started by entry path (infra/local does not import load/, tool from tool).
 */
export const TRAFFIC_ENTRY = 'load/src/traffic-main.ts';
export const TRAFFIC_ID = 'global/traffic';

/** `global/traffic`: the shopper mix at `traffic.rate` req/s to the edge, until stopped. */
export function trafficInstance(config: StackConfig): InstanceSpec {
  const { port, rate } = config.traffic;
  const s = { region: 'global', service: 'traffic' as const, name: 'traffic', version: config.defaultVersion, port, adminPort: port + config.adminPortOffset };
  return {
    ...s,
    id: TRAFFIC_ID,
    entry: TRAFFIC_ENTRY,
    env: { ...baseEnv(config, s), KEEL_TRAFFIC_TARGET: url(config, config.edge.port), KEEL_TRAFFIC_RATE: String(rate) },
  };
}

/**
 * Add-ons: instances the stack knows but starts only when asked (`up --traffic`, or switched on
 * later through the control API), because they are extras for demos rather than the system.
 */
export function addonInstances(config: StackConfig = loadStackConfig()): InstanceSpec[] {
  return [trafficInstance(config)];
}

export interface StackOptions {
  /** Start the background traffic generator too, last (it needs the edge). */
  traffic?: boolean;
}

/** Every instance `up` starts, in start order (dependencies first: the brokers, then the third-party fakes). */
export function stackInstances(config: StackConfig = loadStackConfig(), env: NodeJS.ProcessEnv = process.env, options: StackOptions = {}): InstanceSpec[] {
  const version = config.defaultVersion;
  const out: InstanceSpec[] = kafkaInstances(config, env);
  for (const [name, port] of Object.entries(config.providers)) {
    const s = { region: 'global', service: 'payment-provider' as const, name, version, port, adminPort: port + config.adminPortOffset };
    out.push({ ...s, id: `global/${name}`, entry: entryOf(s.service), env: baseEnv(config, s) });
  }
  const carrier = { region: 'global', service: 'carrier' as const, name: 'carrier', version, port: config.carrier, adminPort: config.carrier + config.adminPortOffset };
  out.push({ ...carrier, id: 'global/carrier', entry: entryOf('carrier'), env: baseEnv(config, carrier) });
  for (const region of Object.keys(config.regions)) {
    for (const service of REGIONAL_SERVICES) {
      const port = config.regions[region][service];
      const s = { region, service, name: service, version, port, adminPort: port + config.adminPortOffset };
      out.push({ ...s, id: `${region}/${service}`, entry: entryOf(service), env: { ...baseEnv(config, s), ...dependencyEnv(config, region, env) } });
    }
  }
  const edge = { region: 'global', service: 'edge' as const, name: 'edge', version, port: config.edge.port, adminPort: config.edge.port + config.adminPortOffset };
  const gateways = Object.entries(config.regions).map(([r, p]) => `${r}=${url(config, p.gateway)}`).join(',');
  out.push({
    ...edge,
    id: 'global/edge',
    entry: entryOf('edge'),
    env: {
      ...baseEnv(config, edge),
      KEEL_EDGE_REGIONS: gateways,
      KEEL_EDGE_DEFAULT_REGION: config.edge.defaultRegion,
      KEEL_EDGE_HEALTH_INTERVAL_MS: String(config.edge.healthIntervalMs),
    },
  });
  if (options.traffic) out.push(trafficInstance(config));
  return out;
}
