import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import type { ShipmentItem, ShipmentRequest } from '@keel/contracts';

export const MAX_LINES = 50;
/** Per line: a parcel carrier, not a freight forwarder. */
export const MAX_QUANTITY = 100;

export class ShipmentItemDto implements ShipmentItem {
  @ApiProperty({ example: 'p-001' })
  @IsString()
  @Length(1, 100)
  productId!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

export class ShipmentRequestDto implements ShipmentRequest {
  @ApiProperty({ description: 'What the shipment is for (checkout sends the order id)', example: 'ord_us-east_5b0c8f4e-2f55-4a8e-9f43-0d3b8d1f6c2a' })
  @IsString()
  @Length(1, 200)
  reference!: string;

  @ApiProperty({ type: [ShipmentItemDto], minItems: 1, maxItems: MAX_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => ShipmentItemDto)
  items!: ShipmentItemDto[];
}
