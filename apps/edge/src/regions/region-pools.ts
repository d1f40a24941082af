import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'undici';
import { clientTarget, type ClientTarget } from '@keel/telemetry';
import { RegionTable } from './region-table';

/**
 * Keep-alive connection pools to each region's gateway: one for traffic and a small one for
 * health checks, so checks never queue behind a busy region's requests and report it dead.
 */
@Injectable()
export class RegionPools implements OnApplicationShutdown {
  private readonly traffic = new Map<string, Pool>();
  private readonly health = new Map<string, Pool>();
  private readonly targets = new Map<string, ClientTarget>();

  constructor(regions: RegionTable) {
    for (const region of regions.all()) {
      this.traffic.set(region.name, new Pool(region.url, { connections: 128, keepAliveTimeout: 4_000, connect: { timeout: 2_000 } }));
      this.health.set(region.name, new Pool(region.url, { connections: 1, keepAliveTimeout: 4_000, connect: { timeout: 1_000 } }));
      this.targets.set(region.name, clientTarget(region.url, region.name));
    }
  }

  trafficTo(region: string): Pool {
    return this.pick(this.traffic, region);
  }

  /** What the traffic pool's client spans say about where they went. */
  targetOf(region: string): ClientTarget {
    return this.pick(this.targets, region);
  }

  healthOf(region: string): Pool {
    return this.pick(this.health, region);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.traffic.values(), ...this.health.values()].map((pool) => pool.destroy()));
  }

  private pick<T>(pools: Map<string, T>, region: string): T {
    const pool = pools.get(region);
    if (!pool) throw new Error(`no pool for region ${region}`);
    return pool;
  }
}
