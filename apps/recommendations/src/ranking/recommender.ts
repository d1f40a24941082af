import { Injectable } from '@nestjs/common';
import type { RecommendationList, TrendingList } from '@keel/contracts';
import { CatalogSnapshot } from '../catalog/catalog-snapshot';
import { PopularityRepository } from '../popularity/popularity.repository';
import { productNotFound, snapshotNotLoaded } from '../recommendations.problems';
import { recommendFor, trending } from './ranking';

/** Joins the catalog snapshot with popularity; the ranking rules themselves live in ranking.ts. */
@Injectable()
export class Recommender {
  constructor(
    private readonly snapshot: CatalogSnapshot,
    private readonly popularity: PopularityRepository,
  ) {}

  forProduct(productId: string, limit: number): RecommendationList {
    if (!this.snapshot.loaded) throw snapshotNotLoaded();
    const product = this.snapshot.find(productId);
    if (!product) throw productNotFound(productId);
    return { productId, items: recommendFor(product, this.snapshot.inCategory(product.category), this.popularity.snapshot(), limit) };
  }

  trending(limit: number): TrendingList {
    if (!this.snapshot.loaded) throw snapshotNotLoaded();
    return { items: trending(this.snapshot.all(), this.popularity.snapshot(), limit) };
  }
}
