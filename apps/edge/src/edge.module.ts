import { Module } from '@nestjs/common';
import { EdgeMetrics } from './edge-metrics';
import { EdgeProxy } from './proxy/edge-proxy';
import { ProxyRoute } from './proxy/proxy-route';
import { HealthMonitor } from './regions/health-monitor';
import { RegionPools } from './regions/region-pools';
import { RegionTable } from './regions/region-table';
import { RegionsAdmin } from './regions/regions-admin';

/** The simulated global load balancer in front of every region's gateway. Wiring only. */
@Module({
  providers: [RegionTable, RegionPools, HealthMonitor, EdgeMetrics, EdgeProxy, ProxyRoute, RegionsAdmin],
})
export class EdgeModule {}
