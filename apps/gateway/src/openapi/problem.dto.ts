import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProblemDetails } from '@keel/service-kit';

/** RFC 9457 problem details, as every error leaves a keel service (`application/problem+json`). */
export class ProblemDto implements ProblemDetails {
  [extension: string]: unknown;

  @ApiProperty({ example: '/problems/not-found', description: 'Relative URI naming the kind of problem (docs/problems.md)' })
  type!: string;

  @ApiProperty({ example: 'Product not found' })
  title!: string;

  @ApiProperty({ example: 404 })
  status!: number;

  @ApiPropertyOptional({ example: 'no product p-999' })
  detail?: string;

  @ApiPropertyOptional({ example: '/api/products/p-999' })
  instance?: string;
}

/** A 400 from DTO validation lists every broken field. */
export class ValidationProblemDto extends ProblemDto {
  @ApiProperty({ type: [String], example: ['items.0.quantity: quantity must not be greater than 100'] })
  errors!: string[];
}
