import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsInt, IsObject, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { CheckoutRequest, LineItem } from '@keel/contracts';

export const MAX_LINES = 50;
export const MAX_QUANTITY = 100;

export class CheckoutLineDto implements LineItem {
  @ApiProperty({ example: 'p-001' })
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$/, { message: '$property must be 1-128 characters of letters, digits and . _ : ~ -' })
  productId!: string;

  @ApiProperty({ minimum: 1, maximum: MAX_QUANTITY, example: 1 })
  @IsInt()
  @Min(1)
  @Max(MAX_QUANTITY)
  quantity!: number;
}

export class CustomerDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class CheckoutRequestDto implements CheckoutRequest {
  @ApiProperty({ type: [CheckoutLineDto], minItems: 1, maxItems: MAX_LINES })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_LINES)
  @ValidateNested({ each: true })
  @Type(() => CheckoutLineDto)
  items!: CheckoutLineDto[];

  @ApiProperty({ type: CustomerDto })
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;
}
