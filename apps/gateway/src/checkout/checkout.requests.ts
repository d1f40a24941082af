import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsDefined, IsEmail, IsInt, IsObject, IsString, Length, Max, Min, ValidateNested } from 'class-validator';
import type { CheckoutRequest, LineItem } from '@keel/contracts';

export class LineItemDto implements LineItem {
  @ApiProperty({ example: 'p-001', minLength: 1, maxLength: 128 })
  @IsString()
  @Length(1, 128)
  productId!: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  quantity!: number;
}

export class CustomerDto {
  @ApiProperty({ example: 'ada@example.com', format: 'email' })
  @IsEmail()
  email!: string;
}

/** `POST /api/checkout` body. Unknown fields anywhere in it are refused (400), not dropped. */
export class CheckoutRequestDto implements CheckoutRequest {
  @ApiProperty({ type: [LineItemDto], minItems: 1, maxItems: 50 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => LineItemDto)
  items!: LineItemDto[];

  @ApiProperty({ type: CustomerDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;
}
