import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

/** Product ids are URL-safe printable ASCII; anything else cannot name a product and never leaves the gateway. */
export class ProductIdParams {
  @ApiProperty({ example: 'p-001' })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:~-]{0,127}$/, { message: 'id must be 1-128 characters of letters, digits and . _ : ~ -' })
  id!: string;
}
