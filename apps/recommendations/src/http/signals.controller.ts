import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PopularityRepository } from '../popularity/popularity.repository';
import { OrderSignalDto, type OrderSignalReceipt } from './order-signal.dto';

@ApiTags('signals')
@Controller('signals')
export class SignalsController {
  constructor(private readonly popularity: PopularityRepository) {}

  /** 202 either way: a repeated order id is accepted (so the sender stops retrying) but not counted. */
  @Post('orders')
  @HttpCode(202)
  order(@Body() signal: OrderSignalDto): OrderSignalReceipt {
    return { orderId: signal.orderId, counted: this.popularity.record(signal) };
  }
}
