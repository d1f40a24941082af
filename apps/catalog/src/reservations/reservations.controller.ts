import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Reservation } from '@keel/contracts';
import { ReserveStockDto } from './reserve-stock.dto';
import { StockReservations } from './stock-reservations';

@ApiTags('reservations')
@Controller('reservations')
export class ReservationsController {
  constructor(private readonly reservations: StockReservations) {}

  /** 201 when stock was taken now, 200 when this reservation id had already been served. */
  @Post()
  reserve(@Body() body: ReserveStockDto, @Res({ passthrough: true }) reply: FastifyReply): Reservation {
    const { reservation, created } = this.reservations.reserve(body.reservationId, body.items);
    reply.status(created ? 201 : 200);
    return reservation;
  }

  @Post(':id/release')
  @HttpCode(200)
  release(@Param('id') id: string): Reservation {
    return this.reservations.release(id);
  }

  @Get(':id')
  get(@Param('id') id: string): Reservation {
    return this.reservations.get(id);
  }
}
