import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, Min } from 'class-validator';
import type { ChargeRequest, RefundRequest } from '@keel/contracts';

/** A million dollars: far above any cart, far below integer trouble. */
const MAX_AMOUNT_CENTS = 100_000_000;

export class ChargeRequestDto implements ChargeRequest {
  @ApiProperty({ minimum: 1, maximum: MAX_AMOUNT_CENTS, example: 2599 })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_CENTS)
  amountCents!: number;

  @ApiProperty({ enum: ['USD'] })
  @IsIn(['USD'])
  currency!: 'USD';

  @ApiProperty({ description: 'What the charge is for (checkout sends the order id)', example: 'ord_us-east_5b0c8f4e-2f55-4a8e-9f43-0d3b8d1f6c2a' })
  @IsString()
  @Length(1, 200)
  reference!: string;
}

export class RefundRequestDto implements RefundRequest {
  @ApiProperty({ minimum: 1, maximum: MAX_AMOUNT_CENTS, example: 2599 })
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_CENTS)
  amountCents!: number;
}
