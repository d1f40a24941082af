import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The services keel runs; `payment-provider` runs twice (provider-a, provider-b). */
export type ServiceName = 'gateway' | 'catalog' | 'recommendations' | 'checkout' | 'payment-provider' | 'edge';

export const REGIONAL_SERVICES = ['catalog', 'recommendations', 'checkout', 'gateway'] as const;
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
  restart: { initialDelayMs: number; maxDelayMs: number; resetAfterMs: number };
  readyTimeoutMs: number;
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

/** Dependency URLs a service in `region` is given, by environment variable. */
export function dependencyEnv(config: StackConfig, region: string): Record<string, string> {
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
  };
  for (const [name, port] of Object.entries(config.providers)) {
    env[`KEEL_${name.toUpperCase().replace(/-/g, '_')}_URL`] = url(config, port);
  }
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

/** Every instance `up` starts, in start order (dependencies first). */
export function stackInstances(config: StackConfig = loadStackConfig()): InstanceSpec[] {
  const version = config.defaultVersion;
  const out: InstanceSpec[] = [];
  for (const [name, port] of Object.entries(config.providers)) {
    const s = { region: 'global', service: 'payment-provider' as const, name, version, port, adminPort: port + config.adminPortOffset };
    out.push({ ...s, id: `global/${name}`, entry: entryOf(s.service), env: baseEnv(config, s) });
  }
  for (const region of Object.keys(config.regions)) {
    for (const service of REGIONAL_SERVICES) {
      const port = config.regions[region][service];
      const s = { region, service, name: service, version, port, adminPort: port + config.adminPortOffset };
      out.push({ ...s, id: `${region}/${service}`, entry: entryOf(service), env: { ...baseEnv(config, s), ...dependencyEnv(config, region) } });
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
  return out;
}
