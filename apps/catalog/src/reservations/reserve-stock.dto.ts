import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { LineItem, ReserveStockRequest } from '@keel/contracts';
import { IDENTIFIER, IDENTIFIER_MESSAGE } from '../identifiers';

/** Upper bound per line: keeps sums far from integer overflow and catches unit mix-ups. */
export const MAX_QUANTITY = 10_000;
export const MAX_LINES = 50;

export class LineItemDto implements LineItem {
  @ApiProperty({ example: 'p-001' })
  @IsString()
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  productId!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

export class ReserveStockDto implements ReserveStockRequest {
  @ApiProperty({ description: 'Idempotency key of the reservation (checkout sends its order id)', example: 'ord_us-east_5b0c8f4e-2f55-4a8e-9f43-0d3b8d1f6c2a' })
  @IsString()
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  reservationId!: string;

  @ApiProperty({ type: [LineItemDto], minItems: 1, maxItems: MAX_LINES, description: 'Lines for the same product are merged' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => LineItemDto)
  items!: LineItemDto[];
}
