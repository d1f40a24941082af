import { Injectable, Logger } from '@nestjs/common';
import type { Product, ProductList, RecommendationList, RecommendedProduct } from '@keel/contracts';
import { omitOnFailure } from '../degradation/omit-on-failure';
import { DownstreamServices } from '../downstream/downstream-services';
import { fetchOrProblem } from '../downstream/relay-answer';

export interface ProductPage {
  product: Product;
  recommendations: RecommendedProduct[];
  /** Features left out because their service failed; empty on a full answer. */
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

  constructor(private readonly downstream: DownstreamServices) {}

  list(filter: ProductFilter): Promise<ProductList> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) if (value !== undefined) query.set(name, String(value));
    const search = query.size ? `?${query}` : '';
    return fetchOrProblem(this.downstream.catalog.get<ProductList>(`/products${search}`));
  }

  /**
   * Product and recommendations are fetched at the same time, so the page costs the slower of the
   * two, and recommendations can only cost their own short timeout. A missing or unavailable product
   * fails the page; missing recommendations only thin it.
   */
  async page(productId: string): Promise<ProductPage> {
    const id = encodeURIComponent(productId);
    const [product, recommendations] = await Promise.all([
      fetchOrProblem(this.downstream.catalog.get<Product>(`/products/${id}`)),
      omitOnFailure('recommendations', () => this.recommendationsFor(id), [] as RecommendedProduct[], (error) =>
        this.logger.warn({ err: error, productId }, 'recommendations left out of product page'),
      ),
    ]);
    return { product, recommendations: recommendations.value, degraded: recommendations.degraded ? [recommendations.degraded] : [] };
  }

  private async recommendationsFor(encodedId: string): Promise<RecommendedProduct[]> {
    const list = await this.downstream.recommendations.get<RecommendationList>(`/recommendations/${encodedId}?limit=${RECOMMENDATIONS_PER_PAGE}`);
    if (!Array.isArray(list?.items)) throw new Error('recommendations answered without an items list');
    return list.items;
  }
}
