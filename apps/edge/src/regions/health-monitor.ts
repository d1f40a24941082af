import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { SERVICE_ENV } from '@keel/service-kit';
import type { EdgeEnv } from '../edge.env';
import { RegionPools } from './region-pools';
import { RegionTable } from './region-table';

/**
 * Checks every region's gateway `GET /health/ready` once per interval. A gateway is ready only
 * while its own Tier-1 dependencies are, so this is how a region whose core services died stops
 * getting traffic. One loop per region: a slow region never delays another's check.
 */
@Injectable()
export class HealthMonitor implements OnModuleInit, OnApplicationShutdown {
  private readonly intervalMs: number;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    @Inject(SERVICE_ENV) env: EdgeEnv,
    private readonly regions: RegionTable,
    private readonly pools: RegionPools,
  ) {
    this.intervalMs = env.KEEL_EDGE_HEALTH_INTERVAL_MS;
  }

  /** One round before edge opens its port, so it routes from its first request. */
  async onModuleInit(): Promise<void> {
    await Promise.all(this.regions.names().map((region) => this.check(region)));
    for (const region of this.regions.names()) this.schedule(region, this.intervalMs);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
  }

  private schedule(region: string, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(async () => {
      const started = performance.now();
      await this.check(region);
      this.schedule(region, Math.max(0, this.intervalMs - (performance.now() - started)));
    }, delayMs);
    timer.unref();
    this.timers.set(region, timer);
  }

  /** A check must answer within the interval, or it would delay the next one: slow counts as unready. */
  private async check(region: string): Promise<void> {
    const ticket = this.regions.healthCheckStarting(region);
    try {
      const response = await this.pools.healthOf(region).request({
        method: 'GET',
        path: '/health/ready',
        headersTimeout: this.intervalMs,
        bodyTimeout: this.intervalMs,
      });
      await response.body.dump();
      this.regions.healthCheckFinished(ticket, response.statusCode === 200, `/health/ready answered ${response.statusCode}`);
    } catch (error) {
      this.regions.healthCheckFinished(ticket, false, `/health/ready failed: ${(error as Error).message}`);
    }
  }
}
