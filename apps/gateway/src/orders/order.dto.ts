import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { Order, OrderLine, OrderStatus } from '@keel/contracts';

export class OrderLineDto implements OrderLine {
  @ApiProperty({ example: 'p-001' }) productId!: string;
  @ApiProperty({ example: 1 }) quantity!: number;
  @ApiProperty({ example: 18900 }) unitPriceCents!: number;
}

export class OrderPaymentDto {
  @ApiProperty({ example: 'provider-a' }) provider!: string;
  @ApiProperty() chargeId!: string;
}

export class OrderShipmentDto {
  @ApiProperty({ example: 'carrier' }) carrier!: string;
  @ApiProperty() shipmentId!: string;
}

export class OrderCustomerDto {
  @ApiProperty({ format: 'email' }) email!: string;
}

export class OrderDto implements Order {
  @ApiProperty({ example: 'ord_us-east_6f1c2b9e-3d4a-4b5c-8d7e-1f2a3b4c5d6e', description: '`ord_<region>_<uuid>`: the region that owns it' })
  id!: string;

  @ApiProperty({ example: 'us-east' }) region!: string;
  @ApiProperty({ enum: ['pending', 'payment-pending', 'confirmed', 'failed', 'needs-attention'] }) status!: OrderStatus;
  @ApiProperty({ type: [OrderLineDto] }) items!: OrderLineDto[];
  @ApiProperty({ example: 18900 }) totalCents!: number;
  @ApiProperty({ enum: ['USD'] }) currency!: 'USD';
  @ApiProperty({ type: OrderCustomerDto }) customer!: OrderCustomerDto;
  @ApiPropertyOptional({ type: OrderPaymentDto }) payment?: OrderPaymentDto;
  @ApiPropertyOptional({ type: OrderShipmentDto }) shipment?: OrderShipmentDto;
  @ApiPropertyOptional() failureReason?: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
