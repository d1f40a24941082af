import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { HttpDependency, SERVICE_ENV } from '@keel/service-kit';
import type { GatewayEnv } from '../gateway.env';

/**
 * Whole-exchange timeouts per dependency. Checkout runs a saga (stock, payment) before it answers,
 * so it gets the longest; catalog reads are indexed lookups. A later issue replaces these with
 * per-route deadlines carried in baggage.
 */
const TIMEOUT_MS = { catalog: 1_000, checkout: 5_000, peerCheckout: 2_000 } as const;

/** Keep-alive connections to catalog, and so the calls its bulkhead runs at once (queue: resilience defaults). */
export const CATALOG_CONNECTIONS = 32;

/** The keep-alive connection pools from this gateway to the services it fronts. */
@Injectable()
export class DownstreamServices implements OnApplicationShutdown {
  readonly catalog: HttpDependency;
  readonly recommendations: HttpDependency;
  /** The other region's recommendations, the product page's second fallback tier. */
  readonly peerRecommendations?: HttpDependency;
  readonly checkout: HttpDependency;
  /** The other region's checkout, reached through the inter-region link; absent in a one-region setup. */
  readonly peerCheckout?: HttpDependency;

  constructor(@Inject(SERVICE_ENV) env: GatewayEnv) {
    this.catalog = new HttpDependency('catalog', env.KEEL_CATALOG_URL, { timeoutMs: TIMEOUT_MS.catalog, connections: CATALOG_CONNECTIONS });
    this.recommendations = new HttpDependency('recommendations', env.KEEL_RECOMMENDATIONS_URL, { timeoutMs: env.KEEL_RECOMMENDATIONS_TIMEOUT_MS });
    this.checkout = new HttpDependency('checkout', env.KEEL_CHECKOUT_URL, { timeoutMs: TIMEOUT_MS.checkout });
    if (env.KEEL_PEER_RECOMMENDATIONS_URL) {
      this.peerRecommendations = new HttpDependency('peer-recommendations', env.KEEL_PEER_RECOMMENDATIONS_URL, { timeoutMs: env.KEEL_RECOMMENDATIONS_TIMEOUT_MS });
    }
    if (env.KEEL_PEER_CHECKOUT_URL) {
      this.peerCheckout = new HttpDependency('peer-checkout', env.KEEL_PEER_CHECKOUT_URL, { timeoutMs: TIMEOUT_MS.peerCheckout });
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.catalog, this.recommendations, this.peerRecommendations, this.checkout, this.peerCheckout].map((d) => d?.close()));
  }
}
