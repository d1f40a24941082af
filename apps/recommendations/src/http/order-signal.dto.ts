import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Matches, Max, Min, ValidateNested } from 'class-validator';
import type { OrderSignal } from '@keel/contracts';

/** Printable ASCII ids without spaces or slashes (order ids `ord_<region>_<uuid>` fit). */
const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$/;
const IDENTIFIER_MESSAGE = '$property must be 1-128 characters of letters, digits and . _ : ~ -';

export class OrderSignalItemDto {
  @ApiProperty({ example: 'p-001' })
  @IsString()
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  productId!: string;

  @ApiProperty({ minimum: 1, maximum: 10_000, example: 1 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity!: number;
}

export class OrderSignalDto implements OrderSignal {
  @ApiProperty({ description: 'Counted once per order id', example: 'ord_us-east_5b0c8f4e-2f55-4a8e-9f43-0d3b8d1f6c2a' })
  @IsString()
  @Matches(IDENTIFIER, { message: IDENTIFIER_MESSAGE })
  orderId!: string;

  @ApiProperty({ type: [OrderSignalItemDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OrderSignalItemDto)
  items!: OrderSignalItemDto[];
}

/** The answer to a signal: whether it was counted now (false: this order had been counted before). */
export interface OrderSignalReceipt {
  orderId: string;
  counted: boolean;
}
