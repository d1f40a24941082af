import { bootstrapService, type RunningService } from '@keel/service-kit';
import { eventually } from '@keel/testing';
import { checkEdgeEnv, edgeEnv, type EdgeEnv } from '../edge.env';
import { EdgeModule } from '../edge.module';
import { RegionTable } from '../regions/region-table';
import { FixtureGateway } from './fixture-gateway';

export interface EdgeHarness {
  edge: RunningService<EdgeEnv>;
  usEast: FixtureGateway;
  euWest: FixtureGateway;
  /** Through edge, with an optional `x-client-region`. */
  request(path: string, init?: RequestInit & { region?: string }): Promise<Response>;
  /** Waits until edge has `region` in (or out of) rotation, as its own health checks decide. */
  routable(region: string, expected?: boolean): Promise<boolean>;
  close(): Promise<void>;
}

/** Edge in process in front of two fixture gateways, us-east (the default) and eu-west. */
export async function startEdgeHarness(healthIntervalMs: number): Promise<EdgeHarness> {
  const [usEast, euWest] = await Promise.all([FixtureGateway.start('us-east'), FixtureGateway.start('eu-west')]);
  const edge = await bootstrapService({
    module: EdgeModule,
    env: edgeEnv,
    checkEnv: checkEdgeEnv,
    environment: {
      KEEL_SERVICE: 'edge',
      KEEL_REGION: 'global',
      KEEL_VERSION: '1.0.0',
      PORT: '0',
      KEEL_LOG_LEVEL: 'silent',
      KEEL_EDGE_REGIONS: `us-east=${usEast.url},eu-west=${euWest.url}`,
      KEEL_EDGE_DEFAULT_REGION: 'us-east',
      KEEL_EDGE_HEALTH_INTERVAL_MS: String(healthIntervalMs),
    },
  });
  const table = edge.app.get(RegionTable);
  return {
    edge,
    usEast,
    euWest,
    request(path, init = {}) {
      const { region, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (region) headers.set('x-client-region', region);
      return fetch(`${edge.url}${path}`, { ...rest, headers });
    },
    routable(region, expected = true) {
      return eventually(() => table.all().some((r) => r.name === region && r.routable === expected), healthIntervalMs * 4);
    },
    async close() {
      await edge.app.close();
      await Promise.all([usEast.stop(), euWest.stop()]);
    },
  };
}
