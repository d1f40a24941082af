import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

/**
 * The product-list query, validated the same way where it enters (the gateway) and where it is
 * served (catalog). Numbers arrive as strings; `@Type` converts, and junk becomes NaN, a 400.
 */
export class ListProductsQuery {
  @ApiPropertyOptional({ description: 'Only products in this category', example: 'audio' })
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,64}$/, { message: 'category must be 1-64 lowercase letters, digits or -' })
  category?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100_000, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  offset?: number;
}
