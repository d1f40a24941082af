import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { RecommendationList, TrendingList } from '@keel/contracts';
import { ServesFeature } from '@keel/service-kit';
import { Recommender } from '../ranking/recommender';
import { LimitQuery } from './limit.query';

@ApiTags('recommendations')
@Controller()
export class RecommendationsController {
  constructor(private readonly recommender: Recommender) {}

  @Get('recommendations/:productId')
  @ServesFeature('recommendations')
  forProduct(@Param('productId') productId: string, @Query() query: LimitQuery): RecommendationList {
    return this.recommender.forProduct(productId, query.limit ?? 4);
  }

  @Get('trending')
  @ServesFeature('trending')
  trending(@Query() query: LimitQuery): TrendingList {
    return this.recommender.trending(query.limit ?? 8);
  }
}
