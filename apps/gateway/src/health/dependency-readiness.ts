import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Readiness, type HttpDependency } from '@keel/service-kit';
import { DownstreamServices } from '../downstream/downstream-services';
import { CachedProbe } from './cached-probe';

/** A dependency's own readiness probe must answer quickly; a slow one counts as not ready. */
const PROBE_TIMEOUT_MS = 500;

/**
 * The gateway is ready only while its Tier-1 local dependencies (catalog, checkout) are. When they
 * die the gateway turns unready, and edge fails the region over. Recommendations are Tier 2 and
 * the peer region is not local: neither is a reason to stop taking traffic.
 */
@Injectable()
export class DependencyReadiness implements OnModuleInit {
  constructor(
    private readonly readiness: Readiness,
    private readonly downstream: DownstreamServices,
  ) {}

  onModuleInit(): void {
    for (const dependency of [this.downstream.catalog, this.downstream.checkout]) {
      const probe = new CachedProbe(() => probeReady(dependency));
      this.readiness.add(dependency.name, () => probe.check());
    }
  }
}

async function probeReady(dependency: HttpDependency): Promise<void> {
  const { status } = await dependency.request('GET', '/health/ready', undefined, { timeoutMs: PROBE_TIMEOUT_MS, policy: false });
  if (status !== 200) throw new Error(`${dependency.name} /health/ready answered ${status}`);
}
