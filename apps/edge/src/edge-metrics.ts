import { Injectable } from '@nestjs/common';
import type { Counter } from '@opentelemetry/api';
import { telemetry } from '@keel/telemetry';
import { RegionTable } from './regions/region-table';

/** How a proxied request ended, as counted in `edge_requests_total`. */
export type ProxyOutcome = 'ok' | 'client-error' | 'server-error' | 'unreachable' | 'timeout' | 'no-region' | 'aborted' | 'error';

/** Why traffic went to a region other than the one first chosen. */
export type FailoverReason = 'unroutable' | 'retry';

/** Edge's own metrics, on /metrics next to the kit's HTTP durations. */
@Injectable()
export class EdgeMetrics {
  private readonly requests: Counter;
  private readonly failovers: Counter;

  constructor(regions: RegionTable) {
    const meter = telemetry().meter;
    this.requests = meter.createCounter('edge.requests', { description: 'Requests edge proxied, by region that answered (or none) and outcome' });
    this.failovers = meter.createCounter('edge.failovers', { description: 'Requests sent to another region than the one first chosen' });
    meter
      .createObservableGauge('edge.region.up', { description: '1 while a region is routable, 0 while it is out of rotation' })
      .addCallback((result) => {
        for (const region of regions.all()) result.observe(region.routable ? 1 : 0, { region: region.name });
      });
  }

  request(region: string | undefined, outcome: ProxyOutcome): void {
    this.requests.add(1, { region: region ?? 'none', outcome });
  }

  failover(from: string, to: string, reason: FailoverReason): void {
    this.failovers.add(1, { from, to, reason });
  }
}
