import { Inject, Injectable, Logger } from '@nestjs/common';
import { SERVICE_ENV } from '@keel/service-kit';
import type { EdgeEnv } from '../edge.env';
import type { RegionSpec } from './region-list';

export interface RegionState extends RegionSpec {
  /** Traffic may go here: the last health check passed and nothing failed since it started. */
  routable: boolean;
  /** Bumped on every observed failure; a health check that started before it cannot revive the region. */
  failures: number;
  lastChange?: { at: string; routable: boolean; reason: string };
}

/** A ticket for one health check: which failure count it started under. */
export interface HealthCheckTicket {
  region: string;
  failuresAtStart: number;
}

/**
 * What edge knows about each region and where a request should go. A region starts unroutable,
 * becomes routable when a health check passes, and is taken out the moment a request to it fails
 * (connection error, 502, 503): from then on it gets no traffic until a health check that started
 * after the failure passes, so a check already in flight cannot put a region it just saw fail back.
 */
@Injectable()
export class RegionTable {
  private readonly logger = new Logger(RegionTable.name);
  private readonly regions: RegionState[];
  readonly defaultRegion: string;

  constructor(@Inject(SERVICE_ENV) env: Pick<EdgeEnv, 'KEEL_EDGE_REGIONS' | 'KEEL_EDGE_DEFAULT_REGION'>) {
    this.regions = env.KEEL_EDGE_REGIONS.map((r) => ({ ...r, routable: false, failures: 0 }));
    // checkEdgeEnv has made sure at start-up that the default region is one of these.
    this.defaultRegion = env.KEEL_EDGE_DEFAULT_REGION;
  }

  names(): string[] {
    return this.regions.map((r) => r.name);
  }

  all(): readonly RegionState[] {
    return this.regions;
  }

  isKnown(name: string | undefined): name is string {
    return name !== undefined && this.regions.some((r) => r.name === name);
  }

  /**
   * The region to send a request to: the preferred one if it is routable, else the first routable
   * region in configuration order, skipping any already tried; undefined when none is left.
   */
  choose(preferred: string, tried: readonly string[] = []): string | undefined {
    const candidates = this.regions.filter((r) => r.routable && !tried.includes(r.name));
    return (candidates.find((r) => r.name === preferred) ?? candidates[0])?.name;
  }

  /** A request to the region failed: no more traffic until a later health check passes. */
  markFailed(name: string, reason: string): void {
    const region = this.get(name);
    region.failures++;
    this.set(region, false, reason);
  }

  healthCheckStarting(name: string): HealthCheckTicket {
    return { region: name, failuresAtStart: this.get(name).failures };
  }

  healthCheckFinished(ticket: HealthCheckTicket, ready: boolean, reason: string): void {
    const region = this.get(ticket.region);
    if (!ready) this.set(region, false, reason);
    else if (region.failures === ticket.failuresAtStart) this.set(region, true, reason);
  }

  private set(region: RegionState, routable: boolean, reason: string): void {
    if (region.routable === routable && region.lastChange) return;
    region.routable = routable;
    region.lastChange = { at: new Date().toISOString(), routable, reason };
    if (routable) this.logger.log({ targetRegion: region.name, reason }, `region ${region.name} is routable`);
    else this.logger.warn({ targetRegion: region.name, reason }, `region ${region.name} taken out of rotation`);
  }

  private get(name: string): RegionState {
    const region = this.regions.find((r) => r.name === name);
    if (!region) throw new Error(`unknown region ${name}`);
    return region;
  }
}
