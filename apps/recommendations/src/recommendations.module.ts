import { Module } from '@nestjs/common';
import { CatalogClient } from './catalog/catalog-client';
import { CatalogSnapshot } from './catalog/catalog-snapshot';
import { SnapshotRefresher } from './catalog/snapshot-refresher';
import { RecommendationsController } from './http/recommendations.controller';
import { SignalsController } from './http/signals.controller';
import { PopularityRepository } from './popularity/popularity.repository';
import { RecommendationsDatabase } from './popularity/recommendations-database';
import { Recommender } from './ranking/recommender';

/** Recommendations from a local catalog snapshot and order popularity. Wiring only. */
@Module({
  controllers: [RecommendationsController, SignalsController],
  providers: [CatalogClient, CatalogSnapshot, SnapshotRefresher, RecommendationsDatabase, PopularityRepository, Recommender],
})
export class RecommendationsModule {}
