import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ListProductsQuery } from '@keel/contracts';
import { DEGRADED_HEADER } from '@keel/resilience';
import { ServesFeature } from '@keel/service-kit';
import { ProblemDto, ValidationProblemDto } from '../openapi/problem.dto';
import { ProductDetailDto, ProductListDto, RecommendationsDto } from './product.dto';
import { PRODUCT_ID, productId } from './product.requests';
import { ProductPages } from './product-pages';

const PRODUCT_ID_PARAM = { name: 'id', example: 'p-001', schema: { type: 'string', pattern: PRODUCT_ID.source } } as const;

@ApiTags('products')
@Controller('api/products')
export class ProductsController {
  constructor(private readonly pages: ProductPages) {}

  @Get()
  @ApiOperation({ summary: 'List products', description: 'A page of the catalog, optionally one category.' })
  @ApiOkResponse({ type: ProductListDto })
  @ApiBadRequestResponse({ type: ValidationProblemDto, description: 'Query is not valid' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'Catalog is unavailable' })
  list(@Query() query: ListProductsQuery): Promise<ProductListDto> {
    return this.pages.list({ category: query.category, limit: query.limit, offset: query.offset });
  }

  @Get(':id')
  @ServesFeature('product-detail')
  @ApiOperation({
    summary: 'Product detail',
    description:
      'The product with recommendations. Recommendations are Tier 2: when this region\'s fail or are slow they come from the other region, ' +
      'the last good list, or trending — or are left out — and the page lists `recommendations` in `degraded` and the `x-degraded` header.',
  })
  @ApiOkResponse({ type: ProductDetailDto, headers: { 'x-degraded': { description: 'Comma-separated features left out, when any', schema: { type: 'string' } } } })
  @ApiBadRequestResponse({ type: ValidationProblemDto, description: 'Not a product id' })
  @ApiNotFoundResponse({ type: ProblemDto, description: 'No such product' })
  @ApiServiceUnavailableResponse({ type: ProblemDto, description: 'Catalog is unavailable' })
  @ApiParam(PRODUCT_ID_PARAM)
  async detail(@Param('id', productId) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<ProductDetailDto> {
    const page = await this.pages.page(id);
    if (page.degraded.length) reply.header(DEGRADED_HEADER, page.degraded.join(', '));
    return page;
  }

  @Get(':id/recommendations')
  @ServesFeature('recommendations')
  @ApiOperation({
    summary: 'Recommendations for a product',
    description: 'Tier 2, on its own: the same fallbacks as the product page (other region, last good, trending, none), marked in `degraded` and `x-degraded`.',
  })
  @ApiOkResponse({ type: RecommendationsDto })
  @ApiBadRequestResponse({ type: ValidationProblemDto, description: 'Not a product id' })
  @ApiParam(PRODUCT_ID_PARAM)
  async recommendations(@Param('id', productId) id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<RecommendationsDto> {
    const answer = await this.pages.recommendationsFor(id);
    if (answer.degraded.length) reply.header(DEGRADED_HEADER, answer.degraded.join(', '));
    return answer;
  }
}
