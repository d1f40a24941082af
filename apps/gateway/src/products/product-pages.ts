import { Injectable, Logger } from '@nestjs/common';
import type { Product, ProductList, RecommendationList, RecommendedProduct, TrendingList } from '@keel/contracts';
import { degradedFeatures, fallbackChain, fallbackTier, LastGoodCache, type FallbackChain } from '@keel/resilience';
import type { HttpDependency } from '@keel/service-kit';
import { DownstreamServices } from '../downstream/downstream-services';
import { fetchOrProblem } from '../downstream/relay-answer';

export interface ProductPage {
  product: Product;
  recommendations: RecommendedProduct[];
  /** Features left out because their service failed; empty on a full answer. */
  degraded: string[];
}

/** Recommendations for a product on their own (the widget a page loads after the product). */
export interface RecommendationsAnswer {
  productId: string;
  items: RecommendedProduct[];
  degraded: string[];
}

export interface ProductFilter {
  category?: string;
  limit?: number;
  offset?: number;
}

const RECOMMENDATIONS_PER_PAGE = 4;

/** Composes what the public product routes answer from catalog (Tier 1) and recommendations (Tier 2). */
@Injectable()
export class ProductPages {
  private readonly logger = new Logger(ProductPages.name);
  /**
   * Recommendations are Tier 2 (see libs/resilience/src/criticality.ts): this region's service,
   * then the other region's through the inter-region link, then the last list we had for this
   * product (marked stale), then trending, then nothing — each step below the first marked degraded.
   */
  private readonly recommendations: FallbackChain<string, RecommendedProduct[]>;

  constructor(private readonly downstream: DownstreamServices) {
    const { recommendations, peerRecommendations } = downstream;
    this.recommendations = fallbackChain(
      'recommendations',
      [
        fallbackTier.local((id: string) => recommendationsFrom(recommendations, id)),
        fallbackTier.peerRegion(peerRecommendations && ((id: string) => recommendationsFrom(peerRecommendations, id))),
        fallbackTier.lastGood(new LastGoodCache<string, RecommendedProduct[]>()),
        fallbackTier.staticDefault(() => trendingFrom(recommendations), 'trending'),
        fallbackTier.omit([] as RecommendedProduct[]),
      ],
      // A product catalog knows but recommendations does not yet (its snapshot lags) is not a reason
      // to fail the page: every error is a failure to fall back from, never an answer to pass on.
      // The reason without the stack: under overload this fires for every request that falls back.
      { isAnswer: () => false, onTierFailure: (tier, error) => this.logger.warn({ tier, reason: (error as Error).message }, 'recommendations tier failed') },
    );
  }

  list(filter: ProductFilter): Promise<ProductList> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) if (value !== undefined) query.set(name, String(value));
    const search = query.size ? `?${query}` : '';
    return fetchOrProblem(this.downstream.catalog.get<ProductList>(`/products${search}`));
  }

  /**
   * Product and recommendations are fetched at the same time, so the page costs the slower of the
   * two, and recommendations can only cost their own short timeout. A missing or unavailable product
   * fails the page; missing recommendations only thin it. When catalog refuses the call at once
   * (circuit open, bulkhead full) recommendations wait for a product that will not come, so a page
   * that cannot be served spends no recommendations call: under overload such refusals otherwise
   * cost nearly as much CPU as served pages (docs/performance.md, overload).
   */
  async page(productId: string): Promise<ProductPage> {
    const catalog = this.downstream.catalog;
    const refusedAtOnce = catalog.refusingNow;
    const product = fetchOrProblem(catalog.get<Product>(`/products/${encodeURIComponent(productId)}`));
    const [found, recommendations] = await Promise.all([product, refusedAtOnce ? product.then(() => this.recommendations.run(productId)) : this.recommendations.run(productId)]);
    return { product: found, recommendations: recommendations.value, degraded: degradedFeatures([recommendations]) };
  }

  /** The same fallback chain as the page's: never fails, at worst empty and marked degraded. */
  async recommendationsFor(productId: string): Promise<RecommendationsAnswer> {
    const recommendations = await this.recommendations.run(productId);
    return { productId, items: recommendations.value, degraded: degradedFeatures([recommendations]) };
  }
}

async function recommendationsFrom(service: HttpDependency, productId: string): Promise<RecommendedProduct[]> {
  const list = await service.get<RecommendationList>(`/recommendations/${encodeURIComponent(productId)}?limit=${RECOMMENDATIONS_PER_PAGE}`);
  if (!Array.isArray(list?.items)) throw new Error('recommendations answered without an items list');
  return list.items;
}

async function trendingFrom(service: HttpDependency): Promise<RecommendedProduct[]> {
  const list = await service.get<TrendingList>(`/trending?limit=${RECOMMENDATIONS_PER_PAGE}`);
  if (!Array.isArray(list?.items)) throw new Error('trending answered without an items list');
  return list.items;
}
