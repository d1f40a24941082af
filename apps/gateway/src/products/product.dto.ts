import { ApiProperty } from '@nestjs/swagger';
import type { Product, ProductList, RecommendedProduct } from '@keel/contracts';

export class ProductDto implements Product {
  @ApiProperty({ example: 'p-001' }) id!: string;
  @ApiProperty({ example: 'Aurora Over-Ear Headphones' }) name!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ example: 'audio' }) category!: string;
  @ApiProperty({ example: 18900, description: 'Price in integer cents' }) priceCents!: number;
  @ApiProperty({ enum: ['USD'] }) currency!: 'USD';
  @ApiProperty({ example: 120, description: 'Units available in the serving region right now' }) stock!: number;
}

export class ProductListDto implements ProductList {
  @ApiProperty({ type: [ProductDto] }) items!: ProductDto[];
  @ApiProperty({ example: 42, description: 'Products matching the filter, across all pages' }) total!: number;
}

export class RecommendedProductDto implements RecommendedProduct {
  @ApiProperty({ example: 'p-002' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'audio' }) category!: string;
  @ApiProperty({ example: 7900 }) priceCents!: number;
  @ApiProperty({ example: 0.87, description: 'Higher is more relevant' }) score!: number;
}

/** `GET /api/products/:id`: the product (Tier 1) with what the page can do without (Tier 2). */
export class ProductDetailDto {
  @ApiProperty({ type: ProductDto }) product!: ProductDto;

  @ApiProperty({ type: [RecommendedProductDto], description: 'Empty when recommendations are degraded' })
  recommendations!: RecommendedProductDto[];

  @ApiProperty({ type: [String], example: [], description: 'Features left out of this answer; mirrored in the x-degraded header' })
  degraded!: string[];
}

/** `GET /api/products/:id/recommendations`: Tier 2 on its own. */
export class RecommendationsDto {
  @ApiProperty({ example: 'p-001' }) productId!: string;

  @ApiProperty({ type: [RecommendedProductDto], description: 'Empty when recommendations are degraded' })
  items!: RecommendedProductDto[];

  @ApiProperty({ type: [String], example: [], description: '`["recommendations"]` when the answer came from a fallback; mirrored in x-degraded' })
  degraded!: string[];
}
